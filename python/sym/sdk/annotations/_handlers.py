"""Decorators that register flow handlers."""

from typing import List

from .. import _sim
from ..forms import FieldOption


def reducer(fn):
    """Mark `fn` (named `get_*`) as a reducer; returns it unchanged."""
    _sim.register("reducer", fn.__name__, fn)
    return fn


def hook(fn):
    """Mark `fn` (named `on_<step>` or `after_<step>`) as a hook; returns it unchanged."""
    _sim.register("hook", fn.__name__, fn)
    return fn


def prefetch(field_name: str):
    """Mark a function as the option source of the prompt field `field_name`."""

    def decorate(fn):
        def wrapper(*args, **kwargs) -> List[FieldOption]:
            return fn(*args, **kwargs)

        wrapper._symflow_fn = fn
        _sim.register("prefetch", field_name, wrapper)
        return wrapper

    return decorate

"""A small key-value store (private beta)."""

from typing import Any

from .. import _sim


def fetch(path: str):
    return _sim.call("store.fetch", locals(), kind="none")


def put(path: str, value: Any):
    return _sim.call("store.put", locals(), kind="none")

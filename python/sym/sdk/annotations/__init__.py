"""Handler decorators."""

from ._handlers import hook, prefetch, reducer

__all__ = ["hook", "reducer", "prefetch"]

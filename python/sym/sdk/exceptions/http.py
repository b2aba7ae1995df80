"""Exceptions raised by the HTTP integration."""

from .sym_exception import SymException


class HTTPError(SymException):
    """An error from HTTP."""

    def __init__(self, name: str, message: str, error_type: str = "HTTP"):
        super().__init__(error_type, name, message)

"""Exceptions raised by the Google integration."""

from .sym_exception import SymException


class GoogleError(SymException):
    """An error from Google."""

    def __init__(self, name: str, message: str, error_type: str = "Google"):
        super().__init__(error_type, name, message)

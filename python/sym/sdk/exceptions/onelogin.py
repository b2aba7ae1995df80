"""Exceptions raised by the OneLogin integration."""

from .sym_exception import SymException


class OneLoginError(SymException):
    """An error from OneLogin."""

    def __init__(self, name: str, message: str, error_type: str = "OneLogin"):
        super().__init__(error_type, name, message)

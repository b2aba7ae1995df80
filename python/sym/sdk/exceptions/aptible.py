"""Exceptions raised by the Aptible integration."""

from .sym_exception import SymException


class AptibleError(SymException):
    """An error from Aptible."""

    def __init__(self, name: str, message: str, error_type: str = "Aptible"):
        super().__init__(error_type, name, message)

"""Exceptions raised by the SymIntegration integration."""

from .sym_exception import SymException


class SymIntegrationError(SymException):
    """An error from SymIntegration."""

    def __init__(self, name: str, message: str, error_type: str = "SymIntegration"):
        super().__init__(error_type, name, message)

"""Exceptions raised by the Okta integration."""

from .sym_exception import SymException


class OktaError(SymException):
    """An error from Okta."""

    def __init__(self, name: str, message: str, error_type: str = "Okta"):
        super().__init__(error_type, name, message)

"""Exceptions raised by the AccessStrategy integration."""

from .sym_exception import SymException


class AccessStrategyError(SymException):
    """An error from AccessStrategy."""

    def __init__(self, name: str, message: str, error_type: str = "AccessStrategy"):
        super().__init__(error_type, name, message)

"""Exceptions raised by the PagerDuty integration."""

from .sym_exception import SymException


class PagerDutyError(SymException):
    """An error from PagerDuty."""

    def __init__(self, name: str, message: str, error_type: str = "PagerDuty"):
        super().__init__(error_type, name, message)

"""Exceptions raised by the Slack integration."""

from .sym_exception import SymException


class SlackError(SymException):
    """An error from Slack."""

    def __init__(self, name: str, message: str, error_type: str = "Slack"):
        super().__init__(error_type, name, message)

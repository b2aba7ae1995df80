"""Exceptions raised by the Jira integration."""

from .sym_exception import SymException


class JiraError(SymException):
    """An error from Jira."""

    def __init__(self, name: str, message: str):
        super().__init__("Jira", name, message)

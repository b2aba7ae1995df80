"""Exceptions raised by the KnowBe4 integration."""

from .sym_exception import SymException


class KnowBe4Error(SymException):
    """An error from KnowBe4."""

    def __init__(self, name: str, message: str):
        super().__init__("KnowBe4", name, message)

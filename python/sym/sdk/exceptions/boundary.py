"""Exceptions raised by the Boundary integration."""

from .sym_exception import SymException


class BoundaryError(SymException):
    """An error from Boundary."""

    def __init__(self, name: str, message: str, error_type: str = "Boundary"):
        super().__init__(error_type, name, message)

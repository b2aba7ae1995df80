"""Exceptions raised by the SymSDK integration."""

from .sym_exception import SymException


class SDKError(SymException):
    """An error from SymSDK."""

    def __init__(self, name: str, message: str, error_type: str = "SymSDK"):
        super().__init__(error_type, name, message)


class MissingArgument(SDKError):
    """A required argument was not given."""

    def __init__(self, arg: str, method: str):
        super().__init__("MISSING_ARGUMENT", "%s requires the argument %s" % (method, arg))

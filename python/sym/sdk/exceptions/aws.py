"""Exceptions raised by the AWS integrations."""

from .sym_exception import SymException


class AWSError(SymException):
    """An error from AWS."""

    def __init__(self, name: str, message: str, error_type: str = "AWS"):
        super().__init__(error_type, name, message)


class AWSLambdaError(AWSError):
    def __init__(self, name: str, message: str):
        super().__init__(name, message, "AWSLambda")


class AWSIAMError(AWSError):
    def __init__(self, name: str, message: str):
        super().__init__(name, message, "AWSIAM")


class AWSSSOError(AWSError):
    def __init__(self, name: str, message: str):
        super().__init__(name, message, "AWSSSO")

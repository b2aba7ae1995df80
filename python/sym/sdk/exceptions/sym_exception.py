"""The base of every integration exception."""

from abc import abstractmethod


class SymException(Exception):
    """An error raised by an integration: `error_code` is `<error_type>:<name>`."""

    def __init__(self, error_type: str, name: str, message: str):
        self.error_type = error_type
        self.name = name
        self.message = message
        self.error_code = "%s:%s" % (error_type, name)
        super().__init__(message)

    def __str__(self):
        return str(self.message)

    def to_dict(self):
        return {"error": True, "message": self.message, "code": self.error_code}


class ExceptionWithHint(SymException):
    """A SymException whose string form ends with a hint."""

    @property
    @abstractmethod
    def hint(self) -> str:
        """What to do about it."""

    def __str__(self):
        return "%s\n\n*Hint:* %s" % (self.message, self.hint)

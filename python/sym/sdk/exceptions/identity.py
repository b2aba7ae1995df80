"""Exceptions about user identities."""

from .sym_exception import ExceptionWithHint, SymException


class IdentityError(SymException):
    """An identity could not be found or saved."""

    def __init__(self, name: str, message: str, error_type: str = "Identity"):
        super().__init__(error_type, name, message)


class CouldNotSaveError(IdentityError):
    def __init__(self, message: str):
        super().__init__("COULD_NOT_SAVE", message)


class IdentityNotFound(IdentityError, ExceptionWithHint):
    def __init__(self, email: str, service_id: str):
        self.email = email
        self.service_id = service_id
        super().__init__("NOT_FOUND", "no identity for %s in %s" % (email, service_id))

    @property
    def hint(self) -> str:
        return "check that %s has an identity for %s" % (self.email, self.service_id)

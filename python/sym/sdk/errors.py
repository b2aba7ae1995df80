"""Errors of the SDK's own machinery (not the integration exceptions)."""

from enum import Enum
from typing import Optional

_SUPPORT_URL = "https://docs.symops.com/docs/support"


class SymSDKError(Exception):
    """Base class of SDK errors: a message, a hint and a documentation link."""

    def __init__(self, message: str, hint: str, doc_url: str, **kwargs):
        self.message = message
        self.hint = hint
        self.doc_url = doc_url
        for key, value in kwargs.items():
            setattr(self, key, value)
        super().__init__(message)

    def __str__(self):
        parts = [str(self.message)]
        if self.hint:
            parts.append(str(self.hint))
        if self.doc_url:
            parts.append("For more details, see %s" % self.doc_url)
        return "\n\n".join(parts)

    def format_slack(self):
        return "*%s*\n%s\n<%s|Docs>" % (self.message, self.hint or "", self.doc_url or "")


class SymIntegrationError(SymSDKError):
    """An integration call failed (the SDK-machinery flavour)."""

    def __init__(
        self,
        message="",
        hint=None,
        doc_url=None,
        *,
        error_code: Optional[Enum] = None,
        params: Optional[dict] = None,
    ):
        self.error_code = error_code
        self.params = params or {}
        super().__init__(
            message or "An error occurred.",
            hint or "Please contact support.",
            doc_url or _SUPPORT_URL,
        )

    def __str__(self):
        text = SymSDKError.__str__(self)
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return text

"""Sym Resource Names and the resource base classes."""

import json
import re
from typing import Optional, Union

from .errors import SymSDKError

_COMPONENT = re.compile(r"^[a-zA-Z0-9-_]+$")
_VERSION = re.compile(r"^(latest|\d{1,3}\.\d{1,3}\.\d{1,3})$")
_TYPED_MODELS = {
    "access_strategy",
    "access_target",
    "user",
    "secret",
    "secrets",
    "integration",
    "log_destination",
}
_DOCS = "https://docs.symops.com/docs/sym-resource-names"


class InvalidSRNError(SymSDKError):
    def __init__(self, srn: str, hint: str = None):
        super().__init__(
            "Invalid SRN: %s" % srn,
            hint or "SRNs look like <ORG>:<MODEL>[:<TYPE>]:<SLUG>:<VERSION>[:<IDENTIFIER>]",
            _DOCS,
        )


class InvalidSlugError(InvalidSRNError):
    def __init__(self, srn: str, component: str, value: str):
        super().__init__(srn, "the %s %r may only contain letters, digits, '-' and '_'" % (component, value))


class MissingComponentError(InvalidSRNError):
    def __init__(self, srn: str, component: str):
        super().__init__(srn, "the %s component is missing" % component)


class InvalidVersionError(InvalidSRNError):
    def __init__(self, srn: str, component: str, value: str):
        super().__init__(srn, "the %s %r must be 'latest' or like 1.0.0" % (component, value))


class TrailingSeparatorError(InvalidSRNError):
    def __init__(self, srn: str):
        super().__init__(srn, "an SRN must not end with ':'")


class MultipleErrors(InvalidSRNError):
    """Collects several problems with one SRN."""

    def __init__(self, srn: str):
        self.srn = srn
        self.errors = []
        super().__init__(srn)

    def add(self, exc):
        self.errors.append(exc)

    def check(self):
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            self.hint = "; ".join(e.hint for e in self.errors)
            raise self


class SRN:
    """A Sym Resource Name: <ORG>:<MODEL>[:<TYPE>]:<SLUG>:<VERSION>[:<IDENTIFIER>]."""

    def __init__(self, org: str, model: str, type: Optional[str], slug: str, version: str, identifier: Optional[str] = None):
        self._org = org
        self._model = model
        self._type = type
        self._slug = slug
        self._version = version
        self._identifier = identifier
        self._check()

    def _check(self):
        raw = str(self)
        errors = []
        parts = [("organization", self._org), ("model", self._model), ("slug", self._slug)]
        if self._type is not None:
            parts.append(("type", self._type))
        if self._identifier is not None:
            parts.append(("identifier", self._identifier))
        for name, value in parts:
            if value is None or value == "":
                errors.append(MissingComponentError(raw, name))
            elif not _COMPONENT.match(str(value)):
                errors.append(InvalidSlugError(raw, name, str(value)))
        if self._version is None or self._version == "":
            errors.append(MissingComponentError(raw, "version"))
        elif not _VERSION.match(str(self._version)):
            errors.append(InvalidVersionError(raw, "version", str(self._version)))
        if self.requires_type(self._model or "") and not self._type:
            errors.append(MissingComponentError(raw, "type"))
        if errors:
            collected = MultipleErrors(raw)
            for e in errors:
                collected.add(e)
            collected.check()

    @classmethod
    def requires_type(cls, model: str) -> bool:
        return model in _TYPED_MODELS

    @classmethod
    def parse(cls, raw: str) -> "SRN":
        if not isinstance(raw, str):
            raise InvalidSRNError(str(raw))
        if raw.endswith(":"):
            raise TrailingSeparatorError(raw)
        parts = raw.lower().split(":")
        if len(parts) < 4:
            raise MissingComponentError(raw, "slug or version")
        org, model = parts[0], parts[1]
        rest = parts[2:]
        if cls.requires_type(model):
            if len(rest) < 3:
                raise MissingComponentError(raw, "type")
            typ, slug, version, ident = rest[0], rest[1], rest[2], rest[3:]
        else:
            typ, slug, version, ident = None, rest[0], rest[1], rest[2:]
        return cls(org, model, typ, slug, version, ident[0] if ident else None)

    @property
    def organization(self) -> str:
        return self._org

    @property
    def model(self) -> str:
        return self._model

    @property
    def type(self) -> Optional[str]:
        return self._type

    @property
    def slug(self) -> str:
        return self._slug

    @property
    def version(self) -> str:
        return self._version

    @property
    def identifier(self) -> Optional[str]:
        return self._identifier

    def copy(self, organization: Optional[str] = None, model: Optional[str] = None, type: Optional[str] = None, slug: Optional[str] = None, version: Optional[str] = None, identifier: Optional[str] = None):
        return SRN(
            organization or self._org,
            model or self._model,
            type or self._type,
            slug or self._slug,
            version or self._version,
            identifier or self._identifier,
        )

    def __str__(self):
        parts = [self._org, self._model]
        if self._type:
            parts.append(self._type)
        parts += [self._slug, self._version]
        if self._identifier:
            parts.append(self._identifier)
        return ":".join(str(p) for p in parts)

    def __repr__(self):
        return "SRN(%s)" % self

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = SRN.parse(other)
            except SymSDKError:
                return False
        return isinstance(other, SRN) and str(self) == str(other)

    def __hash__(self):
        return hash(str(self))


def _simple(value):
    return isinstance(value, (str, int, float, bool, type(None), list, dict, tuple))


class SymBaseResource:
    """Common base: dict(), JSON str() and equality by content."""

    def dict(self):
        out = {}
        for name in dir(self):
            if name.startswith("_"):
                continue
            try:
                value = getattr(self, name)
            except Exception:  # noqa: BLE001 - properties of fakes may raise
                continue
            if callable(value) or not _simple(value):
                continue
            out[name] = value
        return out

    def __str__(self):
        return json.dumps(self.dict(), default=str)

    def __eq__(self, other):
        return isinstance(other, SymBaseResource) and self.dict() == other.dict()

    def __hash__(self):
        return hash(str(self))


class SymResource(SymBaseResource):
    """A resource identified by an SRN; unknown attributes read the SRN."""

    def __init__(self, srn: Union[SRN, str]):
        self._srn = srn if isinstance(srn, SRN) else SRN.parse(srn)

    @property
    def srn(self) -> SRN:
        return self._srn

    @property
    def name(self) -> str:
        return self._srn.slug

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.__dict__.get("_srn") or object(), name)

    def __eq__(self, other):
        return isinstance(other, SymResource) and self.srn == other.srn

    def __hash__(self):
        return hash(str(self.srn))

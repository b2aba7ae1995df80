"""A small validating model base with pydantic v1 semantics (no pydantic).

Only what the SDK's concrete models need: typed fields with defaults,
coercion the way pydantic v1 coerces, per-model validators, `dict()`,
`json()` and `parse_obj()`.
"""

import copy as _copy
import json as _json
import uuid as _uuid
from decimal import Decimal
from enum import Enum

_REQUIRED = object()


class ValidationError(ValueError):
    """Raised when a model rejects its input (like pydantic's ValidationError)."""

    def __init__(self, model, errors):
        self.model = model
        self.errors_list = errors
        lines = ["%d validation error(s) for %s" % (len(errors), model)]
        for loc, msg in errors:
            lines.append("%s\n  %s" % (loc, msg))
        super().__init__("\n".join(lines))


class _Invalid(ValueError):
    pass


def fail(msg):
    raise _Invalid(msg)


# --- type validators -------------------------------------------------------

_TRUE = {1, "1", "on", "t", "true", "y", "yes"}
_FALSE = {0, "0", "off", "f", "false", "n", "no"}


def v_any(v):
    return v


def v_bool(v):
    if v is True or v is False:
        return v
    if isinstance(v, bytes):
        v = v.decode()
    if isinstance(v, str):
        v = v.lower()
    try:
        if v in _TRUE:
            return True
        if v in _FALSE:
            return False
    except TypeError:
        pass
    fail("value could not be parsed to a boolean")


def v_int(v):
    if isinstance(v, int) and not (v is True or v is False):
        return v
    try:
        return int(v)
    except (TypeError, ValueError, OverflowError):
        fail("value is not a valid integer")


def v_str(v):
    if isinstance(v, str):
        if isinstance(v, Enum):
            return v.value
        return v
    if isinstance(v, (float, int, Decimal)) and not isinstance(v, bool):
        return str(v)
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode()
    fail("str type expected")


def v_uuid(v):
    if isinstance(v, _uuid.UUID):
        return v
    try:
        if isinstance(v, str):
            return _uuid.UUID(v)
        if isinstance(v, (bytes, bytearray)):
            try:
                return _uuid.UUID(v.decode())
            except ValueError:
                return _uuid.UUID(bytes=bytes(v))
    except ValueError:
        pass
    fail("value is not a valid uuid")


def optional(inner):
    def check(v):
        if v is None:
            return None
        return inner(v)

    return check


def list_of(inner, min_items=None, max_items=None):
    def check(v):
        if isinstance(v, (str, bytes, dict)) or not hasattr(v, "__iter__"):
            fail("value is not a valid list")
        items = list(v)
        out = []
        for i, item in enumerate(items):
            try:
                out.append(inner(item))
            except _Invalid as e:
                raise _Invalid("item %d: %s" % (i, e))
        if min_items is not None and len(out) < min_items:
            fail("ensure this value has at least %d items" % min_items)
        if max_items is not None and len(out) > max_items:
            fail("ensure this value has at most %d items" % max_items)
        return out

    return check


def enum_of(cls):
    def check(v):
        try:
            return cls(v)
        except ValueError:
            fail("value is not a valid enumeration member")

    return check


def model_of(cls):
    def check(v):
        if isinstance(v, cls):
            return _copy.copy(v)
        if isinstance(v, dict):
            try:
                return cls(**v)
            except ValidationError as e:
                raise _Invalid(str(e))
        fail("value is not a valid dict")

    return check


def call_checked(model, check, v):
    """`check(v)`, its rejection raised as the ValidationError of `model`."""
    try:
        return check(v)
    except _Invalid as e:
        raise ValidationError(model, [("__root__", str(e))])


def instance_of(cls):
    def check(v):
        if isinstance(v, cls):
            return v
        fail("instance of %s expected" % cls.__name__)

    return check


def union(*options):
    def check(v):
        errors = []
        for opt in options:
            try:
                return opt(v)
            except _Invalid as e:
                errors.append(str(e))
        fail("; ".join(errors))

    return check


def max_len(inner, n):
    def check(v):
        v = inner(v)
        if len(v) > n:
            fail("ensure this value has at most %d characters" % n)
        return v

    return check


class F:
    """One declared field."""

    def __init__(self, check, default=_REQUIRED, immutable=False):
        self.check = check
        self.default = default
        self.immutable = immutable


def _plain(v):
    if isinstance(v, Model):
        return v.dict()
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


class Model:
    """Base of the stand-in's data models."""

    _fields = {}
    _validate_assignment = False

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        merged = {}
        for base in reversed(cls.__mro__[1:]):
            merged.update(getattr(base, "_own_fields", {}))
        merged.update(cls.__dict__.get("_own_fields", {}))
        cls._fields = merged

    def __init__(self, **data):
        errors = []
        values = {}
        for name, f in type(self)._fields.items():
            if name in data:
                try:
                    values[name] = f.check(data[name])
                except _Invalid as e:
                    errors.append((name, str(e)))
            elif f.default is _REQUIRED:
                errors.append((name, "field required"))
            else:
                values[name] = _copy.deepcopy(f.default)
        if not errors:
            try:
                values = type(self)._check(values)
            except (_Invalid, ValueError, TypeError) as e:
                errors.append(("__root__", str(e)))
        if errors:
            raise ValidationError(type(self).__name__, errors)
        for k, v in values.items():
            object.__setattr__(self, k, v)

    @classmethod
    def _check(cls, values):
        return values

    def __setattr__(self, name, value):
        f = type(self)._fields.get(name)
        if f is not None and type(self)._validate_assignment:
            if f.immutable:
                raise TypeError('"%s" has allow_mutation set to False and cannot be assigned' % name)
            try:
                value = f.check(value)
            except _Invalid as e:
                raise ValidationError(type(self).__name__, [(name, str(e))])
        object.__setattr__(self, name, value)

    def dict(self, **kwargs):
        return {k: _plain(getattr(self, k)) for k in type(self)._fields}

    def json(self, **kwargs):
        return _json.dumps(self.dict(), default=str)

    @classmethod
    def parse_obj(cls, obj):
        if isinstance(obj, cls):
            return obj
        if not isinstance(obj, dict):
            raise ValidationError(cls.__name__, [("__root__", "value is not a valid dict")])
        return cls(**obj)

    def __eq__(self, other):
        if isinstance(other, Model):
            return self.dict() == other.dict()
        return self.dict() == other

    __hash__ = None

    def __repr__(self):
        args = ", ".join("%s=%r" % (k, getattr(self, k)) for k in type(self)._fields)
        return "%s(%s)" % (type(self).__name__, args)

    def __iter__(self):
        for k in type(self)._fields:
            yield k, getattr(self, k)

"""The recording half of the stand-in: mocks, calls, messages, and the
step pipeline of a run. Private to symflow; flow code never imports it.

One test runs per process (the runner forks per test), so module globals
hold the state of the current run.
"""

import datetime as _dt
import hashlib
import re
import uuid

_NS = uuid.UUID("6f0c7d2e-3b9a-4c1e-9a57-2f4f3c7b9e10")
_CHANNEL_ID = re.compile(r"^[CDG][A-Z0-9]{6,}$")
_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{6,}$")

REGISTRY = {"reducer": {}, "hook": {}, "prefetch": {}}
RUN = None

STEPS = ("prompt", "request", "request_forward", "request_expire", "approve", "deny", "escalate", "deescalate")
KNOWN_OBJECT_MOCKS = {
    "user.get_event_count": "int",
    "user.identity": "identity",
    "secret.retrieve_value": "str",
    "strategy.escalate": "any",
    "strategy.deescalate": "any",
}


class SimError(Exception):
    """The flow broke a rule of the runtime (e.g. a reducer returned the wrong type)."""

    def __init__(self, message, fn=None):
        super().__init__(message)
        self.fn = fn


class TemplateAction:
    """What `ApprovalTemplate.<step>(...)` returns: a request to fire a step."""

    def __init__(self, step, kwargs):
        self.step = step
        self.kwargs = kwargs

    def __repr__(self):
        return "TemplateAction(%s)" % self.step


def register(kind, name, fn):
    REGISTRY[kind][name] = fn


# --- value helpers ------------------------------------------------------------


def uid(text):
    return uuid.uuid5(_NS, str(text))


_TYPES = None


def _types():
    global _TYPES
    if _TYPES is None:
        from ._model import Model
        from .resource import SRN, SymBaseResource
        from .user import User

        _TYPES = (User, SRN, SymBaseResource, Model)
    return _TYPES


def jsonable(v, depth=0):
    User, SRN, SymBaseResource, Model = _types()
    if depth > 20:
        return repr(v)
    if v is None or isinstance(v, (bool, int, float, str)):
        if isinstance(v, str) and hasattr(v, "value") and not type(v) is str:
            return v.value
        return v
    if isinstance(v, User):
        return v.username
    if isinstance(v, Model):
        return jsonable(v.dict(), depth + 1)
    if isinstance(v, (list, tuple, set, frozenset)):
        return [jsonable(x, depth + 1) for x in v]
    if isinstance(v, dict):
        return {str(k): jsonable(x, depth + 1) for k, x in v.items()}
    if isinstance(v, (uuid.UUID, SRN, _dt.datetime, _dt.date)):
        return str(v)
    if isinstance(v, TemplateAction):
        return {"action": v.step}
    if isinstance(v, SymBaseResource):
        return repr(v)
    return repr(v)


def _matches(actual, expected):
    User = _types()[0]
    if isinstance(actual, User):
        if isinstance(expected, str):
            return expected in (actual.username, actual.email)
        return False
    if isinstance(expected, list):
        if not isinstance(actual, (list, tuple, set)) or len(actual) != len(expected):
            return False
        return all(_matches(a, e) for a, e in zip(list(actual), expected))
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return False
        return all(k in actual and _matches(actual[k], e) for k, e in expected.items())
    return jsonable(actual) == expected


def make_user(spec):
    from ._runtime import SimUser

    if isinstance(spec, SimUser):
        return spec
    if isinstance(spec, str):
        spec = {"email": spec}
    if not isinstance(spec, dict):
        raise SimError("a user must be an email or an object with `email`, got %r" % (spec,))
    return SimUser(spec)


def _convert(value, kind):
    if kind == "users" and isinstance(value, list):
        return [make_user(v) for v in value]
    if kind in ("user", "user_by_email") and (isinstance(value, (str, dict))):
        return make_user(value)
    if kind == "users_by_emails" and isinstance(value, list):
        return [make_user(v) for v in value]
    if kind == "identity" and isinstance(value, dict):
        from ._runtime import SimIdentity

        return SimIdentity(value.get("service", ""), value.get("service_id", ""), value.get("user_id", ""))
    return value


def _default(kind, args):
    if kind == "bool":
        return False
    if kind in ("list", "users"):
        return []
    if kind == "dict":
        return {}
    if kind == "int":
        return 0
    if kind == "str":
        return ""
    if kind == "user_by_email":
        return make_user(args.get("email", ""))
    if kind == "users_by_emails":
        return [make_user(e) for e in args.get("emails") or []]
    if kind == "identity":
        from ._runtime import SimIdentity

        return SimIdentity(args.get("service", ""), args.get("service_id", ""), args.get("user_id", ""))
    return None


def _exception(spec):
    """Build the exception a mock raises: {class, args} or "Class: message"."""
    import builtins
    import importlib
    import inspect

    from . import exceptions

    name = spec.get("class", "")
    args = spec.get("args")
    cls = None
    if "." in name:
        module, _, attr = name.rpartition(".")
        try:
            cls = getattr(importlib.import_module(module), attr, None)
        except ImportError:
            cls = None
    else:
        cls = getattr(exceptions, name, None)
        if cls is None:
            from .exceptions import identity

            cls = getattr(identity, name, None)
        if cls is None:
            from .errors import SymSDKError, SymIntegrationError as _SDKIntegrationError

            cls = {"SymSDKError": SymSDKError}.get(name)
        if cls is None:
            cls = getattr(builtins, name, None)
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        raise SimError("mock raises %r, which is not an exception class of sym.sdk or Python" % name)
    if args is None:
        message = spec.get("message") or "mocked error"
        try:
            sig = inspect.signature(cls.__init__)
            required = [
                p for p in list(sig.parameters.values())[1:]
                if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]
        except (TypeError, ValueError):
            required = []
        if len(required) >= 2:
            args = ["MOCKED"] * (len(required) - 1) + [message]
        else:
            args = [message]
    try:
        if isinstance(args, dict):
            return cls(**args)
        return cls(*args)
    except TypeError as e:
        raise SimError("cannot build %s from the mock's args: %s" % (name, e))


def call(name, args, kind="any"):
    """An integration call: record it, answer with a mock or a default."""
    args = dict(args)
    run = RUN
    if run is None:
        return _default(kind, args)
    run.calls.append({"name": name, "args": jsonable(args)})
    mock = _find_mock(run, name, args)
    if mock is not None:
        return _convert(mock.get("returns"), kind)
    value = _default(kind, args)
    run.warnings.append("unmocked call %s(%s) returned %r" % (name, _short_args(args), jsonable(value)))
    return value


def _find_mock(run, name, args):
    """The first mock of `name` whose `when` matches; raises its exception."""
    for mock in run.mocks:
        if mock["target"] != name:
            continue
        when = mock.get("when")
        if when and not all(k in args and _matches(args[k], v) for k, v in when.items()):
            continue
        mock["used"] = True
        if mock.get("raises") is not None:
            raise _exception(mock["raises"])
        return mock
    return None


def _short_args(args):
    parts = []
    for k, v in args.items():
        if v is None:
            continue
        text = repr(jsonable(v))
        if len(text) > 40:
            text = text[:37] + "..."
        parts.append("%s=%s" % (k, text))
    return ", ".join(parts)


# --- slack rendering ---------------------------------------------------------

SLACK_NAMES = {}


def looks_like_channel_id(name):
    return isinstance(name, str) and bool(_CHANNEL_ID.match(name))


def slack_user_id(identifier):
    from .user import User

    if isinstance(identifier, User):
        found = identifier.identity("slack")
        if found is not None:
            SLACK_NAMES.setdefault(found.user_id, identifier.username)
            return found.user_id
        identifier = identifier.username
    if not isinstance(identifier, str):
        raise TypeError("a Slack user is a Slack ID, an email, '@Display Name' or a User")
    if _SLACK_USER_ID.match(identifier):
        return identifier
    fake = "U" + hashlib.sha1(identifier.encode()).hexdigest()[:10].upper()
    SLACK_NAMES[fake] = identifier
    return fake


def render(dest):
    from .request_destination import (
        RequestDestinationFallback,
        SlackChannelID,
        SlackChannelName,
        SlackUser,
        SlackUserGroup,
    )
    from .user import User

    if isinstance(dest, User):
        return dest.email or dest.username
    if isinstance(dest, SlackChannelName):
        return dest.channel_name
    if isinstance(dest, SlackChannelID):
        return dest.channel_id
    if isinstance(dest, SlackUser):
        return SLACK_NAMES.get(dest.user_id, dest.user_id)
    if isinstance(dest, SlackUserGroup):
        return ",".join(render(u) for u in dest.users)
    if isinstance(dest, RequestDestinationFallback):
        return " | ".join(render(d) for d in dest.destinations)
    return str(dest)


def send_message(destination, message):
    from .request_destination import RequestDestination
    from .user import User

    if not isinstance(destination, (User, RequestDestination)):
        raise TypeError("send_message needs a User or a RequestDestination, got %s" % type(destination).__name__)
    if RUN is not None:
        RUN.calls.append({"name": "slack.send_message", "args": {"destination": render(destination), "message": str(message)}})
        if _find_mock(RUN, "slack.send_message", {"destination": destination, "message": message}) is None:
            RUN.message(render(destination), message, "impl")


def send_thread_message(message):
    from .exceptions.slack import SlackError

    if RUN is not None:
        RUN.calls.append({"name": "slack.send_thread_message", "args": {"message": str(message)}})
        if _find_mock(RUN, "slack.send_thread_message", {"message": message}) is not None:
            return
        if not RUN.request_sent:
            raise SlackError("NO_THREAD", "the request was not sent to Slack, so it has no thread")
        RUN.message("thread", message, "impl")


def step_output(step=None):
    if RUN is None:
        return {}
    key = RUN.current if step is None else getattr(step, "value", step)
    return RUN.step_outputs.get(str(key), {})



"""The runtime half of the stand-in: fake Sym objects (users, flows,
events...) and the step pipeline of one run. Private to symflow.
"""

import datetime as _dt
import re
import sys
import traceback
import uuid

from ._sim import (
    REGISTRY,
    STEPS,
    KNOWN_OBJECT_MOCKS,
    SimError,
    TemplateAction,
    call,
    jsonable,
    make_user,
    render,
    uid,
)
from . import _sim

from .event import Channel, Event, EventMeta, Payload
from .flow import Environment, Flow, Run
from .forms import FieldOption, PromptField
from .resource import SRN
from .secret import Secret, SecretSource
from .strategies import Integration
from .target import AccessTarget
from .templates import ApprovalTemplate
from .user import User, UserIdentity, UserRole


def _srn(org, model, type_, slug, version, identifier=None):
    """An SRN built from components symflow already made safe (no re-validation)."""
    srn = SRN.__new__(SRN)
    srn._org, srn._model, srn._type, srn._slug = org, model, type_, slug
    srn._version, srn._identifier = version, identifier
    return srn


def _slug(text):
    s = re.sub(r"[^a-zA-Z0-9_-]+", "-", str(text)).strip("-")
    return s or "x"


class SimIdentity(UserIdentity):
    def __init__(self, service, service_id, user_id):
        self._service, self._service_id, self._user_id = service, service_id, user_id

    service = property(lambda self: self._service)
    service_id = property(lambda self: self._service_id)
    user_id = property(lambda self: self._user_id)


class SimUser(User):
    def __init__(self, spec):
        email = spec.get("email")
        username = spec.get("username") or email
        if not username:
            raise SimError("a user needs an `email` or a `username`")
        self._email = email
        self._username = username
        self._type = spec.get("type") or "normal"
        self._first = spec.get("first_name")
        self._last = spec.get("last_name")
        try:
            self._role = UserRole(spec.get("role") or "member")
        except ValueError:
            raise SimError("user role must be admin, member or guest, got %r" % spec.get("role"))
        self._id = uuid.UUID(spec["id"]) if spec.get("id") else uid(username)
        self._identities = {}
        for service, entries in (spec.get("identities") or {}).items():
            if not isinstance(entries, list):
                entries = [entries]
            out = []
            for e in entries:
                if isinstance(e, str):
                    e = {"user_id": e}
                out.append(SimIdentity(service, e.get("service_id", ""), e.get("user_id", "")))
            self._identities[service] = out

    id = property(lambda self: self._id)
    email = property(lambda self: self._email)
    username = property(lambda self: self._username)
    type = property(lambda self: self._type)
    first_name = property(lambda self: self._first)
    last_name = property(lambda self: self._last)
    identities = property(lambda self: self._identities)
    role = property(lambda self: self._role)

    def identity(self, service_type, service_id=None):
        if _sim.RUN is not None and any(m["target"] == "user.identity" for m in _sim.RUN.mocks):
            return call("user.identity", {"user": self, "service_type": service_type, "service_id": service_id}, "identity")
        for ident in self._identities.get(service_type, []):
            if service_id is None or not ident.service_id or ident.service_id == service_id:
                return ident
        return None

    def get_event_count(self, event_name, since=None, until=None, filter_on="flow", include_errored=False):
        args = {"user": self, "event_name": event_name, "since": since, "until": until, "filter_on": filter_on, "include_errored": include_errored}
        return call("user.get_event_count", args, "int")


class SimSecretSource(SecretSource):
    def __init__(self, org, spec):
        SecretSource.__init__(self, _srn(org, "secrets", _slug(spec.get("type", "aws_secrets_manager")), _slug(spec.get("name", "source")), "latest"))
        self._spec = spec

    type = property(lambda self: self._spec.get("type", "aws_secrets_manager"))
    settings = property(lambda self: dict(self._spec.get("settings") or {}))


class SimSecret(Secret):
    def __init__(self, org, spec):
        Secret.__init__(self, _srn(org, "secret", "secret", _slug(spec.get("name", "secret")), "latest"))
        self._spec = spec
        self._source = SimSecretSource(org, spec.get("source") or {})

    id = property(lambda self: str(uid("secret:" + str(self._spec.get("name")))))
    path = property(lambda self: self._spec.get("path") or "")
    source = property(lambda self: self._source)
    settings = property(lambda self: dict(self._spec.get("settings") or {}))

    def retrieve_value(self):
        return call("secret.retrieve_value", {"secret": self._spec.get("name"), "path": self.path}, "str")


def _settings(org, raw):
    out = {}
    for k, v in (raw or {}).items():
        if isinstance(v, dict) and "__secret__" in v:
            out[k] = SimSecret(org, v["__secret__"])
        elif isinstance(v, list) and v and all(isinstance(x, dict) and "__secret__" in x for x in v):
            out[k] = [SimSecret(org, x["__secret__"]) for x in v]
        else:
            out[k] = v
    return out


class SimIntegration(Integration):
    def __init__(self, org, spec):
        Integration.__init__(self, _srn(org, "integration", _slug(spec.get("type", "custom")), _slug(spec.get("name", "integration")), "latest"))
        self._spec = spec
        self._settings = _settings(org, spec.get("settings"))

    type = property(lambda self: self._spec.get("type", ""))
    external_id = property(lambda self: self._spec.get("external_id") or "")
    settings = property(lambda self: self._settings)


class SimTarget(AccessTarget):
    def __init__(self, org, spec):
        AccessTarget.__init__(self, _srn(org, "access_target", _slug(spec.get("type", "target")), _slug(spec.get("name", "target")), "latest"))
        self._spec = spec

    label = property(lambda self: self._spec.get("label"))
    type = property(lambda self: self._spec.get("type", ""))
    settings = property(lambda self: dict(self._spec.get("settings") or {}))


class SimEnvironment(Environment):
    def __init__(self, org, spec):
        Environment.__init__(self, _srn(org, "environment", None, _slug(spec.get("name", "main")), "latest"))
        self._integrations = {k: SimIntegration(org, v) for k, v in (spec.get("integrations") or {}).items()}

    integrations = property(lambda self: self._integrations)


class SimFlow(Flow):
    def __init__(self, org, spec, vars_, strategy):
        Flow.__init__(self, _srn(org, "flow", None, _slug(spec.get("name", "flow")), "latest", str(uid("flow:" + spec.get("name", "")))))
        self._vars = dict(vars_)
        self._environment = SimEnvironment(org, spec.get("environment") or {})
        self._strategy = strategy
        self._fields = {}
        for f in spec.get("fields") or []:
            options = [FieldOption(value=v, label=v) for v in f.get("allowed_values") or []]
            self._fields[f["name"]] = PromptField(
                name=f["name"],
                type=f["type"],
                label=f.get("label") or None,
                required=f.get("required", True),
                visible=f.get("visible", True),
                current_allowed_values=options,
                original_allowed_values=options,
                value=None,
            )

    fields = property(lambda self: self._fields)
    vars = property(lambda self: self._vars)
    environment = property(lambda self: self._environment)
    strategy = property(lambda self: self._strategy)


class SimChannel(Channel):
    def __init__(self, org, kind="slack"):
        Channel.__init__(self, _srn(org, "channel", None, kind, "latest"))
        self._kind = kind

    identifier = property(lambda self: None)
    type = property(lambda self: self._kind)


class SimPayload(Payload):
    def __init__(self, srn, fields, user):
        Payload.__init__(self, srn)
        self._fields, self._user, self._ts = fields, user, _dt.datetime.now(_dt.timezone.utc)

    timestamp = property(lambda self: self._ts)
    fields = property(lambda self: self._fields)
    srn = property(lambda self: self._srn)
    user = property(lambda self: self._user)


class SimMeta(EventMeta):
    pass


class SimRun(Run):
    def __init__(self, org, sim):
        Run.__init__(self, _srn(org, "run", None, "run", "latest", str(uid("run:" + sim.flow_name))))
        self._sim = sim

    actors = property(lambda self: dict(self._sim.actors))
    contexts = property(lambda self: dict(self._sim.contexts))
    source_channel = property(lambda self: self._sim.channel)


class SimTemplate(ApprovalTemplate):
    """`event.template`: the approval template (`sym:template:approval:1.0.0`),
    a resource whose `name` is `approval` and whose actions are the same as
    ApprovalTemplate's (`event.template.approve(...)` works too)."""

    @classmethod
    def ignore(cls, *, message=None, **kwargs):
        return super().ignore(message=message, **kwargs)

    @classmethod
    def prompt(cls, **kwargs):
        return super().prompt(**kwargs)

    @classmethod
    def request(cls, *, target_srn=None, duration=None, **kwargs):
        return super().request(target_srn=target_srn, duration=duration, **kwargs)

    @classmethod
    def approve(cls, *, target_srn=None, duration=None, **kwargs):
        return super().approve(target_srn=target_srn, duration=duration, **kwargs)

    @classmethod
    def deny(cls, *, target_srn=None, duration=None, **kwargs):
        return super().deny(target_srn=target_srn, duration=duration, **kwargs)

    @classmethod
    def escalate(cls, *, target_srn=None, duration=None, **kwargs):
        return super().escalate(target_srn=target_srn, duration=duration, **kwargs)

    @classmethod
    def deescalate(cls, *, target_srn=None, **kwargs):
        return super().deescalate(target_srn=target_srn, **kwargs)


class SimEvent(Event):
    def __init__(self, sim, step, actor):
        srn = _srn(sim.org, "event-spec", None, "approval", "1.0.0", step)
        Event.__init__(self, srn)
        self._sim = sim
        # Events fired by a hook's template action come from Sym, not Slack.
        self._channel = SimChannel(sim.org, "sym") if step in sim.via_hook else sim.channel
        self._name = step
        self._payload = SimPayload(srn, dict(sim.fields), actor)

    name = property(lambda self: self._name)
    payload = property(lambda self: self._payload)
    meta = property(lambda self: SimMeta(self._srn))
    template = property(lambda self: SimTemplate(_srn(self._sim.org, "template", None, "approval", "1.0.0")))
    flow = property(lambda self: self._sim.flow)
    run = property(lambda self: self._sim.run)
    channel = property(lambda self: self._channel)

    def get_actor(self, event_name):
        return self._sim.actors.get(getattr(event_name, "value", event_name))

    def get_context(self, event_name):
        return self._sim.contexts.get(getattr(event_name, "value", event_name))


# --- the run -------------------------------------------------------------------


class Sim:
    def __init__(self, spec):
        self.spec = spec
        self.org = _slug(spec.get("org") or "symflow-test")
        flow_spec = spec["flow"]
        self.flow_name = flow_spec.get("name", "flow")
        self.mocks = [dict(m, used=False) for m in spec.get("mocks") or []]
        self.calls, self.messages, self.warnings = [], [], []
        self.steps, self.hooks, self.reducers = [], [], []
        self.notifications, self.permissions, self.options = [], None, {}
        self.step_outputs, self.actors, self.contexts = {}, {}, {}
        self.outcome, self.current, self.request_sent = None, None, False
        self.request_destinations, self.recursed, self.legacy_allow_self = [], set(), None
        self.last_fn = None
        self.via_hook = set()
        self.requester = make_user(spec.get("user") or {"email": "requester@example.com"})
        default_actor = "approver@example.com"
        if self.requester.username == default_actor:
            default_actor = "approver-2@example.com"
        # The default actor is a member distinct from the requester.
        self.actor = make_user(spec.get("actor") or {"email": default_actor})
        self.approver = None
        self.fields = dict(spec.get("fields") or {})
        strategy_spec = flow_spec.get("strategy")
        self.strategy = None
        self.target = None
        if strategy_spec:
            targets = [SimTarget(self.org, t) for t in strategy_spec.get("targets") or []]
            self.strategy = _make_strategy(self.org, strategy_spec, targets)
            wanted = spec.get("target")
            chosen = None
            for t, tspec in zip(targets, strategy_spec.get("targets") or []):
                if wanted is None or wanted in (tspec.get("name"), tspec.get("address"), tspec.get("label")):
                    chosen = (t, tspec)
                    break
            if chosen is None and wanted is not None:
                names = ", ".join(str(t.get("name")) for t in strategy_spec.get("targets") or [])
                raise SimError("target %r is not a target of the flow's strategy (targets: %s)" % (wanted, names or "none"))
            if chosen is not None:
                self.target = chosen[0]
                self.fields["target"] = chosen[0]
                self.fields["target_id"] = str(uid("target:" + str(chosen[1].get("name"))))
        self.flow = SimFlow(self.org, flow_spec, spec.get("vars") or {}, self.strategy)
        self.channel = SimChannel(self.org)
        self.run = SimRun(self.org, self)
        self.allow_guest = bool(flow_spec.get("allow_guest_interaction"))

    def message(self, to, text, source):
        self.messages.append({"to": str(to), "text": str(text), "from": source})

    # the pipeline ----------------------------------------------------------

    def go(self):
        event = self.spec.get("event", "request")
        if event not in STEPS:
            raise SimError("unknown event %r" % event)
        if event in ("request_forward", "request_expire"):
            raise SimError("%s is not supported by symflow test yet" % event)
        if event in ("escalate", "deescalate") and self.strategy is None:
            raise SimError("flow %r has no strategy, so %s never fires (approval-only flows stop after approve)" % (self.flow_name, event))
        if event == "prompt":
            self.fire("prompt", self.requester)
            return
        self.fire("request", self.requester)
        if event == "request" or self.decided():
            return
        step = "approve" if event in ("escalate", "deescalate") else event
        self.fire(step, self.actor, human=True)
        if event == "deescalate" and "escalate" in self.steps and "deescalate" not in self.steps:
            self.fire("deescalate", self.approver or self.actor)

    def decided(self):
        return any(s in self.steps for s in ("approve", "deny")) or self.outcome == "ignore"

    def fire(self, step, actor, extra=None, human=False):
        if human and not self.permitted(step, actor):
            return
        if step in ("approve", "deny"):
            self.approver = actor
        if step in ("escalate", "deescalate"):
            actor = self.approver or actor
        self.steps.append(step)
        self.actors[step] = actor
        self.contexts[step] = dict(self.spec.get("context") or {}) if step == "request" else {}
        self.current = step
        if extra:
            for k, v in extra.items():
                if v is not None:
                    self.fields[k] = v
        on = REGISTRY["hook"].get("on_" + step)
        if on is not None:
            self.hooks.append("on_" + step)
            result = on(SimEvent(self, step, actor))
            if result is not None:
                if not isinstance(result, TemplateAction):
                    raise SimError("on_%s returned %r; a hook returns an ApprovalTemplate action or None" % (step, result), on)
                if self.outcome is None:
                    self.outcome = result.step
                if result.step == "ignore":
                    text = result.kwargs.get("message")
                    if text:
                        self.message(render(actor), text, "sym")
                    return
                if result.step == step:
                    if step not in self.recursed:
                        self.recursed.add(step)
                        self.steps.pop()
                        self.fire(step, actor, result.kwargs)
                        return
                else:
                    kwargs = {k: v for k, v in result.kwargs.items() if k not in ("target_srn",)}
                    self.via_hook.add(result.step)
                    self.fire(result.step, actor, kwargs)
                    return
        getattr(self, "default_" + step)(actor)
        self.current = step
        after = REGISTRY["hook"].get("after_" + step)
        if after is not None:
            self.hooks.append("after_" + step)
            after(SimEvent(self, step, actor))
        if step == "approve" and self.strategy is not None:
            self.fire("escalate", actor)

    def permitted(self, step, actor):
        why = None
        if step == "deny" and actor == self.requester:
            return True
        if actor.role == UserRole.ADMIN:
            return True
        if actor.role == UserRole.GUEST and not self.allow_guest:
            why = "guests may not act on requests of this flow (allow_guest_interaction is false)"
        elif self.permissions is not None:
            perm = self.permissions
            level = perm.approve_deny
            if isinstance(level, list):
                if actor.id not in level:
                    why = "%s is not in get_permissions().approve_deny" % actor.username
            elif level not in actor.role.permission_levels():
                why = "approve_deny is %s and %s is a %s" % (level.value, actor.username, actor.role.value)
            if why is None and actor == self.requester and not perm.allow_self_approval:
                why = "self-approval is not allowed (allow_self_approval is false)"
        elif self.legacy_allow_self is not None:
            if actor == self.requester and not self.legacy_allow_self:
                why = "self-approval is not allowed (allow_self is false)"
        if why is None:
            return True
        self.warnings.append("%s may not %s: %s" % (actor.username, step, why))
        self.message(render(actor), "you are not allowed to %s this request" % step, "sym")
        return False

    def reduce(self, name, event):
        fn = REGISTRY["reducer"].get(name)
        self.reducers.append(name)
        self.last_fn = fn
        return fn(event)

    def default_prompt(self, actor):
        from .forms import FieldOption as _FO

        for field, fn in REGISTRY["prefetch"].items():
            self.reducers.append("prefetch:" + field)
            options = fn(SimEvent(self, "prompt", actor))
            if not isinstance(options, (list, tuple)) or not all(isinstance(o, _FO) for o in options):
                raise SimError("the prefetch reducer for %r returned %r; it must return a list of FieldOption" % (field, options), fn)
            self.options[field] = [jsonable(o.value) for o in options]

    def default_request(self, actor):
        from .notifications import Notification
        from .request_destination import RequestDestination, RequestDestinationFallback
        from .request_permission import RequestPermission

        event = SimEvent(self, "request", actor)
        reducers = REGISTRY["reducer"]
        if "get_permissions" in reducers:
            perm = self.reduce("get_permissions", event)
            if not isinstance(perm, RequestPermission):
                raise SimError("get_permissions returned %r; it must return a RequestPermission" % (perm,), self.last_fn)
            self.permissions = perm
            if "get_request_notifications" in reducers:
                notes = self.reduce("get_request_notifications", event)
                if not isinstance(notes, (list, tuple)) or not all(isinstance(n, Notification) for n in notes):
                    raise SimError("get_request_notifications returned %r; it must return a list of Notification" % (notes,), self.last_fn)
                for i, n in enumerate(notes):
                    for d in n.destinations:
                        self.notifications.append(render(d))
                        if i == 0:
                            self.request_destinations.append(render(d))
            else:
                self.warnings.append("no get_request_notifications reducer: the request is not sent anywhere")
        elif "get_approvers" in reducers:
            dest = self.reduce("get_approvers", event)
            if isinstance(dest, RequestDestinationFallback):
                items = list(dest.destinations)
            elif isinstance(dest, RequestDestination):
                items = [dest]
            elif isinstance(dest, (list, tuple)) and all(isinstance(d, RequestDestination) for d in dest):
                items = list(dest)
            else:
                raise SimError("get_approvers returned %r; it must return a RequestDestination or a fallback" % (dest,), self.last_fn)
            self.legacy_allow_self = bool(getattr(dest, "allow_self", False) or any(d.allow_self for d in items))
            for i, d in enumerate(items):
                self.notifications.append(render(d))
                if i == 0:
                    self.request_destinations.append(render(d))
        else:
            raise SimError("the implementation has no @reducer get_permissions (or get_approvers), so the request cannot be routed")
        summary = ", ".join("%s: %s" % (k, jsonable(v)) for k, v in self.fields.items() if k not in ("target",))
        for to in self.request_destinations:
            self.request_sent = True
            self.message(to, "%s requests %s (%s)" % (actor.username, self.flow_name, summary), "sym")

    def _decision(self, verb, actor):
        for to in self.request_destinations:
            self.message(to, "request %s by %s" % (verb, actor.username), "sym")
        self.message(render(self.requester), "your request for %s was %s by %s" % (self.flow_name, verb, actor.username), "sym")

    def default_approve(self, actor):
        self._decision("approved", actor)

    def default_deny(self, actor):
        self._decision("denied", actor)

    def _strategy_step(self, step, actor):
        target = self.fields.get("target")
        args = {"target": getattr(target, "name", None), "target_id": self.fields.get("target_id")}
        kind = "any"
        out = None
        mocked = any(m["target"] == "strategy." + step for m in self.mocks)
        if mocked:
            out = call("strategy." + step, args, kind)
        else:
            if self.strategy is not None and self.strategy.type == "aws_lambda":
                self.warnings.append("unmocked strategy.%s returned {'body': {}, 'errors': []}" % step)
            out = {"body": {}, "errors": []} if self.strategy is not None and self.strategy.type == "aws_lambda" else {}
        self.step_outputs[step] = out if out is not None else {}
        errors = out.get("errors") if isinstance(out, dict) else None
        if errors:
            self.warnings.append("%s reported errors: %s" % (step, jsonable(errors)))
            self.message(render(self.requester), "%s failed: %s" % (step, jsonable(errors)), "sym")
        else:
            what = getattr(target, "label", None) or getattr(target, "name", None) or self.flow_name
            verb = "granted" if step == "escalate" else "removed"
            self.message(render(self.requester), "access to %s %s" % (what, verb), "sym")

    def default_escalate(self, actor):
        self._strategy_step("escalate", actor)

    def default_deescalate(self, actor):
        self._strategy_step("deescalate", actor)

    def result(self):
        perm = None
        if self.permissions is not None:
            perm = jsonable(self.permissions.dict())
        return {
            "outcome": self.outcome or "none",
            "steps": self.steps,
            "hooks": self.hooks,
            "reducers": self.reducers,
            "notifications": self.notifications,
            "messages": self.messages,
            "permissions": perm,
            "calls": self.calls,
            "options": self.options,
            "step_outputs": jsonable(self.step_outputs),
            "warnings": self.warnings,
            "unused_mocks": [m["target"] for m in self.mocks if not m["used"]],
        }


def _make_strategy(org, spec, targets):
    from .strategy import Strategy

    integration = SimIntegration(org, spec.get("integration") or {"type": spec.get("type", "custom"), "name": "strategy"})
    settings = {k: v for k, v in (spec.get("settings") or {}).items() if isinstance(v, str)}
    return Strategy(
        id=uid("strategy:" + str(spec.get("name"))),
        type=spec.get("type") or "custom",
        name=spec.get("name") or "strategy",
        label=spec.get("label"),
        integration=integration,
        targets=targets,
        settings=settings,
        srn=_srn(org, "access_strategy", _slug(spec.get("type") or "custom"), _slug(spec.get("name") or "strategy"), "latest"),
    )


def _known_mock(target):
    import importlib

    if target in KNOWN_OBJECT_MOCKS or target == "persist_user_identity":
        return True
    module, _, fn = target.rpartition(".")
    if not module or module.startswith("_"):
        return False
    try:
        mod = importlib.import_module("sym.sdk.integrations." + module)
    except ImportError:
        return False
    return callable(getattr(mod, fn, None)) and not fn.startswith("_")


def error_info(exc, filename):
    tb = traceback.extract_tb(exc.__traceback__)
    frames = [f for f in tb if f.filename == filename]
    location = None
    if frames:
        location = "%s:%d" % (filename, frames[-1].lineno)
    elif isinstance(exc, SyntaxError) and exc.filename == filename:
        location = "%s:%d" % (filename, exc.lineno or 0)
    elif isinstance(exc, SimError) and getattr(getattr(exc.fn, "_symflow_fn", exc.fn), "__code__", None) is not None:
        code = getattr(exc.fn, "_symflow_fn", exc.fn).__code__
        if code.co_filename == filename:
            location = "%s:%d" % (filename, code.co_firstlineno)
    lines = []
    if frames:
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_list(frames))
    lines.extend(traceback.format_exception_only(type(exc), exc))
    message = str(exc)
    if isinstance(exc, SimError):
        kind = "SimulationError"
    else:
        kind = type(exc).__name__
    return {
        "type": kind,
        "message": message,
        "traceback": "".join(lines).rstrip("\n"),
        "location": location,
    }


def run_test(spec, code, filename):
    """Run one test in this (forked) process and return its result."""
    out = {"id": spec.get("id"), "status": "ok", "error": None}
    sim = None
    try:
        for m in spec.get("mocks") or []:
            if not _known_mock(m.get("target", "")):
                raise SimError("mock %r names no sym.sdk integration function or mockable method" % m.get("target"))
        sim = Sim(spec)
        _sim.RUN = sim
        module = type(sys)("impl")
        module.__file__ = filename
        sys.modules["impl"] = module
        exec(code, module.__dict__)
        sim.go()
    except (Exception, SystemExit, KeyboardInterrupt, RecursionError) as exc:  # noqa: BLE001
        out["status"] = "error"
        out["error"] = error_info(exc, filename)
    if sim is not None:
        out.update(sim.result())
    return out


def reset():
    """Forget everything the previous test registered or recorded."""
    for handlers in REGISTRY.values():
        handlers.clear()
    _sim.SLACK_NAMES.clear()
    _sim.RUN = None

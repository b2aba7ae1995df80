#!/usr/bin/env python3
"""Fidelity check: symflow's sym.sdk stand-in (python/) against the real
sym-sdk 0.61.0 from PyPI.

Creates a venv in a temp dir, installs sym-sdk==0.61.0 (and its pinned
pydantic v1), then describes both packages in separate interpreters:
public names of every module, function and method signatures (parameter
names, kinds and defaults), enum members, model fields, and whether each
case of a table of model inputs is accepted or rejected. Any difference
fails (exit 1). Needs the network; `cargo test` never runs this.

Usage: python3 scripts/sdk_fidelity.py [--keep-venv DIR]
"""

import json
import os
import subprocess
import sys
import tempfile
import venv

HERE = os.path.dirname(os.path.abspath(__file__))
STANDIN = os.path.join(os.path.dirname(HERE), "python")
VERSION = "0.61.0"

# Each case is Python code run with the names of sym.sdk in scope; it is
# "accepted" when it raises nothing. Only concrete behaviour of the pip
# package is compared (its integration functions are stubs).
CASES = [
    ("perm-levels", "RequestPermission(webapp_view=PermissionLevel.ADMIN, approve_deny=PermissionLevel.MEMBER)"),
    ("perm-strings", "RequestPermission(webapp_view='admin', approve_deny='all_users')"),
    ("perm-bad-string", "RequestPermission(webapp_view='admins', approve_deny='member')"),
    ("perm-empty-list", "RequestPermission(webapp_view=[], approve_deny='member')"),
    ("perm-uuid-list", "RequestPermission(webapp_view=[uuid.uuid4()], approve_deny=[str(uuid.uuid4())])"),
    ("perm-email-list", "RequestPermission(webapp_view=['alice@example.com'], approve_deny='member')"),
    ("perm-missing", "RequestPermission(webapp_view='admin')"),
    ("perm-self-yes", "RequestPermission(webapp_view='admin', approve_deny='member', allow_self_approval='yes')"),
    ("perm-self-maybe", "RequestPermission(webapp_view='admin', approve_deny='member', allow_self_approval='maybe')"),
    ("perm-none", "RequestPermission(webapp_view=None, approve_deny='member')"),
    ("perm-empty-str", "RequestPermission(webapp_view='', approve_deny='member')"),
    ("perm-int", "RequestPermission(webapp_view=3, approve_deny='member')"),
    ("perm-set", "RequestPermission(webapp_view='admin', approve_deny={str(uuid.uuid4())})"),
    ("perm-tuple", "RequestPermission(webapp_view='admin', approve_deny=(str(uuid.uuid4()),))"),
    ("chan-id", "SlackChannelID(channel_id='C012345')"),
    ("chan-id-d", "SlackChannelID(channel_id='D012345')"),
    ("chan-id-g", "SlackChannelID(channel_id='G012345')"),
    ("chan-id-bad", "SlackChannelID(channel_id='X012345')"),
    ("chan-id-blank", "SlackChannelID(channel_id='   ')"),
    ("chan-id-padded", "SlackChannelID(channel_id=' C012345 ')"),
    ("chan-name", "SlackChannelName(channel_name='#general')"),
    ("chan-name-empty", "SlackChannelName(channel_name='')"),
    ("chan-name-int", "SlackChannelName(channel_name=5)"),
    ("chan-name-none", "SlackChannelName(channel_name=None)"),
    ("chan-name-missing", "SlackChannelName()"),
    ("slack-user-u", "SlackUser(user_id='U123')"),
    ("slack-user-w", "SlackUser(user_id='W123')"),
    ("slack-user-bad", "SlackUser(user_id='alice')"),
    ("slack-user-mention", "assert SlackUser(user_id='U1').mention() == '<@U1>'"),
    ("group-1", "SlackUserGroup(users=[SlackUser(user_id='U1')])"),
    ("group-0", "SlackUserGroup(users=[])"),
    ("group-7", "SlackUserGroup(users=[SlackUser(user_id='U%d' % i) for i in range(7)])"),
    ("group-8", "SlackUserGroup(users=[SlackUser(user_id='U%d' % i) for i in range(8)])"),
    ("group-dicts", "SlackUserGroup(users=[{'user_id': 'U1'}])"),
    ("group-bad-member", "SlackUserGroup(users=[{'user_id': 'X1'}])"),
    ("dest-timeout-str", "SlackChannelName(channel_name='#a', timeout='30')"),
    ("dest-timeout-bad", "SlackChannelName(channel_name='#a', timeout='soon')"),
    ("dest-allow-self-1", "SlackChannelName(channel_name='#a', allow_self=1)"),
    ("dest-allow-self-2", "SlackChannelName(channel_name='#a', allow_self=2)"),
    ("dest-base", "RequestDestination()"),
    ("dest-parse-name", "assert isinstance(RequestDestination.parse_obj({'channel_name': '#a'}), SlackChannelName)"),
    ("dest-parse-id", "assert isinstance(RequestDestination.parse_obj({'channel_id': 'C1'}), SlackChannelID)"),
    ("dest-parse-user", "assert isinstance(RequestDestination.parse_obj({'user_id': 'U1'}), SlackUser)"),
    ("dest-parse-users", "assert isinstance(RequestDestination.parse_obj({'users': [{'user_id': 'U1'}]}), SlackUserGroup)"),
    ("notif-one", "Notification(destinations=[SlackChannelName(channel_name='#a')])"),
    ("notif-empty", "Notification(destinations=[])"),
    ("notif-two-slack", "Notification(destinations=[SlackChannelName(channel_name='#a'), SlackUser(user_id='U1')])"),
    ("notif-user", "Notification(destinations=[make_user()])"),
    ("notif-user-and-slack", "Notification(destinations=[make_user(), SlackChannelName(channel_name='#a')])"),
    ("notif-timeout", "Notification(destinations=[SlackChannelName(channel_name='#a')], timeout=60)"),
    ("notif-timeout-bad", "Notification(destinations=[SlackChannelName(channel_name='#a')], timeout='x')"),
    ("notif-str", "Notification(destinations=['#a'])"),
    ("notif-dict-name", "assert isinstance(Notification(destinations=[{'channel_name': '#a'}]).destinations[0], SlackChannelName)"),
    ("notif-dict-unknown", "Notification(destinations=[{'name': '#a'}])"),
    ("fallback-dicts", "d = RequestDestinationFallback(destinations=[{'channel_id': 'C1'}, {'user_id': 'U1'}]).destinations; assert isinstance(d[0], SlackChannelID) and isinstance(d[1], SlackUser)"),
    ("dest-parse-unknown", "RequestDestination.parse_obj({'name': '#a'})"),
    ("notif-not-list", "Notification(destinations=SlackChannelName(channel_name='#a'))"),
    ("notif-missing", "Notification()"),
    ("fallback", "RequestDestinationFallback(destinations=[SlackChannelName(channel_name='#a'), SlackUser(user_id='U1')])"),
    ("fallback-empty", "RequestDestinationFallback(destinations=[])"),
    ("fallback-str", "RequestDestinationFallback(destinations=['x'])"),
    ("fallback-flags", "RequestDestinationFallback(destinations=[SlackChannelName(channel_name='#a')], continue_on_timeout='true')"),
    ("option", "FieldOption(value='a', label='A')"),
    ("option-none", "FieldOption(value=None, label='A')"),
    ("option-56", "FieldOption(value='x' * 56, label='A')"),
    ("option-55", "FieldOption(value='x' * 55, label='y' * 55)"),
    ("option-label-56", "FieldOption(value='a', label='y' * 56)"),
    ("option-int", "FieldOption(value=5, label='five')"),
    ("option-no-label", "FieldOption(value='a')"),
    ("option-int-label", "FieldOption(value='a', label=5)"),
    ("prompt-field", "PromptField(name='a', type='string')"),
    ("prompt-field-bad-type", "PromptField(name='a', type='text')"),
    ("prompt-field-assign", "f = PromptField(name='a', type='string'); f.value = 3; f.visible = False"),
    ("prompt-field-assign-bad", "f = PromptField(name='a', type='string'); f.visible = 'perhaps'"),
    ("prompt-field-name-immutable", "f = PromptField(name='a', type='string'); f.name = 'b'"),
    ("prompt-field-type-immutable", "f = PromptField(name='a', type='string'); f.type = 'int'"),
    ("form", "SymPromptForm(fields={'a': PromptField(name='a', type='int')})"),
    ("form-vars", "SymPromptForm(fields={}, flow_vars={'a': 'b'}, additional_header_text='hi')"),
    ("form-list", "SymPromptForm(fields=[])"),
    ("selection", "SlackUserSelection(user_id='U1')"),
    ("selection-immutable", "s = SlackUserSelection(user_id='U1'); s.user_id = 'U2'"),
    ("srn-ok", "SRN.parse('sym:flow:my-flow:1.0.0')"),
    ("srn-latest", "SRN.parse('sym:flow:my-flow:latest')"),
    ("srn-typed", "SRN.parse('sym:integration:slack:main:latest')"),
    ("srn-missing-type", "SRN.parse('sym:integration:main:latest')"),
    ("srn-trailing", "SRN.parse('sym:flow:x:1.0.0:')"),
    ("srn-bad-version", "SRN.parse('sym:flow:x:1.0')"),
    ("srn-bad-slug", "SRN.parse('sym:flow:x y:1.0.0')"),
    ("srn-short", "SRN.parse('sym:flow:x')"),
    ("srn-identifier", "assert SRN.parse('sym:flow:x:1.0.0:abc').identifier == 'abc'"),
    ("srn-too-many", "SRN.parse('sym:flow:x:1.0.0:abc:def')"),
    ("srn-lowercase", "assert SRN.parse('Sym:Flow:X:1.0.0').slug == 'x'"),
    ("srn-eq-str", "assert SRN.parse('sym:flow:x:1.0.0') == 'sym:flow:x:1.0.0'"),
    ("user-ids", "user_ids([make_user()])"),
    ("role-levels", "assert UserRole('member').permission_levels() == {PermissionLevel.MEMBER, PermissionLevel.ALL_USERS}"),
    ("step-str", "assert ApprovalTemplateStep('escalate') == 'escalate'"),
    ("exc-pagerduty", "e = PagerDutyError('NAME', 'message'); assert e.error_code == 'PagerDuty:NAME'"),
    ("exc-pagerduty-one-arg", "PagerDutyError('message')"),
    ("exc-catch", "assert isinstance(PagerDutyError('N', 'm'), SymException)"),
    ("exc-aws", "assert AWSLambdaError('N', 'm').error_code == 'AWSLambda:N'"),
    ("exc-identity", "IdentityNotFound('a@b.c', 'T1')"),
    ("exc-could-not-save", "assert CouldNotSaveError('m').error_code == 'Identity:COULD_NOT_SAVE'"),
    ("exc-missing-argument", "assert MissingArgument('x', 'y').error_code == 'SymSDK:MISSING_ARGUMENT'"),
    ("exc-to-dict", "assert OktaError('N', 'm').to_dict() == {'error': True, 'message': 'm', 'code': 'Okta:N'}"),
    ("exc-two-integration-errors", "assert sym.sdk.SymIntegrationError is not sym.sdk.exceptions.SymIntegrationError"),
    ("exc-sdk-integration", "sym.sdk.SymIntegrationError('x', error_code=None, params={})"),
    ("exc-sdk-integration-not-symexception", "assert not isinstance(sym.sdk.SymIntegrationError(), SymException)"),
    ("template-approve-kw", "ApprovalTemplate.approve(reason='x')"),
    ("template-approve-positional", "ApprovalTemplate.approve('x')"),
    ("template-deescalate-duration", "ApprovalTemplate.deescalate(duration=3)"),
    ("template-ignore-positional", "ApprovalTemplate.ignore('x')"),
    ("okta-group-id-keyword-only", "okta.is_user_in_group(make_user(), 'g')"),
    ("knowbe4-group-id-positional", "knowbe4.is_user_in_group(make_user(), 1)"),
    ("pagerduty-filters-keyword-only", "pagerduty.is_on_call(make_user(), 'schedule')"),
    ("users-in-group-keyword-only", "okta.users_in_group('g')"),
    ("prefetch-decorator", "f = prefetch(field_name='x')(lambda e: []); assert f.__name__ == 'wrapper'"),
    ("reducer-identity", "g = lambda e: 1; assert reducer(g) is g and hook(g) is g"),
    ("user-eq", "assert make_user('a') == make_user('a') and make_user('a') != make_user('b')"),
]

DESCRIBE = r'''
import enum, importlib, inspect, json, pkgutil, sys, types, uuid

import sym.sdk

def is_sym(obj):
    m = getattr(obj, "__module__", None) or getattr(obj, "__name__", "")
    return isinstance(m, str) and m.startswith("sym.") and "._" not in m

def sig(fn):
    try:
        s = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    out = []
    for p in s.parameters.values():
        d = None if p.default is p.empty else repr(p.default)
        out.append([p.name, str(p.kind), d])
    return out

def describe_class(cls):
    info = {"bases": [b.__name__ for b in cls.__mro__[1:] if is_sym(b)], "members": {}}
    if issubclass(cls, enum.Enum):
        info["enum"] = [[m.name, m.value] for m in cls]
    fields = getattr(cls, "__fields__", None)
    if isinstance(fields, dict) and fields:
        info["fields"] = sorted(fields)
    own = getattr(cls, "_fields", None)
    if isinstance(own, dict) and own and "__fields__" not in dir(cls):
        info["fields"] = sorted(own)
    for name in sorted(dir(cls)):
        if name.startswith("_") and name != "__init__":
            continue
        owner = next((k for k in cls.__mro__ if name in k.__dict__), None)
        if owner is None or not is_sym(owner):
            continue
        raw = owner.__dict__[name]
        target = raw.__func__ if isinstance(raw, (classmethod, staticmethod)) else raw
        if hasattr(target, "__validator_config__") or hasattr(target, "__root_validator_config__"):
            continue
        if isinstance(raw, property):
            info["members"][name] = ["property"]
        elif isinstance(raw, classmethod):
            info["members"][name] = ["classmethod", sig(raw.__func__)[1:] if sig(raw.__func__) else None]
        elif isinstance(raw, staticmethod):
            info["members"][name] = ["staticmethod", sig(raw.__func__)]
        elif inspect.isfunction(raw):
            info["members"][name] = ["method", sig(raw)]
    return info

modules = {}
names = ["sym.sdk"] + sorted(
    m.name for m in pkgutil.walk_packages(sym.sdk.__path__, "sym.sdk.")
    if ".tests" not in m.name and not any(part.startswith("_") for part in m.name.split("."))
)
for modname in names:
    try:
        mod = importlib.import_module(modname)
    except Exception as e:
        modules[modname] = {"import_error": type(e).__name__}
        continue
    entry = {"all": sorted(getattr(mod, "__all__", []) or []) or None, "names": {}}
    for name in sorted(dir(mod)):
        if name.startswith("_"):
            continue
        obj = getattr(mod, name)
        if isinstance(obj, types.ModuleType):
            if obj.__name__.startswith("sym.") and not obj.__name__.startswith("sym.sdk.tests"):
                entry["names"][name] = ["module", obj.__name__]
            continue
        if not is_sym(obj):
            continue
        if inspect.isclass(obj):
            entry["names"][name] = ["class", obj.__module__ + "." + obj.__qualname__]
            if obj.__module__ == modname:
                entry.setdefault("classes", {})[name] = describe_class(obj)
        elif callable(obj):
            entry["names"][name] = ["function", sig(obj)]
    modules[modname] = entry

ns = {"uuid": uuid, "sym": sym}
for modname in names:
    try:
        mod = importlib.import_module(modname)
    except Exception:
        continue
    for name in dir(mod):
        if not name.startswith("_"):
            ns.setdefault(name, getattr(mod, name))
from sym.sdk.integrations import okta, knowbe4, pagerduty
from sym.sdk.exceptions.identity import IdentityNotFound
ns.update(okta=okta, knowbe4=knowbe4, pagerduty=pagerduty, IdentityNotFound=IdentityNotFound)
from sym.sdk.user import User

def make_user(name="alice@example.com"):
    attrs = {}
    for m in getattr(User, "__abstractmethods__", ()):
        attrs[m] = property(lambda self, m=m: name if m in ("username", "email") else None)
    attrs["identity"] = lambda self, *a, **k: None
    attrs["get_event_count"] = lambda self, *a, **k: 0
    attrs["id"] = property(lambda self: uuid.uuid5(uuid.NAMESPACE_DNS, name))
    attrs["to_dict"] = lambda self: {"username": name}
    return type("TestUser", (User,), attrs)()

ns["make_user"] = make_user
cases = {}
for case_id, code in json.loads(sys.argv[1]):
    try:
        exec(code, dict(ns))
        cases[case_id] = "accept"
    except AssertionError:
        cases[case_id] = "assertion failed"
    except Exception as e:
        cases[case_id] = "reject"
print(json.dumps({"modules": modules, "cases": cases}))
'''


def describe(python, extra_path=None):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if extra_path:
        env["PYTHONPATH"] = extra_path
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    out = subprocess.run(
        [python, "-c", DESCRIBE, json.dumps(CASES)],
        env=env,
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        sys.exit("describing %s failed:\n%s" % (extra_path or "sym-sdk", out.stderr))
    return json.loads(out.stdout)


def diff(path, real, ours, problems):
    if isinstance(real, dict) and isinstance(ours, dict):
        for key in sorted(set(real) | set(ours)):
            if key not in ours:
                problems.append("%s.%s: missing in the stand-in (real: %s)" % (path, key, json.dumps(real[key])[:160]))
            elif key not in real:
                problems.append("%s.%s: only in the stand-in (%s)" % (path, key, json.dumps(ours[key])[:160]))
            else:
                diff("%s.%s" % (path, key), real[key], ours[key], problems)
    elif real != ours:
        problems.append("%s: real %s, stand-in %s" % (path, json.dumps(real)[:200], json.dumps(ours)[:200]))


def main():
    keep = None
    if len(sys.argv) > 2 and sys.argv[1] == "--keep-venv":
        keep = sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="symflow-fidelity") as tmp:
        env_dir = keep or os.path.join(tmp, "venv")
        python = os.path.join(env_dir, "bin", "python")
        if not os.path.exists(python):
            venv.create(env_dir, with_pip=True)
            pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "sym-sdk==%s" % VERSION]
            res = subprocess.run(pip, capture_output=True, text=True)
            if res.returncode != 0:
                sys.exit("could not install sym-sdk==%s:\n%s" % (VERSION, res.stderr[-2000:]))
        real = describe(python)
        ours = describe(python, STANDIN)
    problems = []
    diff("sym.sdk", real["modules"], ours["modules"], problems)
    for case_id, _ in CASES:
        r, o = real["cases"].get(case_id), ours["cases"].get(case_id)
        if r != o:
            problems.append("case %s: real %s, stand-in %s" % (case_id, r, o))
    if problems:
        print("sdk fidelity: %d difference(s) between sym-sdk %s and the stand-in:" % (len(problems), VERSION))
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print("sdk fidelity: the stand-in matches sym-sdk %s (%d modules, %d cases)" % (VERSION, len(real["modules"]), len(CASES)))


if __name__ == "__main__":
    main()

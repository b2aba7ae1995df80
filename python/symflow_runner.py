"""symflow's test runner: one interpreter per `symflow test`, one fork per test.

Protocol (JSON lines): symflow writes `{"type": "impl", "key", "filename",
"source"}` once per implementation file and `{"type": "test", "id",
"impl", "timeout", ...}` per test on stdin; the runner answers each test
with one result line on stdout, in order. A test runs in a forked child, so
its imports and state vanish with it and a hook that never returns is killed
at its timeout without stopping the run.
"""

import json
import linecache
import os
import select
import signal
import sys
import time

sys.dont_write_bytecode = True

# Results travel on a private copy of stdout; flow code that prints writes
# into a buffer in the child instead.
_PROTO = os.fdopen(os.dup(1), "w", encoding="utf-8")
_DEVNULL = os.open(os.devnull, os.O_RDWR)
os.dup2(_DEVNULL, 1)

import sym.sdk  # noqa: E402,F401  (imported once, shared by every fork)
import sym.sdk.exceptions  # noqa: E402,F401
import sym.sdk.integrations.jira  # noqa: E402,F401
import sym.sdk.integrations.store  # noqa: E402,F401
import sym.sdk.utils  # noqa: E402,F401
import sym.sdk.strategy  # noqa: E402,F401
import sym.sdk.forms  # noqa: E402,F401
from sym.sdk import _runtime  # noqa: E402

IMPLS = {}


def _load_impl(msg):
    filename = msg["filename"]
    source = msg["source"]
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        IMPLS[msg["key"]] = (compile(source, filename, "exec"), filename, None)
    except SyntaxError as exc:
        IMPLS[msg["key"]] = (None, filename, _runtime.error_info(exc, filename))


def _child(msg):
    import io

    os.dup2(_DEVNULL, 0)
    sys.stdin = io.StringIO("")
    captured = io.StringIO()
    sys.stdout = captured
    code, filename, error = IMPLS[msg["impl"]]
    if error is not None:
        return {"id": msg.get("id"), "status": "error", "error": error}
    result = _runtime.run_test(msg, code, filename)
    result["stdout"] = captured.getvalue()[-4000:]
    return result


def _run(msg):
    timeout = float(msg.get("timeout") or 5.0)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            try:
                data = json.dumps(_child(msg), default=repr)
            except BaseException as exc:  # noqa: BLE001
                data = json.dumps({"id": msg.get("id"), "status": "error", "error": {"type": "InternalError", "message": repr(exc), "traceback": "", "location": None}})
            raw = data.encode("utf-8", "replace")
            while raw:
                n = os.write(w, raw)
                raw = raw[n:]
        finally:
            os._exit(0)
    os.close(w)
    deadline = time.monotonic() + timeout
    chunks = []
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([r], [], [], left)
        if not ready:
            continue
        chunk = os.read(r, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    if timed_out:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        return {"id": msg.get("id"), "status": "timeout", "error": None}
    _, status = os.waitpid(pid, 0)
    try:
        return json.loads(b"".join(chunks).decode("utf-8", "replace"))
    except ValueError:
        return {"id": msg.get("id"), "status": "error", "error": {"type": "Crash", "message": "the test process ended without a result (status %d)" % status, "traceback": "", "location": None}}


def main():
    here = os.getcwd()
    if here not in sys.path:
        sys.path.append(here)
    hello = {"ready": sys.version_info >= (3, 8), "python": "%d.%d.%d" % sys.version_info[:3]}
    _PROTO.write(json.dumps(hello) + "\n")
    _PROTO.flush()
    if not hello["ready"]:
        return
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        kind = msg.get("type")
        if kind == "impl":
            _load_impl(msg)
            continue
        if kind == "test":
            result = _run(msg)
        else:
            result = {"id": msg.get("id"), "status": "error", "error": {"type": "Protocol", "message": "unknown message type %r" % kind, "traceback": "", "location": None}}
        _PROTO.write(json.dumps(result) + "\n")
        _PROTO.flush()


if __name__ == "__main__":
    main()

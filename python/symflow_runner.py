"""symflow's test runner: one interpreter per `symflow test`, a forking server.

Protocol (JSON lines): symflow writes `{"type": "impl", "key", "filename",
"source"}` once per implementation file and `{"type": "test", "id",
"impl", "timeout", ...}` per test on stdin; the runner answers each test
with one result line on stdout, in order. Tests run in a forked worker, each
from a fresh import of the implementation (modules it imported are dropped
afterwards) and fresh stand-in state; a hook that never returns is killed
with its worker at the test's timeout and a new worker is forked from the
clean parent, so the run goes on.
"""

import json
import linecache
import os
import select
import signal
import sys
import time

# Results travel on a private copy of stdout; flow code that prints writes
# into a buffer in the child instead.
_PROTO = os.fdopen(os.dup(1), "w", encoding="utf-8")
_DEVNULL = os.open(os.devnull, os.O_RDWR)
os.dup2(_DEVNULL, 1)

import importlib  # noqa: E402
import pkgutil  # noqa: E402

import sym.sdk  # noqa: E402

# Every module of the stand-in is imported once here, before any fork, so
# that no test pays for an import.
for _info in pkgutil.walk_packages(sym.sdk.__path__, "sym.sdk."):
    importlib.import_module(_info.name)
from sym.sdk import _runtime  # noqa: E402

# The stand-in's bytecode is cached beside it; the user's files never get a
# __pycache__ from symflow.
sys.dont_write_bytecode = True

IMPLS = {}


def _load_impl(msg):
    filename = msg["filename"]
    source = msg["source"]
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        IMPLS[msg["key"]] = (compile(source, filename, "exec"), filename, None)
    except SyntaxError as exc:
        IMPLS[msg["key"]] = (None, filename, _runtime.error_info(exc, filename))


class _Worker:
    """A forked child that runs tests one after another, each from a fresh
    import of the implementation and fresh stand-in state. The parent kills
    it when a test exceeds its timeout and forks a new one for the next."""

    def __init__(self):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self.to_child)
            os.close(self.from_child)
            # Only the parent answers symflow: a stuck worker must not keep
            # symflow's pipe open if the parent is gone.
            os.close(_PROTO.fileno())
            try:
                _serve(to_child_r, from_child_w)
            finally:
                os._exit(0)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""

    def send(self, msg):
        data = (json.dumps(msg) + "\n").encode("utf-8")
        try:
            while data:
                n = os.write(self.to_child, data)
                data = data[n:]
        except OSError:
            return False
        return True

    def recv(self, deadline):
        """The next result; "timeout" when the deadline passes; None if the worker died."""
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            ready, _, _ = select.select([self.from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line.decode("utf-8", "replace"))

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        self.pid = None


def _serve(rfd, wfd):
    """The worker's loop: one JSON test per line in, one result per line out."""
    import io

    os.dup2(_DEVNULL, 0)
    sys.stdin = io.StringIO("")
    baseline = set(sys.modules)
    buffer = b""
    while True:
        while b"\n" not in buffer:
            chunk = os.read(rfd, 1 << 16)
            if not chunk:
                return
            buffer += chunk
        line, _, buffer = buffer.partition(b"\n")
        msg = json.loads(line.decode("utf-8"))
        try:
            result = _one(msg)
        except BaseException as exc:  # noqa: BLE001
            result = {"id": msg.get("id"), "status": "error", "error": {"type": "InternalError", "message": repr(exc), "traceback": "", "location": None}}
        for name in [m for m in sys.modules if m not in baseline]:
            del sys.modules[name]
        data = (json.dumps(result, default=repr) + "\n").encode("utf-8", "replace")
        while data:
            n = os.write(wfd, data)
            data = data[n:]


def _one(msg):
    import io

    _runtime.reset()
    captured = io.StringIO()
    saved = sys.stdout
    sys.stdout = captured
    try:
        code, filename, error = IMPLS[msg["impl"]]
        if error is not None:
            return {"id": msg.get("id"), "status": "error", "error": error}
        result = _runtime.run_test(msg, code, filename)
    finally:
        sys.stdout = saved
    result["stdout"] = captured.getvalue()[-4000:]
    return result


# Tests sent to a worker ahead of the one running, so that the worker never
# waits for the parent; at most this many, and at most this many bytes.
_WINDOW = 16
_WINDOW_BYTES = 32 * 1024


def _crash(msg):
    return {"id": msg.get("id"), "status": "error", "error": {"type": "Crash", "message": "the flow ended the test process (os._exit, a signal or a crash)", "traceback": "", "location": None}}


def _run_all(tests, emit):
    """Run tests in order through workers; emit(result) for each, in order."""
    worker = None
    sent = done = 0
    in_flight = []
    started = time.monotonic()
    while done < len(tests):
        if worker is None:
            worker = _Worker()
            sent = done
            in_flight = []
            started = time.monotonic()
        while sent < len(tests) and len(in_flight) < _WINDOW:
            size = len(json.dumps(tests[sent]))
            if in_flight and sum(in_flight) + size > _WINDOW_BYTES:
                break
            if not worker.send(tests[sent]):
                break
            in_flight.append(size)
            sent += 1
        msg = tests[done]
        timeout = float(msg.get("timeout") or 5.0)
        result = worker.recv(started + timeout)
        if result == "timeout" or result is None:
            worker.stop()
            worker = None
            result = {"id": msg.get("id"), "status": "timeout", "error": None} if result == "timeout" else _crash(msg)
        else:
            in_flight.pop(0)
            started = time.monotonic()
        emit(result)
        done += 1
    if worker is not None:
        worker.stop()


def main():
    here = os.getcwd()
    if here not in sys.path:
        sys.path.append(here)
    hello = {"ready": sys.version_info >= (3, 8), "python": "%d.%d.%d" % sys.version_info[:3]}
    _PROTO.write(json.dumps(hello) + "\n")
    _PROTO.flush()
    if not hello["ready"]:
        return
    tests = []
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        msg = json.loads(line)
        kind = msg.get("type")
        if kind == "impl":
            _load_impl(msg)
        elif kind == "test":
            tests.append(msg)

    def emit(result):
        _PROTO.write(json.dumps(result) + "\n")
        _PROTO.flush()

    _run_all(tests, emit)


if __name__ == "__main__":
    main()

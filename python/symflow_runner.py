"""symflow's test runner: one interpreter per `symflow test`, a forking server.

Protocol (JSON lines): symflow writes `{"type": "impl", "key", "filename",
"source"}` once per implementation file and `{"type": "test", "id",
"impl", "timeout", ...}` per test on stdin; the runner answers each test
with one result line on stdout, in order. Tests run in a forked worker, each
from a fresh import of the implementation (modules it imported are dropped
afterwards) and fresh stand-in state; a hook that never returns is killed
with its worker at the test's timeout and a new worker is forked from the
clean parent, so the run goes on.

symflow starts the runner in a process group of its own and kills that group
once every result is in, so processes the flow leaves behind (a
`subprocess.Popen` never waited for, an `os.fork()`) never outlive the run.
If symflow itself goes away, the runner kills its group the same way.
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
    me = os.getpid()
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
        if os.getpid() != me:
            # A copy made by os.fork() in flow code: only the worker answers
            # and reads the next test; the copy just ends.
            return
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


class _Lane:
    """One worker and the contiguous share of the tests it runs."""

    def __init__(self, tests):
        self.tests = tests
        self.worker = None
        self.sent = self.done = 0
        self.in_flight = []
        self.started = 0.0

    def finished(self):
        return self.done >= len(self.tests)

    def fill(self):
        """Start a worker if needed and keep its window of tests full."""
        if self.worker is None:
            self.worker = _Worker()
            self.sent = self.done
            self.in_flight = []
            self.started = time.monotonic()
        while self.sent < len(self.tests) and len(self.in_flight) < _WINDOW:
            size = len(json.dumps(self.tests[self.sent]))
            if self.in_flight and sum(self.in_flight) + size > _WINDOW_BYTES:
                break
            if not self.worker.send(self.tests[self.sent]):
                break
            self.in_flight.append(size)
            self.sent += 1

    def deadline(self):
        return self.started + float(self.tests[self.done].get("timeout") or 5.0)

    def _drop_worker(self):
        self.worker.stop()
        self.worker = None

    def read(self, emit):
        """The worker's pipe is readable: emit every complete result."""
        chunk = os.read(self.worker.from_child, 1 << 16)
        if not chunk:
            emit(_crash(self.tests[self.done]))
            self.done += 1
            self._drop_worker()
            return
        self.worker.buffer += chunk
        while b"\n" in self.worker.buffer and not self.finished():
            line, _, self.worker.buffer = self.worker.buffer.partition(b"\n")
            emit(json.loads(line.decode("utf-8", "replace")))
            self.done += 1
            self.in_flight.pop(0)
            self.started = time.monotonic()

    def expire(self, emit):
        """The running test passed its timeout: kill the worker, report it."""
        msg = self.tests[self.done]
        emit({"id": msg.get("id"), "status": "timeout", "error": None})
        self.done += 1
        self._drop_worker()


# How often the runner checks that symflow is still there (seconds).
_PARENT_CHECK = 0.5


class _Orphaned(Exception):
    """symflow went away: nobody reads the results any more."""


def _run_all(tests, emit, parent):
    """Run every test through forked workers (one per core, at most two, for
    larger suites); emit(result) as each finishes. Raises _Orphaned when
    the process `parent` (symflow) is gone."""
    lanes_n = 1 if len(tests) < 32 else max(1, min(2, os.cpu_count() or 1))
    share = -(-len(tests) // lanes_n) if tests else 1
    lanes = [_Lane(tests[i:i + share]) for i in range(0, len(tests), share)]
    try:
        _drive(lanes, emit, parent)
    finally:
        for lane in lanes:
            if lane.worker is not None:
                lane.worker.stop()


def _drive(lanes, emit, parent):
    while True:
        if os.getppid() != parent:
            raise _Orphaned()
        active = [lane for lane in lanes if not lane.finished()]
        if not active:
            break
        for lane in active:
            lane.fill()
        wait = max(0.0, min(lane.deadline() for lane in active) - time.monotonic())
        wait = min(wait, _PARENT_CHECK)
        ready, _, _ = select.select([lane.worker.from_child for lane in active], [], [], wait)
        for lane in active:
            if lane.worker is not None and lane.worker.from_child in ready:
                lane.read(emit)
        now = time.monotonic()
        for lane in active:
            if lane.worker is not None and not lane.finished() and now >= lane.deadline():
                lane.expire(emit)


def _kill_own_group():
    """Kill what the flow left running, and the runner with it: only when
    the runner leads its own process group (symflow starts it so)."""
    try:
        if os.getpgid(0) == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
    except OSError:
        pass


def main():
    parent = os.getppid()
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
        try:
            _PROTO.write(json.dumps(result) + "\n")
            _PROTO.flush()
        except (BrokenPipeError, ValueError) as exc:
            raise _Orphaned() from exc

    try:
        _run_all(tests, emit, parent)
    except _Orphaned:
        _kill_own_group()


if __name__ == "__main__":
    main()

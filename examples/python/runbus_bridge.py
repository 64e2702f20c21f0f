"""A client for runbus's TCP event-bus bridge, standard library only.

    from runbus_bridge import Run

    with Run("127.0.0.1", 7461, token, project="demo", config={"lr": 0.01}) as run:
        for step in range(100):
            run.log({"loss": 1.0 / (step + 1)})

Every call is one request frame, answered before the call returns, so an error (a bad key, a
refused value, a wrong token) is raised by the call that caused it, as BridgeError with the
service's message. Leaving the block normally finishes the run with exit code 0, and with 1 when
an exception escapes it; a connection that drops without finish gets exit code 1 from the service.

Wire: each frame is a 4-byte big-endian length, then that many bytes of UTF-8 JSON. A request is
{"type": "send", "address": "rb.bridge.<op>", "replyAddress": ..., "headers": {"token": ...},
"body": {...}}; the answer is {"type": "message", "address": <replyAddress>, "body": {...}} or
{"type": "err", "address": <replyAddress>, "failureCode": ..., "message": ...}. JSON has no NaN
or infinities, so they travel as {"$float": "NaN"}, {"$float": "Infinity"}, {"$float": "-Infinity"}.
"""

import itertools
import json
import math
import os
import socket
import ssl
import struct

__all__ = ["Run", "BridgeError"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7461
FLOAT_TAG = "$float"


class BridgeError(Exception):
    """The service refused a frame: code is the failure code (400 bad value, 401 token, 404 no such
    run, 429 too much at once, 500 service failure), message says why."""

    def __init__(self, code, message):
        super().__init__("%s (%s)" % (message, code))
        self.code = code
        self.message = message


def _encode(value):
    """Python values as JSON the bridge reads: non-finite floats tagged, tuples as lists, numpy
    scalars and arrays through item() and tolist()."""
    if isinstance(value, float):
        if math.isnan(value):
            return {FLOAT_TAG: "NaN"}
        if math.isinf(value):
            return {FLOAT_TAG: "Infinity" if value > 0 else "-Infinity"}
        return value
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if hasattr(value, "tolist"):
        return _encode(value.tolist())
    if hasattr(value, "item"):
        return _encode(value.item())
    return value  # json.dumps names what it cannot encode


def _decode(value):
    if isinstance(value, dict):
        if len(value) == 1 and FLOAT_TAG in value:
            return float(value[FLOAT_TAG].replace("Infinity", "inf"))
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class _Connection:
    def __init__(self, host, port, token, tls, cafile, timeout):
        sock = socket.create_connection((host, port), timeout=timeout)
        if tls:
            context = ssl.create_default_context(cafile=cafile)
            sock = context.wrap_socket(sock, server_hostname=host)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self._token = token
        self._replies = ("py.%d.%d" % (os.getpid(), n) for n in itertools.count())

    def request(self, address, body):
        reply_to = next(self._replies)
        frame = {"type": "send", "address": address, "replyAddress": reply_to,
                 "headers": {"token": self._token}, "body": _encode(body)}
        data = json.dumps(frame, allow_nan=False, separators=(",", ":")).encode("utf-8")
        self._sock.sendall(struct.pack(">I", len(data)) + data)
        while True:
            answer = self._read()
            if answer.get("address") not in (reply_to, None):
                continue  # a message on an address registered elsewhere; not ours to answer
            if answer.get("type") == "err":
                raise BridgeError(answer.get("failureCode"), answer.get("message"))
            if answer.get("type") == "message":
                return _decode(answer.get("body") or {})

    def _read(self):
        (length,) = struct.unpack(">I", self._exactly(4))
        return json.loads(self._exactly(length).decode("utf-8"))

    def _exactly(self, n):
        chunks = []
        while n:
            chunk = self._sock.recv(min(n, 1 << 20))
            if not chunk:
                raise ConnectionError("the runbus service closed the connection")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def close(self):
        self._sock.close()


class _Config:
    def __init__(self, run):
        self._run = run

    def update(self, values):
        self._run._call("rb.bridge.config", {"config": dict(values)})

    def __setitem__(self, key, value):
        self.update({key: value})


class _Summary:
    def __init__(self, run):
        self._run = run

    def update(self, values):
        self._run._call("rb.bridge.summary", {"summary": dict(values)})

    def __setitem__(self, key, value):
        self.update({key: value})

    def __delitem__(self, key):
        self._run._call("rb.bridge.summary", {"remove": [key]})

    def __getitem__(self, key):
        return self._run._call("rb.bridge.summary.get", {"key": key}).get("value")

    def get(self, key, default=None):
        value = self[key]
        return default if value is None else value

    def as_dict(self):
        return self._run._call("rb.bridge.summary.get", {}).get("summary", {})


class Run:
    """A run logged through a runbus service's TCP bridge; arguments as wandb.init's.

    host, port and token default to RUNBUS_BRIDGE_HOST, RUNBUS_BRIDGE_PORT and
    RUNBUS_SERVICE_TOKEN (the service keeps its token in its data directory, file service.token).
    tls=True speaks TLS, checking the service's certificate against cafile (or the system's CAs).
    """

    def __init__(self, host=None, port=None, token=None, project=None, name=None, config=None,
                 tags=None, notes=None, group=None, job_type=None, entity=None, id=None,
                 resume=None, strict_steps=None, tls=False, cafile=None, timeout=600.0):
        host = host or os.environ.get("RUNBUS_BRIDGE_HOST", DEFAULT_HOST)
        port = int(port or os.environ.get("RUNBUS_BRIDGE_PORT", DEFAULT_PORT))
        token = token or os.environ.get("RUNBUS_SERVICE_TOKEN")
        if not token:
            raise ValueError("no token: pass token= or set RUNBUS_SERVICE_TOKEN"
                             " (the service keeps it in its data directory, file service.token)")
        self._conn = _Connection(host, port, token, tls, cafile, timeout)
        init = {"project": project, "name": name, "config": config, "tags": tags,
                "notes": notes, "group": group, "job_type": job_type, "entity": entity,
                "id": id, "resume": resume, "strict_steps": strict_steps}
        try:
            started = self._conn.request("rb.bridge.init",
                                         {k: v for k, v in init.items() if v is not None})
        except BaseException:
            self._conn.close()
            raise
        self.id = started["run"]
        self.name = started.get("name", "")
        self.project = started.get("project", "")
        self.dir = started.get("dir")
        self.step = started.get("step", 0)
        self.config = _Config(self)
        self.summary = _Summary(self)
        self.result = None

    def _call(self, address, body):
        if self.result is not None:
            raise RuntimeError("run %s is finished" % self.id)
        body["run"] = self.id
        return self._conn.request(address, body)

    def log(self, data, step=None, commit=None):
        """As wandb's run.log: a row at the current step (then the step advances), at an explicit
        step, or with commit=False merged into the current row."""
        body = {"row": dict(data)}
        if step is not None:
            body["step"] = int(step)
        if commit is not None:
            body["commit"] = bool(commit)
        self.step = self._call("rb.bridge.log", body)["step"]

    def define_metric(self, name, step_metric=None, step_sync=None, hidden=None, summary=None,
                      goal=None, overwrite=None):
        body = {"name": name, "step_metric": step_metric, "step_sync": step_sync,
                "hidden": hidden, "summary": summary, "goal": goal, "overwrite": overwrite}
        self._call("rb.bridge.define_metric", {k: v for k, v in body.items() if v is not None})

    def finish(self, exit_code=0):
        """Finishes the run once its log is complete; returns what the service reports (run, dir,
        log, history_rows, ...). A second call returns the first result."""
        if self.result is None:
            try:
                self.result = self._call("rb.bridge.finish", {"exit_code": int(exit_code)})
            finally:
                self._conn.close()
        return self.result

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.result is None:
            self.finish(0 if exc_type is None else 1)
        return False

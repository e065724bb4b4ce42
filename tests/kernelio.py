"""Request/response plumbing over a jupyter_client BlockingKernelClient.

Every function here goes through the client's own channels and session, so
the kernel sees exactly what a front end sends.
"""

import queue
import time
from dataclasses import dataclass, field

STARTUP_TIMEOUT = 30
TIMEOUT = 15


@dataclass
class Execution:
    """One execute_request: its reply and the iopub messages it caused."""
    msg_id: str
    reply: dict
    iopub: list = field(default_factory=list)

    @property
    def content(self):
        return self.reply["content"]

    def of_type(self, *types):
        return [m for m in self.iopub if m["msg_type"] in types]

    def stream(self, name="stdout"):
        return "".join(m["content"]["text"] for m in self.of_type("stream")
                       if m["content"]["name"] == name)

    def result(self):
        results = self.of_type("execute_result")
        assert len(results) == 1, f"want one execute_result, got {self.types()}"
        return results[0]["content"]

    def error(self):
        errors = self.of_type("error")
        assert len(errors) == 1, f"want exactly one error output, got {self.types()}"
        return errors[0]["content"]

    def types(self):
        return [m["msg_type"] for m in self.iopub]


def iopub_until_idle(kc, parent_id, timeout=TIMEOUT):
    """iopub messages whose parent is parent_id, up to and including idle."""
    got = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no idle for {parent_id} within {timeout}s; got {[m['msg_type'] for m in got]}")
        try:
            msg = kc.get_iopub_msg(timeout=left)
        except queue.Empty:
            continue
        msg["received"] = time.monotonic()
        if msg["parent_header"].get("msg_id") != parent_id:
            continue
        got.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return got


def iopub_all_until_idle(kc, parent_id, timeout=TIMEOUT):
    """Every iopub message, whatever its parent, up to the idle of parent_id."""
    got = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no idle for {parent_id} within {timeout}s")
        try:
            msg = kc.get_iopub_msg(timeout=left)
        except queue.Empty:
            continue
        msg["received"] = time.monotonic()
        got.append(msg)
        if (msg["parent_header"].get("msg_id") == parent_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return got


def getter(kc, channel):
    """The blocking get function of a client channel, by name."""
    return {"shell": kc.get_shell_msg, "control": kc.get_control_msg,
            "iopub": kc.get_iopub_msg, "stdin": kc.get_stdin_msg}[channel]


def reply_to(kc, channel, msg_id, timeout=TIMEOUT):
    """The reply to msg_id on a client channel ("shell" or "control")."""
    get = getter(kc, channel)
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no reply to {msg_id} within {timeout}s")
        try:
            msg = get(timeout=left)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def execute(kc, code, timeout=TIMEOUT, **kwargs):
    """Run code and wait for its reply and its idle status."""
    msg_id = kc.execute(code, **kwargs)
    iopub = iopub_until_idle(kc, msg_id, timeout)
    reply = reply_to(kc, "shell", msg_id, timeout)
    return Execution(msg_id, reply, iopub)


def ok(kc, code, timeout=TIMEOUT, **kwargs):
    """Run code and fail the test unless its reply status is ok."""
    ex = execute(kc, code, timeout, **kwargs)
    c = ex.content
    assert c["status"] == "ok", f"{code!r}: {c['status']} {c.get('ename')}: {c.get('evalue')}"
    return ex


def request(kc, msg_type, content, channel="shell", timeout=TIMEOUT):
    """Send msg_type on channel; return (reply, iopub messages until idle)."""
    ch = kc.shell_channel if channel == "shell" else kc.control_channel
    msg = kc.session.msg(msg_type, content)
    ch.send(msg)
    msg_id = msg["header"]["msg_id"]
    reply = reply_to(kc, channel, msg_id, timeout)
    iopub = iopub_until_idle(kc, msg_id, timeout)
    return reply, iopub


def plain(result_content):
    return result_content["data"]["text/plain"]


def drain(kc, channel, wait=0.0):
    """Messages waiting on a channel, after waiting up to wait seconds for one."""
    get = getter(kc, channel)
    msgs = []
    while True:
        try:
            msgs.append(get(timeout=wait))
        except queue.Empty:
            return msgs
        wait = 0.0

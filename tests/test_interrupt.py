"""Interrupts through the real client: KernelManager.interrupt_kernel() with
interrupt_mode "message" sends interrupt_request on the control channel."""

import time

import pytest

import kernelio
from kernelio import ok, plain

# The error must reach the client this soon after the interrupt is sent.
INTERRUPT_DEADLINE = 1.0


def wait_started(kc, msg_id):
    """Consume iopub until msg_id's execute_input: the cell is running."""
    deadline = time.monotonic() + kernelio.TIMEOUT
    seen = []
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=kernelio.TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append(msg)
        if msg["msg_type"] == "execute_input":
            return seen
    raise TimeoutError(f"cell {msg_id} never started")


@pytest.mark.parametrize("code", [
    pytest.param("for {\n}", id="busy loop"),
    pytest.param("ch := make(chan int)\n<-ch", id="blocked channel receive"),
    pytest.param('import "time"\ntime.Sleep(time.Hour)', id="sleep"),
    pytest.param('import "sync"\nvar wg sync.WaitGroup\nwg.Add(1)\nwg.Wait()', id="blocked WaitGroup"),
])
def test_interrupt_stops_the_cell(kc, km, code):
    ok(kc, "x := 41")
    msg_id = kc.execute(code)
    wait_started(kc, msg_id)
    time.sleep(0.3)

    sent = time.monotonic()
    km.interrupt_kernel()
    iopub = kernelio.iopub_until_idle(kc, msg_id, timeout=10)
    reply = kernelio.reply_to(kc, "shell", msg_id, timeout=10)

    errors = [m for m in iopub if m["msg_type"] == "error"]
    assert len(errors) == 1, [m["msg_type"] for m in iopub]
    err = errors[0]
    elapsed = err["received"] - sent
    assert elapsed < INTERRUPT_DEADLINE, f"error arrived {elapsed:.3f}s after the interrupt"
    assert err["content"]["ename"] == "KeyboardInterrupt", err["content"]
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"

    # Earlier state survives and the kernel takes new work.
    assert plain(ok(kc, "x + 1").result()) == "42"
    assert plain(ok(kc, "x = 7\nx * 6").result()) == "42"


def test_interrupt_when_idle_is_harmless(kc, km):
    ok(kc, "y := 1")
    km.interrupt_kernel()
    time.sleep(0.2)
    assert plain(ok(kc, "y + 1").result()) == "2"


def test_interrupt_reply_on_control(kc):
    reply, iopub = kernelio.request(kc, "interrupt_request", {}, channel="control")
    assert reply["msg_type"] == "interrupt_reply"
    assert reply["content"]["status"] == "ok"

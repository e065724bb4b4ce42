"""The kernel process: surviving bad cells, restart and shutdown."""

import signal
import time

import kernelio
from kernelio import execute, ok, plain


def pid(km):
    return km.provisioner.process.pid


def test_panic_in_goroutine_is_shown_and_kernel_lives(kc, km):
    before = pid(km)
    ex = execute(kc, 'import "time"\ngo func() { panic("boom in goroutine") }()\ntime.Sleep(300 * time.Millisecond)')
    shown = [m for m in ex.iopub
             if (m["msg_type"] == "error" and "boom in goroutine" in m["content"]["evalue"])
             or (m["msg_type"] == "stream" and "boom in goroutine" in m["content"]["text"])]
    assert shown, f"the panic was not shown: {ex.iopub}"
    assert km.is_alive() and pid(km) == before
    assert plain(ok(kc, "1 + 1").result()) == "2"


def test_late_panic_in_goroutine_goes_to_its_cell(kc, km):
    first = ok(kc, 'import "time"\ngo func() { time.Sleep(200 * time.Millisecond); panic("late boom") }()')
    second_id = kc.execute("time.Sleep(600 * time.Millisecond)")
    msgs = kernelio.iopub_all_until_idle(kc, second_id)
    shown = [m for m in msgs if "late boom" in (m["content"].get("evalue", "") + m["content"].get("text", ""))]
    assert shown, [(m["msg_type"], m["content"]) for m in msgs]
    assert all(m["parent_header"]["msg_id"] == first.msg_id for m in shown)
    assert km.is_alive()
    assert plain(ok(kc, "2 + 2").result()) == "4"


def test_os_exit_does_not_kill_the_kernel(kc, km):
    before = pid(km)
    ok(kc, "keep := 10")
    ex = execute(kc, 'import "os"\nos.Exit(3)')
    assert ex.content["status"] == "error", ex.content
    assert "3" in ex.error()["evalue"]
    time.sleep(0.2)
    assert km.is_alive() and pid(km) == before
    assert plain(ok(kc, "keep + 1").result()) == "11"


def test_restart(kc, km):
    ok(kc, "state := 99")
    old = km.provisioner.process
    started = time.monotonic()
    km.restart_kernel(now=False)
    took = time.monotonic() - started
    # jupyter_client sends SIGTERM to a kernel still running 2.5 s after
    # the shutdown_request, and SIGKILL at 5 s: the kernel must exit by
    # itself, and cleanly, before that.
    assert old.poll() == 0, f"old kernel exit status {old.poll()}"
    assert took < 2, f"restart took {took:.1f}s"
    assert pid(km) != old.pid
    kc.wait_for_ready(timeout=kernelio.STARTUP_TIMEOUT)
    ex = execute(kc, "state + 1")
    assert ex.content["status"] == "error", "state survived the restart"
    assert "state" in ex.error()["evalue"]
    assert plain(ok(kc, "1 + 1").result()) == "2"


def test_shutdown(kc, km):
    proc = km.provisioner.process
    msg_id = kc.shutdown()
    reply = kernelio.reply_to(kc, "control", msg_id)
    assert reply["msg_type"] == "shutdown_reply"
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["restart"] is False
    assert proc.wait(timeout=3) == 0


def test_sigterm_shuts_down_cleanly(kc, km):
    ok(kc, "1")
    proc = km.provisioner.process
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=3) == 0


def test_sigint_interrupts_the_cell(kc, km):
    ok(kc, "n := 1")
    msg_id = kc.execute("for {\n}")
    time.sleep(0.5)
    km.provisioner.process.send_signal(signal.SIGINT)
    iopub = kernelio.iopub_until_idle(kc, msg_id, timeout=5)
    errors = [m["content"] for m in iopub if m["msg_type"] == "error"]
    assert [e["ename"] for e in errors] == ["KeyboardInterrupt"]
    assert km.is_alive()
    assert plain(ok(kc, "n + 1").result()) == "2"

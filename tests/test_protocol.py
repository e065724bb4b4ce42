"""Messages other than execute: kernel_info, complete, inspect, is_complete,
history, comms, heartbeat, and which socket a reply goes out on."""

import time
import uuid

import pytest

import kernelio
from kernelio import ok, request


def assert_busy_idle(iopub, msg_id):
    states = [m["content"]["execution_state"] for m in iopub if m["msg_type"] == "status"]
    assert states == ["busy", "idle"], f"status around {msg_id}: got {states}"
    assert all(m["parent_header"]["msg_id"] == msg_id for m in iopub)


@pytest.mark.parametrize("channel", ["shell", "control"])
def test_kernel_info(kc, channel):
    reply, iopub = request(kc, "kernel_info_request", {}, channel=channel)
    c = reply["content"]
    assert reply["msg_type"] == "kernel_info_reply"
    assert c["status"] == "ok"
    assert c["protocol_version"].startswith("5.")
    assert c["implementation"] == "gostream"
    assert c["language_info"]["name"] == "go"
    assert c["language_info"]["file_extension"] == ".go"
    assert c["banner"]
    assert_busy_idle(iopub, reply["parent_header"]["msg_id"])


def test_reply_goes_out_on_the_request_socket(kc):
    """jupyter_client uses one identity on shell and control: a control
    request answered on shell (or the reverse) is lost."""
    for channel, other in [("control", "shell"), ("shell", "control")]:
        reply, _ = request(kc, "kernel_info_request", {}, channel=channel)
        assert reply["msg_type"] == "kernel_info_reply"
        stray = kernelio.drain(kc, other, wait=0.3)
        assert stray == [], f"{channel} request also answered on the other socket: {stray}"


def test_heartbeat(kc):
    assert kc.hb_channel.is_alive()
    kc.hb_channel.unpause()
    time.sleep(kc.hb_channel.time_to_dead * 1.5)
    assert kc.hb_channel.is_beating()


def complete(kc, code, cursor_pos=None):
    if cursor_pos is None:
        cursor_pos = len(code)
    reply, _ = request(kc, "complete_request", {"code": code, "cursor_pos": cursor_pos})
    c = reply["content"]
    assert c["status"] == "ok", c
    return c


@pytest.mark.parametrize("code,cursor,want", [
    pytest.param('import "fmt"\nfmt.Prin', None, 'import "fmt"\nfmt.Println', id="package member"),
    pytest.param("myVa", None, "myVariable", id="global from an earlier cell"),
    pytest.param('s := "héllo→"; myVa', None, 's := "héllo→"; myVariable', id="cursor in code points"),
    pytest.param("myVa + 1", 4, "myVariable + 1", id="cursor mid-line"),
])
def test_complete(kc, code, cursor, want):
    ok(kc, "var myVariable = 40")
    c = complete(kc, code, cursor)
    cursor = len(code) if cursor is None else cursor
    assert c["cursor_end"] == cursor
    applied = [code[:c["cursor_start"]] + m + code[c["cursor_end"]:] for m in c["matches"]]
    assert want in applied, f"matches {c['matches']} at [{c['cursor_start']}:{c['cursor_end']}] give {applied}"


def test_complete_nothing(kc):
    c = complete(kc, "zzzNoSuchName")
    assert c["matches"] == []


@pytest.mark.parametrize("code,want", [
    pytest.param("Double", "func Double(x int) int", id="function from a cell"),
    pytest.param('import "strings"\nstrings.ToUpper', "ToUpper", id="package function"),
])
def test_inspect_found(kc, code, want):
    ok(kc, "func Double(x int) int { return 2 * x }")
    reply, _ = request(kc, "inspect_request", {"code": code, "cursor_pos": len(code), "detail_level": 0})
    c = reply["content"]
    assert c["status"] == "ok"
    assert c["found"] is True, c
    assert want in c["data"]["text/plain"]


def test_inspect_not_found(kc):
    reply, _ = request(kc, "inspect_request", {"code": "zzzNoSuchName", "cursor_pos": 13, "detail_level": 0})
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["found"] is False


@pytest.mark.parametrize("code,want", [
    ("1 + 1", "complete"),
    ('import "fmt"\nfmt.Println("x")', "complete"),
    ("func f() {", "incomplete"),
    ("x := []int{1,\n2,", "incomplete"),
    ("x := )", "invalid"),
    ("1 + 1 }", "invalid"),
])
def test_is_complete(kc, code, want):
    reply, _ = request(kc, "is_complete_request", {"code": code})
    c = reply["content"]
    assert c["status"] == want, f"{code!r}: got {c}"
    if want == "incomplete":
        assert "indent" in c


def test_history(kc):
    cells = ["a := 1", "b := a + 1", 'import "fmt"', "fmt.Println(b)"]
    for code in cells:
        ok(kc, code)
    ok(kc, "c := 3", store_history=False)

    def history(**content):
        content.setdefault("output", False)
        content.setdefault("raw", True)
        reply, _ = request(kc, "history_request", content)
        assert reply["content"]["status"] == "ok", reply["content"]
        return [tuple(h) for h in reply["content"]["history"]]

    tail = history(hist_access_type="tail", n=2)
    assert [h[2] for h in tail] == cells[2:]
    assert [h[1] for h in tail] == [3, 4]

    rng = history(hist_access_type="range", session=0, start=2, stop=4)
    assert [h[2] for h in rng] == cells[1:3]

    found = history(hist_access_type="search", pattern="*a*", n=10)
    assert [h[2] for h in found] == ["a := 1", "b := a + 1"]


def test_comm_info(kc):
    reply, _ = request(kc, "comm_info_request", {})
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["comms"] == {}


def test_comm_open_unknown_target_is_closed(kc):
    comm_id = uuid.uuid4().hex
    msg = kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "no.such.target", "data": {}})
    kc.shell_channel.send(msg)
    iopub = kernelio.iopub_until_idle(kc, msg["header"]["msg_id"])
    closes = [m for m in iopub if m["msg_type"] == "comm_close"]
    assert len(closes) == 1, [m["msg_type"] for m in iopub]
    assert closes[0]["content"]["comm_id"] == comm_id
    reply, _ = request(kc, "comm_info_request", {})
    assert comm_id not in reply["content"]["comms"]

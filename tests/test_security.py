"""Messages signed with the wrong key are dropped: no reply, no execution."""

import json

import pytest
from jupyter_client.session import Session

import kernelio
from kernelio import ok


def write_file_code(path):
    return f'import "os"\n_ = os.WriteFile({json.dumps(str(path))}, []byte("ran"), 0o644)'


@pytest.mark.parametrize("key", [pytest.param(b"wrong", id="wrong key"), pytest.param(b"", id="unsigned")])
def test_bad_signature_is_not_executed(kc, tmp_path, key):
    target = tmp_path / "ran.txt"
    forger = Session(key=key, signature_scheme=kc.session.signature_scheme, session=kc.session.session)
    msg = forger.msg("execute_request", {
        "code": write_file_code(target), "silent": False, "store_history": True,
        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True,
    })
    forger.send(kc.shell_channel.socket, msg)
    msg_id = msg["header"]["msg_id"]

    replies = kernelio.drain(kc, "shell", wait=1.5)
    assert [r for r in replies if r["parent_header"].get("msg_id") == msg_id] == []
    iopub = kernelio.drain(kc, "iopub")
    assert [m for m in iopub if m["parent_header"].get("msg_id") == msg_id] == []
    assert not target.exists(), "a message with a bad signature was executed"

    # The same code signed with the connection key runs: the check above
    # would have seen the file.
    ok(kc, write_file_code(target))
    assert target.read_text() == "ran"


def test_bad_signature_shutdown_is_ignored(kc, km):
    forger = Session(key=b"wrong", signature_scheme=kc.session.signature_scheme, session=kc.session.session)
    msg = forger.msg("shutdown_request", {"restart": False})
    forger.send(kc.control_channel.socket, msg)
    assert kernelio.drain(kc, "control", wait=1.0) == []
    assert km.is_alive()
    assert kernelio.plain(ok(kc, "1 + 2").result()) == "3"

"""The server and its operator commands on PostgreSQL instead of SQLite: the same binary,
`--store postgres://…` (or ATRIUM_STORE_URL, the configuration key store.url). A real
PostgreSQL is started by tools/lib/postgres-server for this module and stopped after it."""
import json
import os
import signal
import subprocess
import tempfile

import pytest
from websockets.sync.client import connect

from conftest import ROOT, SERVER, start_server
from test_durability import BOARD, join_beside_the_board, receive_json

SCRIPT = os.path.join(ROOT, "tools", "lib", "postgres-server")


@pytest.fixture(scope="module")
def postgres():
    started = subprocess.run([SCRIPT, "start", "--watch", str(os.getpid())], capture_output=True, text=True, check=True)
    url, pid, folder = started.stdout.split()
    yield url
    subprocess.run([SCRIPT, "stop", pid, folder], check=True)


def command(*arguments, env=None):
    result = subprocess.run([SERVER, *arguments], capture_output=True, text=True, cwd=ROOT, timeout=60,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_invite_list_and_revoke_work_against_postgres(postgres):
    data = tempfile.mkdtemp(prefix="atrium-pg-cli-")
    created = command("invite", "create", "--name", "Mina", "--role", "moderator", "--email", "mina@example.org",
                      "--store", postgres, "--data", data)
    assert "Mina (moderator" in created and "token=" in created
    # The configuration key's environment variable names the same store.
    listed = command("invite", "list", "--data", data, env={"ATRIUM_STORE_URL": postgres})
    assert "\tmoderator\tactive\tMina\tmina@example.org" in listed
    assert "revoked 1" in command("invite", "revoke", "mina@example.org", "--store", postgres, "--data", data)
    assert "\trevoked\tMina" in command("invite", "list", "--store", postgres, "--data", data)
    # Nothing went to a SQLite database in the data folder.
    assert not os.path.exists(os.path.join(data, "atrium.sqlite"))


def test_a_wrong_store_url_is_named_without_its_password(postgres):
    result = subprocess.run([SERVER, "export", "--store", "postgres://atrium:hunter2@127.0.0.1:1/atrium"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "postgres://atrium:***@127.0.0.1:1/atrium" in result.stderr
    assert "hunter2" not in result.stderr


def test_kill_dash_nine_on_postgres_loses_nothing_acknowledged_and_export_has_it(postgres):
    data = tempfile.mkdtemp(prefix="atrium-pg-serve-")
    server = start_server("--store", postgres, "--note-rate", "1000/s:1000", data=data)
    acknowledged = {}
    try:
        with connect(f"ws://127.0.0.1:{server.port}/ws?room=plaza") as ws:
            join_beside_the_board(ws)
            sent = 0
            while len(acknowledged) < 60:
                while sent - len(acknowledged) < 20:
                    sent += 1
                    ws.send(json.dumps({"type": "note_post", "id": BOARD, "text": f"pg note {sent}", "ref": f"n{sent}"}))
                message = receive_json(ws, lambda m: m["type"] in ("note", "error"))
                assert message["type"] == "note", message
                if message.get("ref"):
                    acknowledged[message["note"]["id"]] = message["note"]["text"]
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
    finally:
        if server.process.poll() is None:
            server.process.kill()

    exported = json.loads(command("export", "--store", postgres, "--room", "plaza", "--data", data))
    stored = {note["id"]: note["text"] for note in exported["notes"]}
    missing = {i: t for i, t in acknowledged.items() if stored.get(i) != t}
    assert missing == {}, f"acknowledged but lost: {missing}"
    quiz = json.loads(command("quiz", "export", "--format", "json", "--store", postgres, "--data", data))
    assert quiz == {"answers": [], "rankings": []}

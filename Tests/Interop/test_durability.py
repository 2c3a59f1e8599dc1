"""Nothing acknowledged is lost: a real server process is killed with SIGKILL in the
middle of a stream of notes, restarted on the same data folder, and every note it had
acknowledged is still there."""
import json
import os
import random
import signal
import struct
import subprocess
import tempfile
import time

from websockets.sync.client import connect

from conftest import ROOT, SERVER, start_server

BOARD = "plaza-wall"          # Maps/tests/plaza.tmj: a board at tile (46, 16), radius 3


def receive_json(ws, predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = ws.recv(timeout=max(0.01, deadline - time.monotonic()))
        if isinstance(message, str):
            value = json.loads(message)
            if predicate(value):
                return value
    raise TimeoutError("no matching message")


def join_beside_the_board(ws):
    ws.send(json.dumps({"type": "hello", "name": "Durable"}))
    receive_json(ws, lambda m: m["type"] == "welcome")
    # Walk to the board: a target move input in 1/64 tile units.
    ws.send(struct.pack("<BIBHH", 1, 1, 2, 44 * 64 + 32, 16 * 64 + 32))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ws.send(json.dumps({"type": "exhibit_open", "id": BOARD, "ref": "open"}))
        answer = receive_json(ws, lambda m: m.get("ref") == "open")
        if answer["type"] == "exhibit":
            return
        time.sleep(0.5)
    raise TimeoutError("never reached the board")


def test_kill_dash_nine_loses_nothing_acknowledged():
    data = tempfile.mkdtemp(prefix="atrium-durability-")
    server = start_server("--note-rate", "1000/s:1000", data=data)
    acknowledged = {}
    try:
        with connect(f"ws://127.0.0.1:{server.port}/ws?room=plaza") as ws:
            join_beside_the_board(ws)
            kill_after = random.randint(40, 120)
            sent = 0
            while len(acknowledged) < kill_after:
                # Keep a window of notes in flight, so the kill lands mid-stream.
                while sent - len(acknowledged) < 20:
                    sent += 1
                    ws.send(json.dumps({"type": "note_post", "id": BOARD, "text": f"note {sent}", "ref": f"n{sent}"}))
                message = receive_json(ws, lambda m: m["type"] in ("note", "error"))
                assert message["type"] == "note", message
                if message.get("ref"):
                    acknowledged[message["note"]["id"]] = message["note"]["text"]
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
    finally:
        if server.process.poll() is None:
            server.process.kill()

    restarted = start_server(data=data)
    try:
        with connect(f"ws://127.0.0.1:{restarted.port}/ws?room=plaza") as ws:
            join_beside_the_board(ws)
            stored = {}
            before = None
            while True:
                request = {"type": "notes_page", "id": BOARD, "limit": 100, "ref": "page"}
                if before is not None:
                    request["before"] = before
                ws.send(json.dumps(request))
                page = receive_json(ws, lambda m: m.get("ref") == "page")
                for note in page["notes"]:
                    stored[note["id"]] = note["text"]
                if not page["more"]:
                    break
                before = page["notes"][-1]["id"]
        missing = {i: t for i, t in acknowledged.items() if stored.get(i) != t}
        assert len(acknowledged) >= 40
        assert missing == {}, f"acknowledged but lost: {missing}"
    finally:
        restarted.process.terminate()
        restarted.process.wait(timeout=10)


def test_a_corrupt_database_is_a_clear_error_not_a_crash():
    data = tempfile.mkdtemp(prefix="atrium-corrupt-")
    with open(os.path.join(data, "atrium.sqlite"), "wb") as out:
        out.write(b"this is not a database" * 500)
    result = subprocess.run([SERVER, "--port", "0", "--host", "127.0.0.1", "--data", data, "--maps",
                             os.path.join(ROOT, "Maps", "tests")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "atrium.sqlite" in result.stderr and "damaged" in result.stderr

"""A short bot run against the server binary: every bot joins, latencies are recorded,
no error occurs, and the harness stops by itself."""
import json
import os
import subprocess

from conftest import ROOT, start_server, stop_server


def test_twenty_bots_for_five_seconds(tmp_path):
    server = start_server()
    try:
        report = tmp_path / "bots.json"
        binary = os.environ.get("ATRIUM_BOTS", os.path.join(ROOT, ".build", "debug", "atrium-bots"))
        result = subprocess.run(
            [binary, "--url", f"ws://127.0.0.1:{server.port}/ws", "--room", "plaza", "--maps",
             os.path.join(ROOT, "Maps", "tests"), "--bots", "20", "--ramp", "100/s", "--duration", "5s",
             "--behavior", "wander:50,chatter:40,idle:10", "--chat-every", "1-2", "--report", str(report),
             "--max-errors", "0"],
            capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr
        figures = json.loads(report.read_text())
        assert figures["joined"] == 20 and figures["peakConnected"] == 20
        assert figures["errors"] == {} and figures["connectFailures"] == {}
        assert set(figures["disconnects"]) <= {"finished"}
        latencies = figures["latencies"]
        for name in ["connect+welcome", "input→ack", "move→seen", "chat ack", "chat delivery"]:
            assert latencies[name]["count"] > 0, name
            assert 0 < latencies[name]["p50Ms"] < 1000, name
        assert figures["traffic"]["messagesIn"] > 0
    finally:
        stop_server(server)


def test_an_unreachable_server_gives_a_clear_message_and_no_hang():
    binary = os.environ.get("ATRIUM_BOTS", os.path.join(ROOT, ".build", "debug", "atrium-bots"))
    result = subprocess.run([binary, "--url", "ws://127.0.0.1:1/ws", "--bots", "20", "--duration", "30s"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "could not join" in result.stdout
    assert "connection refused" in result.stdout

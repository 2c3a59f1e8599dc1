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


def run_bots(server, tmp_path, *extra):
    report = tmp_path / "bots.json"
    binary = os.environ.get("ATRIUM_BOTS", os.path.join(ROOT, ".build", "debug", "atrium-bots"))
    result = subprocess.run(
        [binary, "--url", f"ws://127.0.0.1:{server.port}/ws", "--room", "plaza", "--maps", os.path.join(ROOT, "Maps", "tests"),
         "--bots", "20", "--ramp", "100/s", "--duration", "3s", "--behavior", "wander", "--report", str(report), *extra],
        capture_output=True, text=True, timeout=60)
    return result, json.loads(report.read_text())


def test_bots_refused_by_the_per_address_limit_fail_the_run_and_say_why(tmp_path):
    server = start_server("--max-connections-per-ip", "5")
    try:
        result, figures = run_bots(server, tmp_path)
        assert result.returncode == 1, result.stdout
        assert figures["joined"] == 5
        assert figures["connectFailures"] == {"HTTP 503 too_many_connections": 15}
        assert figures["verdict"].startswith("fail: joined 5 of 20, fewer than the 20 required (--min-joined)")
        assert "--source-addresses" in result.stdout and "--max-connections-per-ip" in result.stdout
    finally:
        stop_server(server)


def test_bots_spread_over_loopback_addresses_stay_under_the_per_address_limit(tmp_path):
    server = start_server("--max-connections-per-ip", "5")
    try:
        result, figures = run_bots(server, tmp_path, "--source-addresses", "127.0.0.1-127.0.0.4", "--observe", "25%",
                                   "--max-errors", "0")
        assert result.returncode == 0, result.stdout + result.stderr
        assert figures["joined"] == 20 and figures["connectFailures"] == {}
        assert figures["settings"]["observePercent"] == 25
        # Only observers time others' moves; every bot times its own inputs.
        assert figures["latencies"]["input→ack"]["count"] > 0
        assert figures["ownCPU"]["cores"] >= 1 and figures["ownCPU"]["percentOfOneCore"] >= 0
        assert figures["verdict"] == "pass"
    finally:
        stop_server(server)


def test_the_quiz_case_checks_every_verdict_against_where_its_bot_stood(tmp_path):
    """A moderator bot opens a quiz; ten quiz bots walk to O or X for the question and back
    after it; each checks its verdict against the field it stood on at the deadline."""
    data = str(tmp_path / "data")
    server_binary = os.environ.get("ATRIUM_SERVER", os.path.join(ROOT, ".build", "debug", "atrium-server"))
    invite = subprocess.run([server_binary, "invite", "create", "--name", "Quizmaster", "--role", "moderator", "--data", data],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert invite.returncode == 0, invite.stdout + invite.stderr
    token = invite.stdout.split("token=")[1].split()[0]
    server = start_server(data=data)
    try:
        report = tmp_path / "bots.json"
        binary = os.environ.get("ATRIUM_BOTS", os.path.join(ROOT, ".build", "debug", "atrium-bots"))
        result = subprocess.run(
            [binary, "--url", f"ws://127.0.0.1:{server.port}/ws", "--room", "plaza", "--maps",
             os.path.join(ROOT, "Maps", "tests"), "--bots", "10", "--ramp", "100/s", "--duration", "16s",
             "--behavior", "quiz", "--quiz-master", token, "--quiz-questions", "1", "--quiz-seconds", "5",
             "--quiz-gather", "6", "--quiz-pause", "1", "--report", str(report), "--max-errors", "0"],
            capture_output=True, text=True, timeout=90)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "quiz verdicts: pass" in result.stdout, result.stdout
        quiz = json.loads(report.read_text())["quiz"]
        assert quiz["master"]["judged"] == 1 and quiz["master"]["finished"]
        assert quiz["tally"]["players"] == 10 and quiz["tally"]["verdicts"] == 10
        assert quiz["tally"]["matched"] == 10 and quiz["tally"]["mismatched"] == 0
        # The server's own count agrees: every player stood on O or X.
        assert sum(quiz["master"]["counts"][0][:2]) == 10, quiz["master"]["counts"]
    finally:
        stop_server(server)

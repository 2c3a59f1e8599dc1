"""Starts the real atrium-server binary for tests that talk to it from outside."""
import os
import re
import subprocess
import time

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class RunningServer:
    def __init__(self, process, port):
        self.process = process
        self.port = port

    def url(self, path):
        return f"ws://127.0.0.1:{self.port}{path}"


SERVER = os.environ.get("ATRIUM_SERVER", os.path.join(ROOT, ".build", "debug", "atrium-server"))


def start_server(*extra, data=None):
    import tempfile
    data = data or tempfile.mkdtemp(prefix="atrium-interop-")
    command = [SERVER, "--host", "127.0.0.1", "--port", "0", "--maps", os.path.join(ROOT, "Maps", "tests"),
               "--web", os.path.join(ROOT, "Web"), "--data", data, "--log-level", "warning", *extra]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 30
    for line in process.stdout:
        match = re.search(r"Listening on 127\.0\.0\.1:(\d+)", line)
        if match:
            return RunningServer(process, int(match.group(1)))
        if time.monotonic() > deadline:
            break
    process.kill()
    raise RuntimeError("the server did not start: " + process.stderr.read())


def stop_server(server):
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        raise


@pytest.fixture(scope="session")
def server():
    running = start_server("--echo")
    yield running
    stop_server(running)
    assert running.process.returncode == 0, "the server must exit 0 on SIGTERM"

"""Starts the real atrium-server binary for the stage tests, with the stage's settings in
its environment, and reads its /readyz."""
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SERVER = os.environ.get("ATRIUM_SERVER", os.path.join(ROOT, ".build", "debug", "atrium-server"))


class AtriumProcess:
    def __init__(self, *extra, janus=None, environment=None, maps=None):
        self.extra = extra
        self.janus = janus
        self.environment = dict(environment or {})
        self.maps = maps or os.path.join(ROOT, "Maps", "tests")
        self.process = None
        self.port = None
        self.data = None

    def start(self):
        data = self.data = tempfile.mkdtemp(prefix="atrium-stage-")
        environment = dict(os.environ, **self.environment)
        if self.janus is not None:
            environment.update(ATRIUM_STAGE_JANUS_URL=self.janus.url, ATRIUM_STAGE_JANUS_SECRET=self.janus.secret,
                               ATRIUM_STAGE_JANUS_ADMIN_KEY=self.janus.admin_key)
        command = [SERVER, "--host", "127.0.0.1", "--port", "0", "--maps", self.maps, "--web", os.path.join(ROOT, "Web"),
                   "--data", data, "--log-level", "warning", *self.extra]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                        env=environment)
        deadline = time.monotonic() + 30
        for line in self.process.stdout:
            match = re.search(r"Listening on 127\.0\.0\.1:(\d+)", line)
            if match:
                self.port = int(match.group(1))
                return self
            if time.monotonic() > deadline:
                break
        self.process.kill()
        raise RuntimeError("atrium-server did not start: " + self.process.stderr.read())

    def http(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def readyz(self):
        try:
            with urllib.request.urlopen(self.http("/readyz"), timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def wait_for_stage(self, wanted, timeout=20):
        """The /readyz answer once its `stage` is `wanted`; fails with the last answer."""
        deadline = time.monotonic() + timeout
        answer = None
        while time.monotonic() < deadline:
            answer = self.readyz()
            if answer[1].get("stage") == wanted:
                return answer
            time.sleep(0.05)
        raise AssertionError(f"the stage did not become {wanted}: {answer}")

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

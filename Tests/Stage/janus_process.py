"""Runs Debian's janus for a test: writes the configuration (tools/janus/write-config) into a
temporary folder, starts janus on a free loopback port, waits until it answers an `info`
request over its WebSocket API, and stops it by pid."""
import asyncio
import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import websockets

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JANUS = os.environ.get("ATRIUM_JANUS", "janus")
SUBPROTOCOL = "janus-protocol"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sign(secret, fields):
    """A Janus signed token: the comma-joined fields, ':', base64 HMAC-SHA1 of them."""
    data = ",".join(fields)
    digest = hmac.new(secret.encode(), data.encode(), hashlib.sha1).digest()
    return data + ":" + base64.b64encode(digest).decode()


def core_token(secret, expiry):
    return sign(secret, [str(expiry), "janus", "janus.plugin.videoroom"])


class JanusProcess:
    def __init__(self, secret=None, admin_key=None, debug_level=3):
        self.secret = secret or secrets.token_urlsafe(24)
        self.admin_key = admin_key or secrets.token_urlsafe(24)
        self.debug_level = debug_level
        self.directory = None
        self.process = None
        self.port = None
        self.log_path = None

    @property
    def url(self):
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout=20, port=None):
        """Starts janus on `port`, or a free one; again after stop() on the same folder."""
        if shutil.which(JANUS) is None:
            raise RuntimeError("janus is not installed (tools/test installs Debian's janus)")
        self.directory = self.directory or tempfile.mkdtemp(prefix="atrium-janus-")
        for attempt in range(3):
            self.port = port or free_port()
            subprocess.run([os.path.join(ROOT, "tools", "janus", "write-config"), self.directory,
                            "--port", str(self.port), "--secret", self.secret, "--admin-key", self.admin_key,
                            "--debug-level", str(self.debug_level)], check=True, stdout=subprocess.DEVNULL)
            self.log_path = os.path.join(self.directory, "janus.log")
            log = open(self.log_path, "ab")
            self.process = subprocess.Popen([JANUS, "-F", self.directory, "-C", os.path.join(self.directory, "janus.jcfg")],
                                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            log.close()
            if self._wait_until_answering(timeout):
                return self
            self.stop()
        raise RuntimeError("janus did not answer; its log:\n" + self.log())

    def _wait_until_answering(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                reply = asyncio.run(self.request({"janus": "info"}, timeout=1))
                if reply.get("janus") == "server_info":
                    return True
            except (OSError, asyncio.TimeoutError, websockets.exceptions.WebSocketException):
                pass
            time.sleep(0.1)
        return False

    async def request(self, message, timeout=5):
        """One request on a fresh connection; the reply with its transaction."""
        async with websockets.connect(self.url, subprotocols=[SUBPROTOCOL], open_timeout=timeout) as ws:
            message = dict(message, transaction=secrets.token_hex(6))
            await ws.send(json.dumps(message))
            while True:
                reply = json.loads(await asyncio.wait_for(ws.recv(), timeout))
                if reply.get("transaction") == message["transaction"] and reply.get("janus") != "ack":
                    return reply

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-8000:]
        except (OSError, TypeError):
            return ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def cleanup(self):
        self.stop()
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

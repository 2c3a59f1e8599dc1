"""What the media tests share: coturn on a free loopback port with a shared secret, the
Atrium server told to hand out TURN credentials for it, headless Chromium with fake
camera and microphone, and an aiortc peer in its own process.

The browser helpers (join, wait, atrium) come from Tests/Browser/atrium_browser.py."""

from __future__ import annotations

import json
import os
import random
import secrets
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Browser"))

from atrium_browser import Server, atrium, chrome, wait  # noqa: E402

OUTPUT = ROOT / "test-output" / "media"
TURNSERVER = "/usr/bin/turnserver"
# aiortc from Debian (python3-aiortc), run by the system Python, not the test's venv.
SYSTEM_PYTHON = "/usr/bin/python3"

# Fake devices: a beeping microphone and a test-pattern camera, granted without asking.
MEDIA_FLAGS = ("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
               "--autoplay-policy=no-user-gesture-required",
               # Host candidates as plain addresses, not mDNS names aiortc cannot resolve.
               "--disable-features=WebRtcHideLocalIpsWithMdns")


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    """A port free for both UDP and TCP on 127.0.0.1."""
    while True:
        with socket.socket(socket.AF_INET, kind) as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        other = socket.SOCK_STREAM if kind == socket.SOCK_DGRAM else socket.SOCK_DGRAM
        with socket.socket(socket.AF_INET, other) as check:
            try:
                check.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue


def stun_answers(port: int, timeout: float = 0.3) -> bool:
    """Whether a STUN binding request to 127.0.0.1:port gets an answer."""
    request = struct.pack("!HHI12s", 0x0001, 0, 0x2112A442, secrets.token_bytes(12))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.settimeout(timeout)
        try:
            probe.sendto(request, ("127.0.0.1", port))
            reply, _ = probe.recvfrom(2048)
        except OSError:
            return False
    return len(reply) >= 20 and struct.unpack("!H", reply[:2])[0] == 0x0101


class Coturn:
    """coturn with `use-auth-secret` on loopback, relaying to loopback peers (the
    browsers), in a temporary directory; stopped by its pid."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.secret = secrets.token_hex(16)
        self.port = free_port()
        low = random.randrange(40000, 59000, 100)
        self.relay_ports = (low, low + 99)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"turn:127.0.0.1:{self.port}?transport=udp"

    def start(self) -> None:
        log = self.directory / "turnserver.log"
        command = [TURNSERVER, "-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", f"--listening-port={self.port}",
                   f"--min-port={self.relay_ports[0]}", f"--max-port={self.relay_ports[1]}", "--use-auth-secret",
                   f"--static-auth-secret={self.secret}", "--realm=atrium.test", "--no-tls", "--no-dtls", "--no-cli",
                   "--allow-loopback-peers", "--fingerprint", "--verbose", f"--userdb={self.directory / 'turndb'}",
                   f"--pidfile={self.directory / 'turnserver.pid'}", f"--log-file={log}", "--simple-log", "--no-stdout-log"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while not stun_answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"coturn did not start on port {self.port}:\n{self.log()[-3000:]}")
            time.sleep(0.1)

    def log(self) -> str:
        path = self.directory / "turnserver.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def allocations(self) -> int:
        """Relay allocations coturn granted with a valid credential so far."""
        return self.log().count("ALLOCATE processed, success")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def media_server(binary: str, data: Path, turn: Coturn) -> Server:
    """The Atrium server under test, with coturn's URL and secret as its TURN settings."""
    secret_file = data / "turn.secret"
    data.mkdir(parents=True, exist_ok=True)
    secret_file.write_text(turn.secret + "\n")
    return Server(binary, data, environment={
        "ATRIUM_AV_TURN_URLS": turn.url, "ATRIUM_AV_TURN_SECRET_FILE": str(secret_file), "ATRIUM_AV_TURN_TTL": "600",
    })


def media_chrome(phone: bool = False):
    return chrome(phone, extra_arguments=MEDIA_FLAGS)


def media(driver) -> dict | None:
    """The media feature's snapshot (without its `stats` function)."""
    return driver.execute_script(
        "const m = window.atrium.feature('media'); if (!m) return null; const {stats, ...rest} = m; return rest;")


def stats(driver) -> list[dict]:
    """Per peer: inbound and outbound bytes by kind and the candidate types in use."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.atrium.feature('media').stats().then(done, (e) => done({error: String(e)}));")


def growing_media(driver, seconds: float = 2.0) -> tuple[dict, dict]:
    """Stats of the first peer now and `seconds` later."""
    before = stats(driver)[0]
    time.sleep(seconds)  # media flows in real time; the test measures over this interval
    after = stats(driver)[0]
    return before, after


class AiortcPeer:
    """tests/Media/aiortc_peer.py in its own process: it joins through Atrium's signalling
    and reports, one JSON object a line, what it received."""

    def __init__(self, ws_url: str, name: str):
        self.ws_url = ws_url
        self.name = name
        self.lines: list[dict] = []
        self.raw: list[str] = []
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([SYSTEM_PYTHON, str(Path(__file__).with_name("aiortc_peer.py")), self.ws_url, self.name],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process and self.process.stdout
        for line in self.process.stdout:
            self.raw.append(line)
            try:
                self.lines.append(json.loads(line))
            except ValueError:
                pass

    def last(self, event: str) -> dict | None:
        return next((line for line in reversed(self.lines) if line.get("event") == event), None)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


__all__ = ["AiortcPeer", "Coturn", "OUTPUT", "atrium", "growing_media", "media", "media_chrome", "media_server", "stats",
           "wait", "os"]

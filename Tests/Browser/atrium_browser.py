"""What the browser tests share: the server under test, headless Chromium, and helpers
that read the client through `window.atrium` and the DOM. A module of its own rather than
conftest.py, so that the tests import it by a name no other test folder uses."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "browser"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
LISTENING = re.compile(r"Listening on 127\.0\.0\.1:(\d+)")
START_TIMEOUT = 30.0
UNITS = 64  # units per tile (Protocol/README.md, "Units")


# Variables of this test harness, not of the server: the server reads ATRIUM_* variables
# as its configuration and logs a warning for each name it does not know.
HARNESS_VARIABLES = ("ATRIUM_SERVER", "ATRIUM_BOTS", "ATRIUM_KEEP_DATA")


def server_environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name not in HARNESS_VARIABLES}


class Server:
    """The running server: its port, data directory, and the output it printed."""

    def __init__(self, binary: str, data: Path, environment: dict[str, str] | None = None, maps: str = "Maps/tests"):
        self.binary = binary
        self.data = data
        self.environment = environment or {}
        self.maps = maps
        self.port: int | None = None
        self.lines: list[str] = []
        self.process: subprocess.Popen | None = None
        self._listening = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def start(self) -> None:
        command = [self.binary, "--host", "127.0.0.1", "--port", "0", "--maps", self.maps, "--web", "Web",
                   "--data", str(self.data), "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, bufsize=1, env={**server_environment(), **self.environment})
        threading.Thread(target=self._read, daemon=True).start()
        if not self._listening.wait(START_TIMEOUT):
            self.stop()
            raise RuntimeError("the server did not say where it listens:\n" + "".join(self.lines[-40:]))

    def _read(self) -> None:
        # Keep draining the pipe for the whole run, so the server never blocks on it.
        assert self.process and self.process.stdout
        for line in self.process.stdout:
            self.lines.append(line)
            match = LISTENING.search(line)
            if match and self.port is None:
                self.port = int(match.group(1))
                self._listening.set()

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def invite(self, name: str, role: str, room: str = "plaza") -> str:
        """A join token from `atrium-server invite create` (the same data directory)."""
        result = subprocess.run(
            [self.binary, "invite", "create", "--data", str(self.data), "--name", name, "--role", role,
             "--room", room, "--base-url", self.base_url],
            cwd=ROOT, capture_output=True, text=True, timeout=30, env=server_environment())
        output = result.stdout + result.stderr
        match = re.search(r"token=([A-Za-z0-9._~%-]+)", output)
        if result.returncode != 0 or not match:
            raise AssertionError(f"invite create failed (exit {result.returncode}):\n{output}")
        return match.group(1)


@contextlib.contextmanager
def bots(server: Server, count: int, seconds: int, room: str = "plaza", behavior: str = "idle", ramp: int = 50):
    """Runs `count` bots of atrium-bots ($ATRIUM_BOTS, default .build/debug/atrium-bots) in `room`
    of the server's maps for at most `seconds`, `ramp` a second; they are stopped when the block ends."""
    binary = os.environ.get("ATRIUM_BOTS") or str(ROOT / ".build" / "debug" / "atrium-bots")
    if not Path(binary).is_file():
        pytest.skip(f"no bots binary at {binary}: set ATRIUM_BOTS")
    command = [binary, "--url", server.ws_url, "--room", room, "--bots", str(count), "--ramp", f"{ramp}/s",
               "--duration", f"{seconds}s", "--behavior", behavior, "--maps", server.maps]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=server_environment())
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def server_binary() -> str:
    binary = os.environ.get("ATRIUM_SERVER") or str(ROOT / ".build" / "debug" / "atrium-server")
    if not Path(binary).is_file():
        pytest.exit(f"no server binary at {binary}: set ATRIUM_SERVER", returncode=2)
    return binary


PHONE = {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2, "touch": True, "mobile": True},
         "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                      "Chrome/120.0 Mobile Safari/537.36"}


def chrome(phone: bool = False, extra_arguments: tuple[str, ...] = ()) -> webdriver.Chrome:
    """Headless Chromium: a 1280×800 desktop window, or a 390×844 phone with touch events."""
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,800",
                     "--disable-dev-shm-usage", "--lang=ko-KR", *extra_arguments):
        options.add_argument(argument)
    if phone:
        options.add_experimental_option("mobileEmulation", PHONE)
    if Path(CHROMIUM).exists():
        options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


# ---- Helpers shared by the tests ----

def tap(driver, element) -> None:
    """A finger's tap on `element` (touch pointer events, as a phone sends them)."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    from selenium.webdriver.common.actions import interaction

    actions = ActionBuilder(driver, mouse=PointerInput(interaction.POINTER_TOUCH, "finger"))
    actions.pointer_action.move_to(element).pointer_down().pause(0.05).pointer_up()
    actions.perform()


def covers(rect: dict, point: dict, margin: float) -> bool:
    """Whether a page rectangle {left, top, right, bottom} covers a circle of `margin` around `point`."""
    return (rect["left"] - margin < point["x"] < rect["right"] + margin
            and rect["top"] - margin < point["y"] < rect["bottom"] + margin)


def visible_rect(driver, testid: str):
    """The page rectangle of a shown element, or None when it is hidden."""
    return driver.execute_script(
        "const e = document.querySelector(`[data-testid=${arguments[0]}]`);"
        "if (!e || !e.getClientRects().length) return null;"
        "const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};", testid)


def snapshot(driver, name: str) -> None:
    """Saves a screenshot of a moment worth seeing, beside the final ones."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(OUTPUT / f"{name}.png"))


def wait(driver, condition, timeout: float = 10.0, message: str = ""):
    """Waits until `condition(driver)` is truthy and returns its value."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(condition, message)


def atrium(driver, path: str = ""):
    """Reads `window.atrium<path>` in the page; a missing link in the path reads as None."""
    safe = re.sub(r"\.(?=[A-Za-z_$])", "?.", path)
    return driver.execute_script(f"return window.atrium{safe} ?? null;")


def by_testid(driver, name: str):
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="{name}"]')


def join(driver, server: Server, name: str, room: str = "plaza", token: str | None = None) -> dict:
    """Opens the client, joins `room` as `name`, and waits until the own avatar is known."""
    url = f"{server.base_url}/?room={room}" + (f"&token={token}" if token else "")
    driver.get(url)
    field = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="name-input"]'))
    if token:
        # The join form fills in the invitation's registered name; type over it once it has.
        wait(driver, lambda d: by_testid(d, "join-form").get_attribute("data-invitation") not in (None, "pending"), 10)
    field.clear()
    field.send_keys(name)
    by_testid(driver, "join-button").click()
    wait(driver, lambda d: atrium(d, ".connectionState") == "open" and atrium(d, ".me"), 15, f"{name} did not join")
    # The map is loaded when the location line, minimap and exhibits can work.
    wait(driver, lambda d: d.execute_script("return !!document.querySelector('[data-testid=minimap]').width"), 10)
    return atrium(driver, ".me")


def settled(driver, timeout: float = 5.0, still_for: float = 0.25) -> dict:
    """Waits until the own avatar stands still: the same position for `still_for` seconds."""
    last = {"position": None, "since": 0.0}

    def still(d):
        me = atrium(d, ".me")
        seen = (me["x"], me["y"])
        now = time.monotonic()
        if last["position"] != seen:
            last["position"], last["since"] = seen, now
            return False
        return me if now - last["since"] >= still_for else False

    return wait(driver, still, timeout, "the avatar did not stop")


def avatar(driver, avatar_id: int):
    """Avatar `avatar_id` as `driver` sees it, or None."""
    return driver.execute_script(
        "return (window.atrium.avatars || []).find(a => a.id === arguments[0]) || null;", avatar_id)


def tile_of(position: dict) -> tuple[int, int]:
    return position["x"] // UNITS, position["y"] // UNITS


class Moderator:
    """A moderator client that is not a browser: the `websockets` synchronous client."""

    def __init__(self, server, token: str):
        from websockets.sync.client import connect

        self._stack = contextlib.ExitStack()
        self.socket = self._stack.enter_context(
            connect(f"{server.ws_url}?room=plaza", subprotocols=["atrium.v1"], open_timeout=10))
        self.socket.send(json.dumps({"type": "hello", "name": "Mod", "token": token}))
        self.welcome = self.expect(lambda m: m["type"] in ("welcome", "error"))
        assert self.welcome["type"] == "welcome", self.welcome

    def send(self, **message) -> None:
        self.socket.send(json.dumps(message))

    def expect(self, matches, timeout: float = 10.0) -> dict:
        """The next JSON message for which `matches` is true (binary state messages are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("the moderator did not get the expected message")
            frame = self.socket.recv(timeout=left)
            if isinstance(frame, str):
                message = json.loads(frame)
                if matches(message):
                    return message

    def close(self) -> None:
        try:
            self.send(type="leave")
        finally:
            self._stack.close()

"""Real-browser tests of proximity voice and video.

One coturn (`use-auth-secret`, loopback, relaying to loopback peers) and one Atrium server
told to mint TURN credentials for it run for the whole session, each on a free port in a
temporary directory, stopped by pid. Each test opens headless Chromium windows with fake
camera and microphone (`browser()`, or `browser(phone=True)` for a phone with touch);
windows are closed after the test, with a screenshot and the console under
test-output/media/."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException

from media_harness import OUTPUT, Coturn, media_chrome, media_server
from atrium_browser import server_binary


@pytest.fixture(scope="session")
def coturn():
    directory = Path(tempfile.mkdtemp(prefix="atrium-coturn-"))
    turn = Coturn(directory)
    turn.start()
    yield turn
    turn.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def server(coturn):
    data = Path(tempfile.mkdtemp(prefix="atrium-media-"))
    running = media_server(server_binary(), data, coturn)
    running.start()
    yield running
    running.stop()
    if os.environ.get("ATRIUM_KEEP_DATA") != "1":
        shutil.rmtree(data, ignore_errors=True)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def browser(request):
    drivers = []

    def open_window(phone: bool = False):
        driver = media_chrome(phone)
        drivers.append(driver)
        return driver

    yield open_window

    OUTPUT.mkdir(parents=True, exist_ok=True)
    failed = any(getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call"))
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    for index, driver in enumerate(drivers):
        try:
            driver.save_screenshot(str(OUTPUT / f"{name}-{index + 1}{'-FAILED' if failed else ''}.png"))
            if failed:
                logs = driver.get_log("browser")
                (OUTPUT / f"{name}-{index + 1}-console.txt").write_text(
                    "\n".join(f"{entry['level']} {entry['message']}" for entry in logs), encoding="utf-8")
            driver.execute_script("document.querySelector('[data-testid=leave-button]')?.click()")
        except WebDriverException:
            pass
        driver.quit()

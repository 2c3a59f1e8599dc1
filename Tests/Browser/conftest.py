"""Browser tests of the web client against a real server.

The server binary comes from $ATRIUM_SERVER (default: .build/debug/atrium-server). One
server runs for the whole session on a free port with the small test maps and a fresh
data directory; each test opens as many headless Chromium windows as it needs through
the `browser` fixture. Every window's final state is saved as a screenshot under
test-output/browser/ (git-ignored), also when the test fails, with the browser console
beside it on failure.

Waiting is always for a condition read through `window.atrium` or the DOM
(WebDriverWait); timeouts only guard against failures. The helpers live in
atrium_browser.py.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException

from atrium_browser import OUTPUT, Server, chrome, server_binary


@pytest.fixture(scope="session")
def server():
    data = Path(tempfile.mkdtemp(prefix="atrium-browser-"))
    running = Server(server_binary(), data)
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
    """Opens headless Chromium windows: `browser()` returns a new desktop one, `browser(phone=True)`
    a phone with touch; all are closed after the test."""
    drivers: list[webdriver.Chrome] = []

    def open_window(phone: bool = False) -> webdriver.Chrome:
        driver = chrome(phone)
        drivers.append(driver)
        return driver

    yield open_window

    OUTPUT.mkdir(parents=True, exist_ok=True)
    failed = any(getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call"))
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    for index, driver in enumerate(drivers):
        suffix = f"-{index + 1}" if len(drivers) > 1 else ""
        try:
            driver.save_screenshot(str(OUTPUT / f"{name}{suffix}{'-FAILED' if failed else ''}.png"))
            if failed:
                logs = driver.get_log("browser")
                (OUTPUT / f"{name}{suffix}-console.txt").write_text(
                    "\n".join(f"{entry['level']} {entry['message']}" for entry in logs), encoding="utf-8")
        except WebDriverException:
            pass
        try:
            # Leave for good, so the avatar does not wait out the resume grace in later tests.
            driver.execute_script("document.querySelector('[data-testid=leave-button]')?.click()")
        except WebDriverException:
            pass
        driver.quit()

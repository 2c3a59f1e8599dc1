"""A group talks: Chromium windows stand together at the plaza's spawn with microphone and
camera on; every one must end up with a connected link to every other one (a full mesh,
within av.max_peers) and receive audio and video from each, through TURN only.

The default run (tools/test) makes the smallest group that is a mesh rather than a pair:
three windows, the first of them a phone (390×844, touch), whose strip of bubbles must fit
its screen beside the toolbar. tools/media-mesh N runs the same with N windows
(ATRIUM_MEDIA_MESH, at most av.max_peers + 1 = 9)."""

from __future__ import annotations

import os

from atrium_browser import UNITS, by_testid, join, tap, visible_rect
from media_harness import media, stats, wait
from test_browser import click_map
from test_media import connected

COUNT = int(os.environ.get("ATRIUM_MEDIA_MESH") or 3)
assert 2 < COUNT <= 9, "a mesh is three to nine windows (av.max_peers + 1)"
# Where each guest stands, in tiles from the phone: all within 3 tiles of one another.
AROUND = [(0, 1), (1, 0), (-1, 0), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]


def switch_on_by_touch(driver) -> None:
    """Taps the microphone and camera buttons, as a finger does, and waits until both are on."""
    wait(driver, lambda d: by_testid(d, "media-mic").is_displayed(), 10, "no microphone button on the phone")
    tap(driver, by_testid(driver, "media-mic"))
    wait(driver, lambda d: (m := media(d)) and m["mic"], 10, "the microphone did not turn on")
    tap(driver, by_testid(driver, "media-camera"))
    wait(driver, lambda d: (m := media(d)) and m["camera"], 10, "the camera did not turn on")


def switch_on(driver) -> None:
    wait(driver, lambda d: by_testid(d, "media-mic").is_displayed(), 10, "no microphone button")
    by_testid(driver, "media-mic").click()
    by_testid(driver, "media-camera").click()
    wait(driver, lambda d: (m := media(d)) and m["mic"] and m["camera"], 10, "mic and camera did not turn on")


def bubble_rects(driver) -> list[dict]:
    return driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=media-bubble]')].filter((b) => b.getClientRects().length)"
        ".map((b) => { const r = b.getBoundingClientRect();"
        " return {peer: b.dataset.peer, left: r.left, top: r.top, right: r.right, bottom: r.bottom,"
        " video: b.classList.contains('has-video') || b.dataset.peer === 'self'}; })")


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_a_group_forms_a_full_mesh_through_turn_and_a_phone_shows_everyone(server, browser):
    phone = browser(phone=True)
    host = join(phone, server, "Phone", room="plaza&ice=relay")
    windows = [browser() for _ in range(COUNT - 1)]
    for index, driver in enumerate(windows, start=1):
        join(driver, server, f"Guest {index}", room="plaza&ice=relay")
        # The first visit's welcome card would take the click that walks the guest over.
        if by_testid(driver, "intro-card").is_displayed():
            by_testid(driver, "intro-dismiss").click()
    switch_on_by_touch(phone)
    for index, driver in enumerate(windows, start=1):
        switch_on(driver)
        # Gather around the phone, a tile apart at most.
        dx, dy = AROUND[index - 1]
        click_map(driver, host["x"] + UNITS * dx, host["y"] + UNITS * dy)
    everyone = [phone, *windows]
    for driver in everyone:
        wait(driver, lambda d: connected(d, COUNT - 1), 60, "the mesh did not connect")
    for driver in everyone:
        entries = stats(driver)
        assert len(entries) == COUNT - 1
        for entry in entries:
            assert entry["local"] == "relay", entry
        baseline = {entry["id"]: entry for entry in entries}

        def all_growing(d):
            now = {entry["id"]: entry for entry in stats(d)}
            return all(now[i]["audioBytesIn"] > baseline[i]["audioBytesIn"] and now[i]["videoBytesIn"] > baseline[i]["videoBytesIn"]
                       for i in baseline)

        wait(driver, all_growing, 20, "media did not flow from every peer")
    assert all(len(media(driver)["peers"]) == COUNT - 1 for driver in everyone)

    # Everywhere the strip of bubbles leaves the place name and the minimap readable.
    for driver in everyone:
        strip = visible_rect(driver, "media-strip")
        for other in ("location", "minimap"):
            rect = visible_rect(driver, other)
            assert not (strip and rect and overlaps(strip, rect)), (driver is phone, other, rect, strip)

    # The phone: its own preview and one bubble per peer, each showing video, in one row
    # that fits the screen (or scrolls sideways once it cannot), never over the
    # microphone and camera buttons, and big enough to see a face.
    wait(phone, lambda d: sum(1 for b in bubble_rects(d) if b["video"]) == COUNT, 10,
         f"the phone does not show every camera: {bubble_rects(phone)}")
    width = phone.execute_script("return window.innerWidth")
    rects = bubble_rects(phone)
    strip = visible_rect(phone, "media-strip")
    assert strip and strip["left"] >= 0 and strip["right"] <= width, (strip, width)
    assert len({round(rect["top"]) for rect in rects}) == 1, "one row"
    for rect in rects:
        assert rect["right"] - rect["left"] >= 64 and rect["bottom"] - rect["top"] >= 48, rect
        if COUNT <= 4:
            assert 0 <= rect["left"] and rect["right"] <= width, f"a bubble off screen: {rect}"
    for control in ("media-mic", "media-camera"):
        button = visible_rect(phone, control)
        assert button, f"{control} hidden on the phone"
        assert button["right"] - button["left"] >= 44 and button["bottom"] - button["top"] >= 44, (control, button)
        assert not any(overlaps(rect, button) for rect in rects), (control, button, rects)

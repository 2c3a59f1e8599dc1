"""A heavier scenario, not in the default run (tools/media-mesh runs it): a group of
Chromium windows (ATRIUM_MEDIA_MESH, default 4) stand together at the plaza's spawn with
microphone and camera on; every one must end up with a connected link to every other one
(a full mesh, within av.max_peers) and receive audio and video from each, through TURN."""

from __future__ import annotations

import os

import pytest

from atrium_browser import UNITS, join
from media_harness import media, stats, wait
from test_browser import click_map
from test_media import connected, switch_on

COUNT = int(os.environ.get("ATRIUM_MEDIA_MESH", "0"))

pytestmark = pytest.mark.skipif(COUNT < 2, reason="set ATRIUM_MEDIA_MESH=N (tools/media-mesh) to run")


def test_a_group_forms_a_full_mesh_through_turn(server, browser):
    windows = [browser() for _ in range(COUNT)]
    first = join(windows[0], server, "Host", room="plaza&ice=relay")
    for index, driver in enumerate(windows[1:], start=1):
        join(driver, server, f"Guest {index}", room="plaza&ice=relay")
    for index, driver in enumerate(windows):
        switch_on(driver)
        if index:
            # Gather around the host, a tile apart at most.
            click_map(driver, first["x"] + UNITS * ((index % 3) - 1), first["y"] + UNITS * (1 if index > 2 else 0))
    for driver in windows:
        wait(driver, lambda d: connected(d, COUNT - 1), 60, "the mesh did not connect")
    for driver in windows:
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
    assert all(len(media(driver)["peers"]) == COUNT - 1 for driver in windows)

"""Proximity voice and video in real browsers: headless Chromium with fake camera and
microphone, coturn as the only path between them, and an aiortc peer as an independent
WebRTC implementation. The plaza of Maps/tests: spawn at tiles 22–25 × 14–17, avRadius 4.

What these tests show: the server's peer sets open and close real RTCPeerConnections;
the perfect negotiation settles; audio and video bytes arrive (getStats), through TURN
relay candidates with the credentials the server minted; a reloaded page resumes its
avatar and its peer negotiates with the new page afresh; an aiortc peer negotiates
through Atrium's signalling (test_media_mesh.py: three windows, one a phone, in a full
mesh). What they do not show: that anything is audible or visible to a person (the fake
devices make a beep and a test pattern that nobody checks), the distance gain (the DOM
tests in Tests/Web/media-feature.test.mjs cover it), or real phones and real networks."""

from __future__ import annotations

import math
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from atrium_browser import UNITS, by_testid, join
from media_harness import OUTPUT, AiortcPeer, atrium, media, stats, wait
from test_browser import click_map, focus_map

RADIUS = 4  # the plaza's avRadius (the default)


def switch_on(driver) -> None:
    """Clicks the microphone and camera buttons and waits until both are on."""
    # The toolbar slot shows once the page has laid out its features.
    wait(driver, lambda d: by_testid(d, "media-mic").is_displayed(), 10, "no microphone button")
    by_testid(driver, "media-mic").click()
    by_testid(driver, "media-camera").click()
    wait(driver, lambda d: (m := media(d)) and m["mic"] and m["camera"], 10, "mic and camera did not turn on")


def connected(driver, count: int = 1) -> bool:
    snapshot = media(driver)
    return bool(snapshot) and len(snapshot["links"]) == count and all(link["state"] == "connected" for link in snapshot["links"])


def flowing(driver, before: dict, audio: int, video: int) -> dict | bool:
    """The first peer's stats once inbound audio and video each grew by the given bytes."""
    now = stats(driver)
    if not now:
        return False
    entry = now[0]
    grew = entry["audioBytesIn"] - before["audioBytesIn"] >= audio and entry["videoBytesIn"] - before["videoBytesIn"] >= video
    return entry if grew else False


def distance_tiles(driver, a: int, b: int) -> float:
    avatars = {avatar["id"]: avatar for avatar in atrium(driver, ".avatars")}
    if a not in avatars or b not in avatars:
        return math.inf
    return math.hypot(avatars[a]["x"] - avatars[b]["x"], avatars[a]["y"] - avatars[b]["y"]) / UNITS


def test_two_browsers_talk_through_turn_and_hang_up_when_apart(server, coturn, browser):
    ari, bo = browser(), browser()
    me = join(ari, server, "Ari", room="plaza&ice=relay")
    other = join(bo, server, "Bo", room="plaza&ice=relay")
    for driver in (ari, bo):
        switch_on(driver)
    # Bo walks up to Ari.
    click_map(bo, me["x"] + UNITS, me["y"])
    wait(ari, lambda d: connected(d), 25, "Ari's connection to Bo did not connect")
    wait(bo, lambda d: connected(d), 10, "Bo's connection to Ari did not connect")
    assert media(ari)["relayOnly"] and media(ari)["iceServers"] == 1
    links = media(ari)["links"] + media(bo)["links"]
    assert sorted(link["polite"] for link in links) == [False, True], "exactly one side is polite"

    # Audio and video keep arriving on both sides, over relay candidates only.
    for driver in (ari, bo):
        first = stats(driver)[0]
        entry = wait(driver, lambda d: flowing(d, first, audio=4_000, video=40_000), 15, "media did not flow")
        assert entry["local"] == "relay" and entry["remote"] == "relay", entry
        assert entry["audioBytesOut"] > 0 and entry["videoBytesOut"] > 0
    assert coturn.allocations() >= 2, "coturn accepted the minted credentials"

    # Bo walks away to the east: both connections close within 2 s of Bo passing the
    # hysteresis distance (avRadius + 1), and not while Bo is still within avRadius. The
    # distance is as Ari's page shows it, a little behind the server's.
    focus_map(bo)
    ActionChains(bo).key_down(Keys.ARROW_RIGHT).perform()
    try:
        far_at = closed_at = None
        closed_distance = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (closed_at is None or far_at is None):
            now = time.monotonic()
            distance = distance_tiles(ari, me["id"], other["id"])
            if far_at is None and distance > RADIUS + 1:
                far_at = now
            if closed_at is None and not media(ari)["links"] and not media(bo)["links"]:
                closed_at, closed_distance = now, distance
        assert closed_at is not None, "the connections stayed open"
        assert far_at is not None, "Bo never got far enough"
    finally:
        ActionChains(bo).key_up(Keys.ARROW_RIGHT).perform()
    assert closed_at - far_at < 2.0, (far_at, closed_at)
    assert closed_distance > RADIUS, f"closed at {closed_distance:.2f} tiles"
    assert media(ari)["peers"] == [] and media(bo)["peers"] == []


def test_an_aiortc_peer_negotiates_through_atrium_and_exchanges_media_with_chromium(server, browser):
    peer = AiortcPeer(f"{server.ws_url}?room=plaza", "Robo")
    peer.start()
    try:
        chae = browser()
        join(chae, server, "Chae")
        deadline = time.monotonic() + 15
        while not peer.last("welcome") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert peer.last("welcome"), "".join(peer.raw)
        robo = peer.last("welcome")["id"]
        switch_on(chae)
        spot = wait(chae, lambda d: next((a for a in atrium(d, ".avatars") if a["id"] == robo), None), 10, "Robo not in view")
        click_map(chae, spot["x"] + UNITS, spot["y"])
        wait(chae, lambda d: connected(d), 30, "Chae's connection to the aiortc peer did not connect: "
             + repr(media(chae)) + " " + "".join(peer.raw[-8:]))
        first = stats(chae)[0]
        wait(chae, lambda d: flowing(d, first, audio=2_000, video=20_000), 15, "no media from aiortc")

        def aiortc_received(_):
            report = peer.last("frames")
            return report and report["audio"] > 20 and report["video"] > 10

        wait(chae, aiortc_received, 15, "aiortc received no media: " + "".join(peer.raw[-5:]))
        assert peer.last("answered")
    finally:
        peer.stop()
        OUTPUT.mkdir(parents=True, exist_ok=True)
        (OUTPUT / "aiortc-peer.log").write_text("".join(peer.raw), encoding="utf-8")


def test_a_reloaded_page_resumes_its_avatar_and_its_peer_negotiates_afresh(server, browser):
    ari, bo = browser(), browser()
    me = join(ari, server, "Ari", room="plaza&ice=relay")
    other = join(bo, server, "Bo", room="plaza&ice=relay")
    for driver in (ari, bo):
        switch_on(driver)
    click_map(bo, me["x"] + UNITS, me["y"])
    wait(ari, lambda d: connected(d), 25, "Ari's connection to Bo did not connect")
    wait(bo, lambda d: connected(d), 10, "Bo's connection to Ari did not connect")

    # Bo reloads: the same avatar comes back (a resume), its microphone and camera off.
    bo.refresh()
    wait(bo, lambda d: atrium(d, ".connectionState") == "open" and (atrium(d, ".me") or {}).get("id") == other["id"], 15,
         "the reload did not resume Bo's avatar")
    snapshot = wait(bo, lambda d: media(d), 10, "no media feature after the reload")
    assert not snapshot["mic"] and not snapshot["camera"], "devices are off after a reload"

    # Ari still talks, so the server pairs them again; only a new negotiation can bring
    # Ari's voice and picture to Bo's fresh page.
    wait(bo, lambda d: connected(d), 25, "Bo's new page did not connect to Ari")
    wait(ari, lambda d: connected(d) and media(d)["peers"] == [other["id"]], 10, "Ari did not connect to Bo's new page")
    first = wait(bo, lambda d: (s := stats(d)) and s[0], 5, "no stats")
    wait(bo, lambda d: flowing(d, first, audio=2_000, video=20_000), 15, "Ari's media did not reach Bo's new page")
    # And Bo's voice reaches Ari again once Bo turns it on.
    switch_on(bo)
    before = stats(ari)[0]
    wait(ari, lambda d: flowing(d, before, audio=2_000, video=20_000), 20, "Bo's media did not reach Ari after the resume")

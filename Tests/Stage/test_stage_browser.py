"""The stage in real browsers through a real Janus: a presenter (headless Chromium with a
fake camera and microphone) steps onto the plaza's stage and publishes; two viewers, one
beside the stage and one far across the hall, receive growing audio and video bytes
(getStats) from Janus; when the presenter steps off, Atrium kicks the feed and the
viewers' streams end within 2 s. Without Janus the room runs and the stage panel shows
the map's streamUrl instead.

The plaza of Maps/tests: the stage covers tiles 18–29 × 2–5, spawn 22–25 × 14–17."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Media"))
sys.path.insert(0, str(ROOT / "Tests" / "Browser"))

from atrium_browser import Moderator, atrium, by_testid, join, wait  # noqa: E402
from media_harness import media, media_chrome  # noqa: E402
from atrium_process import AtriumProcess  # noqa: E402
from janus_api import JanusAPI  # noqa: E402
from janus_process import core_token  # noqa: E402
from test_stage_server import room_number  # noqa: E402

ON_STAGE = (20, 3)
OFF_STAGE = (20, 9)
FAR_AWAY = (3, 28)
UNITS = 64


def stage(driver) -> dict | None:
    """The stage feature's snapshot (without its `stats` function)."""
    return driver.execute_script(
        "const s = window.atrium.feature('stage'); if (!s) return null; const {stats, ...rest} = s; return rest;")


def stage_stats(driver) -> dict:
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.atrium.feature('stage').stats().then(done, (e) => done({error: String(e)}));")


def inbound(driver, feed: int) -> dict | None:
    for entry in stage_stats(driver).get("feeds", []):
        if entry["feed"] == feed:
            return entry
    return None


def teleport(moderator: Moderator, avatar: int, tile: tuple[int, int]) -> None:
    x, y = tile
    moderator.send(type="teleport", avatar=avatar, x=x * UNITS + UNITS // 2, y=y * UNITS + UNITS // 2, ref=f"t{avatar}")
    moderator.expect(lambda m: m.get("ref") == f"t{avatar}")


@pytest.fixture
def browsers():
    drivers = []

    def open_window():
        driver = media_chrome()
        drivers.append(driver)
        return driver

    yield open_window
    for driver in drivers:
        try:
            driver.quit()
        except Exception:  # noqa: BLE001 - a crashed browser must not hide the test's own failure
            pass


class StageServer(AtriumProcess):
    """atrium-server with Janus, as the browser tests' helpers expect it (ws_url, invite)."""

    @property
    def base_url(self) -> str:
        return self.http("")

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def invite(self, name: str, role: str, room: str = "plaza") -> str:
        import subprocess

        from atrium_process import SERVER
        result = subprocess.run([SERVER, "invite", "create", "--data", self.data, "--name", name, "--role", role,
                                 "--room", room, "--base-url", self.base_url], capture_output=True, text=True, timeout=30)
        match = re.search(r"token=([A-Za-z0-9._~%-]+)", result.stdout + result.stderr)
        assert result.returncode == 0 and match, result.stdout + result.stderr
        return match.group(1)


def test_a_presenter_on_stage_reaches_every_viewer_through_janus_and_stepping_off_ends_it(janus, browsers):
    with StageServer("--room", "plaza=plaza", janus=janus) as server:
        server.wait_for_stage("ready")
        moderator = Moderator(server, server.invite("Mod", "moderator"))
        try:
            presenter, near, far = browsers(), browsers(), browsers()
            pia = join(presenter, server, "Pia", token=server.invite("Pia", "presenter"))["id"]
            join(near, server, "Near")
            gus = join(far, server, "Far")["id"]
            teleport(moderator, gus, FAR_AWAY)
            wait(presenter, lambda d: by_testid(d, "media-mic").is_displayed(), 10, "no microphone button")
            by_testid(presenter, "media-mic").click()
            by_testid(presenter, "media-camera").click()
            wait(presenter, lambda d: (m := media(d)) and m["mic"] and m["camera"], 10, "mic and camera did not turn on")

            teleport(moderator, pia, ON_STAGE)
            wait(presenter, lambda d: stage(d)["publishing"] == "on", 20, "the presenter did not publish")
            for viewer in (near, far):
                wait(viewer, lambda d: pia in stage(d)["watching"], 15, "a viewer did not subscribe")
                first = wait(viewer, lambda d: (s := inbound(d, pia)) and s["videoBytesIn"] > 0 and s["audioBytesIn"] > 0 and s,
                             20, "no media arrived from Janus")
                wait(viewer, lambda d: (s := inbound(d, pia)) and s["videoBytesIn"] > first["videoBytesIn"] + 20_000
                     and s["audioBytesIn"] > first["audioBytesIn"] + 2_000, 15, "the media did not keep arriving")
            # The far viewer is well outside every view and voice radius: only the stage reaches it.
            assert pia not in [peer for peer in media(far)["peers"]]

            teleport(moderator, pia, OFF_STAGE)
            stepped_off = time.monotonic()
            for viewer in (near, far):
                wait(viewer, lambda d: stage(d)["watching"] == [] and inbound(d, pia) is None, 2.0,
                     "a viewer's stream did not end within 2 s")
            assert time.monotonic() - stepped_off <= 2.0
            wait(presenter, lambda d: stage(d)["publishing"] == "off", 5, "the presenter still publishes")

            # Janus itself no longer has the feed: Atrium kicked it.
            async def publishers():
                async with JanusAPI(janus.url, core_token(janus.secret, int(time.time()) + 60)) as api:
                    await api.create_session()
                    handle = await api.attach()
                    reply = await api.videoroom(handle, {"request": "listparticipants", "room": room_number("plaza", janus.secret)})
                    return [p["id"] for p in reply["participants"] if p.get("publisher")]
            assert pia not in asyncio.run(publishers())
        finally:
            moderator.close()


def test_only_who_is_on_stage_gets_a_publisher_grant_and_janus_holds_to_it(janus):
    """Through the wire without browsers: a participant on the stage is refused with the
    reason; a presenter there is granted, and Janus lets it join as its feed; the viewer's
    grant, and a tampered one, do not let anyone publish."""
    from websockets.sync.client import connect

    def hello(server, name, token=None):
        socket = connect(f"{server.ws_url}?room=plaza", open_timeout=10)
        socket.send(json.dumps({"type": "hello", "name": name, **({"token": token} if token else {})}))
        return socket, expect(socket, lambda m: m["type"] == "welcome")["you"]["id"]

    def expect(socket, matches, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            frame = socket.recv(timeout=max(0.01, deadline - time.monotonic()))
            if isinstance(frame, str) and matches(message := json.loads(frame)):
                return message

    with StageServer("--room", "plaza=plaza", janus=janus) as server:
        server.wait_for_stage("ready")
        moderator = Moderator(server, server.invite("Mod", "moderator"))
        guest, guest_id = hello(server, "Gus")
        speaker, speaker_id = hello(server, "Pia", server.invite("Pia", "presenter"))
        try:
            for socket, avatar in ((guest, guest_id), (speaker, speaker_id)):
                teleport(moderator, avatar, ON_STAGE)
                socket.send(json.dumps({"type": "media", "mic": True}))
            guest.send(json.dumps({"type": "stage_publish", "ref": "g"}))
            refused = expect(guest, lambda m: m.get("ref") == "g")
            assert refused["type"] == "error" and refused["code"] == "stage_refused"
            speaker.send(json.dumps({"type": "stage_publish", "ref": "p"}))
            grant = expect(speaker, lambda m: m.get("ref") == "p")
            assert grant["type"] == "stage_grant" and grant["feed"] == speaker_id, grant
            guest.send(json.dumps({"type": "stage_watch", "ref": "w"}))
            viewer = expect(guest, lambda m: m.get("ref") == "w")
            assert viewer["type"] == "stage_grant" and "feed" not in viewer

            async def janus_side():
                join = {"request": "join", "ptype": "publisher", "room": grant["room"]}
                async with JanusAPI(grant["url"], grant["token"]) as api:
                    await api.create_session()
                    refused = await api.videoroom(await api.attach(), {**join, "id": guest_id, "token": viewer["roomToken"]})
                    assert refused.get("error_code") == 433, refused
                    tampered = grant["roomToken"].replace(f"publisher={speaker_id}", f"publisher={guest_id}")
                    refused = await api.videoroom(await api.attach(), {**join, "id": guest_id, "token": tampered})
                    assert refused.get("error_code") == 433, refused
                    joined = await api.videoroom(await api.attach(), {**join, "id": speaker_id, "token": grant["roomToken"]})
                    assert joined["videoroom"] == "joined", joined
            asyncio.run(janus_side())
        finally:
            for socket in (guest, speaker):
                socket.close()
            moderator.close()


def test_without_janus_the_room_runs_and_the_stage_panel_shows_the_stream_url(browsers):
    maps = Path(tempfile.mkdtemp(prefix="atrium-stage-maps-"))
    try:
        plaza = json.loads((ROOT / "Maps" / "tests" / "plaza.tmj").read_text())
        plaza["properties"].append({"name": "streamUrl", "type": "string", "value": "https://live.example.org/stage.m3u8"})
        (maps / "plaza.tmj").write_text(json.dumps(plaza))
        shutil.copytree(ROOT / "Maps" / "tests" / "plaza", maps / "plaza")
        with StageServer(maps=str(maps)) as server:
            status, body = server.readyz()
            assert status == 200 and body["stage"] == "degraded"
            driver = browsers()
            join(driver, server, "Vi")
            wait(driver, lambda d: stage(d) and stage(d)["video"] is False, 10, "the stage did not learn it has no video")
            shown = wait(driver, lambda d: d.execute_script(
                "const s = document.querySelector('[data-testid=stage-stream]');"
                "return s && !s.hidden && s.getClientRects().length > 0 && s.querySelector('video')?.getAttribute('src');"),
                10, "the stream URL is not shown")
            assert shown == "https://live.example.org/stage.m3u8"
            assert atrium(driver, ".room.streamUrl") == "https://live.example.org/stage.m3u8"
    finally:
        shutil.rmtree(maps, ignore_errors=True)

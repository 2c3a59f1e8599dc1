"""atrium-server with a real Janus: it makes one VideoRoom per room, /readyz follows Janus
going and coming back, and without Janus the rooms run and the stage is degraded."""
import asyncio
import hashlib
import hmac
import time

from atrium_process import AtriumProcess
from janus_api import JanusAPI
from janus_process import JanusProcess, core_token

ROOMS = ["plaza", "hall"]


def room_number(room_id, secret):
    """The VideoRoom number Atrium derives for a room (StageNaming.roomNumber)."""
    digest = hmac.new(secret.encode(), ("atrium-stage-room:" + room_id).encode(), hashlib.sha256).digest()
    return max(int.from_bytes(digest[:8], "big") & ((1 << 53) - 1), 1)


def rooms_in(janus):
    async def ask():
        async with JanusAPI(janus.url, core_token(janus.secret, int(time.time()) + 60)) as api:
            await api.create_session()
            handle = await api.attach()
            answers = {}
            for room in ROOMS:
                reply = await api.videoroom(handle, {"request": "exists", "room": room_number(room, janus.secret)})
                answers[room] = reply["exists"]
            return answers
    return asyncio.run(ask())


def test_atrium_makes_a_videoroom_per_room_and_says_the_stage_is_ready(janus):
    with AtriumProcess("--room", "plaza=plaza", "--room", "hall=plaza", janus=janus) as atrium:
        status, body = atrium.wait_for_stage("ready")
        assert status == 200 and body == {"status": "ready", "stage": "ready"}
        assert rooms_in(janus) == {"plaza": True, "hall": True}


def test_the_stage_degrades_while_janus_is_away_and_recovers_when_it_returns():
    janus = JanusProcess()
    janus.start()
    try:
        environment = {"ATRIUM_STAGE_RECONNECT_DELAY": "0.2", "ATRIUM_STAGE_MAX_RECONNECT_DELAY": "0.5"}
        with AtriumProcess("--room", "plaza=plaza", janus=janus, environment=environment) as atrium:
            atrium.wait_for_stage("ready")
            janus.stop()
            status, body = atrium.wait_for_stage("degraded", timeout=5)
            assert status == 200 and "Janus" in body["stageReason"]
            janus.start(port=janus.port)   # a new Janus on the same address knows no rooms
            atrium.wait_for_stage("ready", timeout=15)
            assert rooms_in(janus)["plaza"] is True
    finally:
        janus.cleanup()


def test_without_janus_the_room_runs_and_the_stage_is_degraded():
    with AtriumProcess() as atrium:
        status, body = atrium.readyz()
        assert status == 200 and body["status"] == "ready" and body["stage"] == "degraded"
        assert "stage.janus_url" in body["stageReason"]

"""Janus as tools/janus/write-config sets it up: signed tokens on every request, rooms only
through the admin key, publishers only with a room token on the room's allowed list."""
import asyncio
import time

import pytest

from janus_api import JanusAPI, JanusError
from janus_process import core_token, sign

UNAUTHORIZED = 403  # JANUS_ERROR_UNAUTHORIZED
VIDEOROOM_UNAUTHORIZED = 433  # JANUS_VIDEOROOM_ERROR_UNAUTHORIZED


def now():
    return int(time.time())


def test_janus_accepts_a_signed_token_and_refuses_forged_expired_or_missing_ones(janus):
    async def scenario():
        async with JanusAPI(janus.url, core_token(janus.secret, now() + 60)) as api:
            assert await api.create_session() > 0
            forged = core_token("not-the-secret-at-all", now() + 60)
            tampered = core_token(janus.secret, now() + 60).replace(str(now() + 60), str(now() + 3600), 1)
            expired = core_token(janus.secret, now() - 1)
            for token in (forged, tampered, expired):
                with pytest.raises(JanusError) as refused:
                    await api.request({"janus": "create"}, token=token)
                assert refused.value.code == UNAUTHORIZED
            with pytest.raises(JanusError) as refused:
                await api.request({"janus": "create"}, token=JanusAPI.NO_TOKEN)
            assert refused.value.code == UNAUTHORIZED
    asyncio.run(scenario())


def test_only_the_admin_key_creates_rooms(janus):
    async def scenario():
        async with JanusAPI(janus.url, core_token(janus.secret, now() + 60)) as api:
            await api.create_session()
            handle = await api.attach()
            refused = await api.videoroom(handle, {"request": "create", "room": 7001, "is_private": True})
            assert "admin_key" in refused["error"]
            created = await api.videoroom(handle, {"request": "create", "room": 7001, "admin_key": janus.admin_key,
                                                   "is_private": True, "secret": "room-secret-7001"})
            assert created["videoroom"] == "created"
    asyncio.run(scenario())


def test_a_publisher_needs_an_allowed_room_token_and_a_viewer_only_a_signed_one(janus):
    room = 7002

    async def join(api, body):
        return await api.videoroom(await api.attach(), body)

    async def scenario():
        async with JanusAPI(janus.url, core_token(janus.secret, now() + 60)) as api:
            await api.create_session()
            admin = await api.attach()
            await api.videoroom(admin, {"request": "create", "room": room, "admin_key": janus.admin_key, "is_private": True,
                                        "secret": "room-secret-7002", "signed_tokens": True, "allowed": []})
            viewer = sign(janus.secret, [str(now() + 60), "janus.plugin.videoroom", f"room={room}"])
            publisher = sign(janus.secret, [str(now() + 60), "janus.plugin.videoroom", f"room={room}", "publisher=5"])
            other_room = sign(janus.secret, [str(now() + 60), "janus.plugin.videoroom", "room=1"])

            refused = await join(api, {"request": "join", "room": room, "ptype": "publisher", "id": 5, "token": viewer})
            assert refused["error_code"] == VIDEOROOM_UNAUTHORIZED and "allowed" in refused["error"]
            refused = await join(api, {"request": "join", "room": room, "ptype": "publisher", "id": 5, "token": other_room})
            assert refused["error_code"] == VIDEOROOM_UNAUTHORIZED and "wrong token" in refused["error"]

            allowed = await api.videoroom(admin, {"request": "allowed", "room": room, "secret": "room-secret-7002",
                                                  "action": "add", "allowed": [publisher]})
            assert allowed["allowed"] == [publisher]
            joined = await join(api, {"request": "join", "room": room, "ptype": "publisher", "id": 5, "token": publisher})
            assert joined["videoroom"] == "joined" and joined["id"] == 5

            # A viewer's signed token passes the room check; the feed has no media yet, which is
            # the next check, so the refusal names the feed and not the token.
            watching = await join(api, {"request": "join", "room": room, "ptype": "subscriber",
                                        "streams": [{"feed": 5}], "token": viewer})
            assert watching["error_code"] != VIDEOROOM_UNAUTHORIZED and "feed" in watching["error"].lower()
            refused = await join(api, {"request": "join", "room": room, "ptype": "subscriber",
                                       "streams": [{"feed": 5}], "token": other_room})
            assert refused["error_code"] == VIDEOROOM_UNAUTHORIZED

            kicked = await api.videoroom(admin, {"request": "kick", "room": room, "secret": "room-secret-7002", "id": 5})
            assert kicked["videoroom"] == "success"
    asyncio.run(scenario())

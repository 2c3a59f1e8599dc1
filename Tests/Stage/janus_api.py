"""A minimal asyncio client for Janus's WebSocket API, for the tests: one connection,
requests matched to replies by transaction, events queued per handle."""
import asyncio
import json
import secrets

import websockets

from janus_process import SUBPROTOCOL


class JanusError(Exception):
    def __init__(self, code, reason):
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


class JanusAPI:
    NO_TOKEN = object()

    def __init__(self, url, token):
        self.url = url
        self.token = token
        self.ws = None
        self.session = None

    async def __aenter__(self):
        self.ws = await websockets.connect(self.url, subprotocols=[SUBPROTOCOL])
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def request(self, message, token=None, timeout=5):
        """The final reply: `success`, or the `event` an asynchronous plugin request answers
        with (same transaction, after an `ack`). A Janus error raises JanusError."""
        transaction = secrets.token_hex(6)
        message = dict(message, transaction=transaction)
        if token is not JanusAPI.NO_TOKEN:
            message["token"] = token or self.token
        if self.session is not None:
            message.setdefault("session_id", self.session)
        await self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if reply.get("transaction") != transaction or reply.get("janus") == "ack":
                continue
            if reply.get("janus") == "error":
                raise JanusError(reply["error"]["code"], reply["error"]["reason"])
            return reply

    async def create_session(self, token=None):
        reply = await self.request({"janus": "create"}, token=token)
        self.session = reply["data"]["id"]
        return self.session

    async def attach(self):
        reply = await self.request({"janus": "attach", "plugin": "janus.plugin.videoroom"})
        return reply["data"]["id"]

    async def videoroom(self, handle, body):
        """The VideoRoom's answer (`plugindata.data`) to a request on a handle."""
        reply = await self.request({"janus": "message", "handle_id": handle, "body": body})
        return reply["plugindata"]["data"]

"""An independent WebRTC peer for the media tests: aiortc (Debian's python3-aiortc) joins
an Atrium room through the server's own signalling, like any client, turns its
"microphone" and "camera" on (a silent audio track and a test video track), answers the
offers its conversation peers send, and prints what it receives, one JSON object a line.

    /usr/bin/python3 Tests/Media/aiortc_peer.py ws://127.0.0.1:PORT/ws?room=plaza NAME

It only answers (never offers), which is what the browser's perfect negotiation expects
of a peer that has nothing to renegotiate; candidates trickled by the browser are added
as they come."""

from __future__ import annotations

import asyncio
import json
import sys

import websockets
from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError, VideoStreamTrack
from aiortc.sdp import candidate_from_sdp

LIFETIME_SECONDS = 120


def say(**fields) -> None:
    print(json.dumps(fields), flush=True)


class Peer:
    def __init__(self, peer_id: int, ice: list[RTCIceServer], ws):
        self.peer_id = peer_id
        self.ws = ws
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=ice or None))
        self.frames = {"audio": 0, "video": 0}
        self.pending: list = []
        self.pc.on("track", lambda track: asyncio.ensure_future(self.consume(track)))

    async def consume(self, track) -> None:
        while True:
            try:
                await track.recv()
            except MediaStreamError:
                return
            self.frames[track.kind] += 1

    async def signal(self, data: dict) -> None:
        description = data.get("description")
        if description:
            if description["type"] != "offer":
                return
            await self.pc.setRemoteDescription(RTCSessionDescription(sdp=description["sdp"], type="offer"))
            # Our tracks go on the transceivers the offer made, so the answer sends them back
            # (addTrack would make new transceivers the answer has no m-line for).
            for transceiver in self.pc.getTransceivers():
                if transceiver.sender.track is None:
                    track = AudioStreamTrack() if transceiver.kind == "audio" else VideoStreamTrack()
                    replaced = transceiver.sender.replaceTrack(track)
                    if asyncio.iscoroutine(replaced):
                        await replaced
                    transceiver.direction = "sendrecv"
            await self.pc.setLocalDescription(await self.pc.createAnswer())
            answer = {"description": {"type": "answer", "sdp": self.pc.localDescription.sdp}}
            await self.ws.send(json.dumps({"type": "rtc_signal", "to": self.peer_id, "data": json.dumps(answer)}))
            for candidate in self.pending:
                await self.add(candidate)
            self.pending.clear()
            say(event="answered", peer=self.peer_id)
        candidate = data.get("candidate")
        if candidate and candidate.get("candidate"):
            if self.pc.remoteDescription is None:
                self.pending.append(candidate)
            else:
                await self.add(candidate)

    async def add(self, candidate: dict) -> None:
        parsed = candidate_from_sdp(candidate["candidate"].split(":", 1)[1])
        parsed.sdpMid = candidate.get("sdpMid")
        parsed.sdpMLineIndex = candidate.get("sdpMLineIndex")
        await self.pc.addIceCandidate(parsed)


async def run(url: str, name: str) -> None:
    async with websockets.connect(url, subprotocols=["atrium.v1"], max_size=1 << 20) as ws:
        await ws.send(json.dumps({"type": "hello", "name": name}))
        ice: list[RTCIceServer] = []
        peers: dict[int, Peer] = {}

        async def report() -> None:
            while True:
                await asyncio.sleep(0.5)
                for peer in peers.values():
                    say(event="frames", peer=peer.peer_id, state=peer.pc.connectionState, **peer.frames)

        reporter = asyncio.ensure_future(report())
        try:
            async for raw in ws:
                if isinstance(raw, bytes):
                    continue  # binary state messages: positions, not needed here
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "welcome":
                    say(event="welcome", id=message["you"]["id"])
                    await ws.send(json.dumps({"type": "media", "mic": True, "camera": True}))
                elif kind == "ice_servers":
                    ice = [RTCIceServer(urls=server["urls"], username=server.get("username"),
                                        credential=server.get("credential")) for server in message["iceServers"]]
                elif kind == "av_peers":
                    now = set(message["peers"])
                    say(event="peers", peers=sorted(now))
                    for gone in set(peers) - now:
                        await peers.pop(gone).pc.close()
                    for new in now - set(peers):
                        peers[new] = Peer(new, ice, ws)
                elif kind == "rtc_signal":
                    peer = peers.get(message["from"])
                    if peer:
                        await peer.signal(json.loads(message["data"]))
                elif kind == "error":
                    say(event="error", code=message.get("code"), message=message.get("message"))
        finally:
            reporter.cancel()
            for peer in peers.values():
                await peer.pc.close()


if __name__ == "__main__":
    try:
        asyncio.run(asyncio.wait_for(run(sys.argv[1], sys.argv[2]), LIFETIME_SECONDS))
    except (asyncio.TimeoutError, KeyboardInterrupt):
        pass

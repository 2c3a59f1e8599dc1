"""The stage's figures (BENCHMARKS.md, "The stage"): one publisher and many subscribers
through a real Janus, started by Atrium's rules.

Janus and atrium-server run pinned to one core; this process (the publisher and every
subscriber, all aiortc, in one asyncio loop) to the other. Subscribers do not decode
video: a stand-in for aiortc's decoder counts the frames Janus delivers, so the load
generator's cost is the network and crypto path, not libvpx.

1. Latency: the presenter (an aiortc client with a presenter's join link, microphone and
   camera reported on) is teleported onto the stage by a moderator; Atrium puts it on air,
   it asks for its publisher grant and publishes; a viewer subscribed through Atrium's
   `stage` message sees its first video frame. The time from the teleport to that frame,
   over repeated step-on / step-off cycles (stepping off ends the feed: Atrium kicks it).
2. Capacity: with the presenter on air, N subscribers join the feed; over a window, the
   video frames each received, and the CPU of Janus, atrium-server and this process.

Run with the system Python (Debian's python3-aiortc): tools/stage-bench."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "Stage"))

import websockets  # noqa: E402
import websockets.exceptions  # noqa: E402,F401  (janus_process reads it; websockets 10 imports it lazily)
from aiortc import RTCPeerConnection, RTCSessionDescription  # noqa: E402
from aiortc import rtcrtpreceiver  # noqa: E402
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack  # noqa: E402

from atrium_process import SERVER, AtriumProcess  # noqa: E402
from janus_process import SUBPROTOCOL, JanusProcess  # noqa: E402

UNITS = 64
ON_STAGE = (20, 3)
OFF_STAGE = (20, 9)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# ---- Frames counted instead of decoded ----

FRAMES: dict[int, list[float]] = {}  # id(decoder queue) → arrival times of complete video frames
FRAMES_LOCK = threading.Lock()


def counting_worker(loop, input_q, output_q):
    """Stands in for aiortc's decoder thread: records each complete encoded frame's arrival."""
    key = id(input_q)
    while True:
        task = input_q.get()
        if task is None:
            break
        codec, _ = task
        if codec.name.lower() in ("vp8", "h264", "vp9"):
            with FRAMES_LOCK:
                FRAMES.setdefault(key, []).append(time.monotonic())


rtcrtpreceiver.decoder_worker = counting_worker


def video_key(pc: RTCPeerConnection) -> int | None:
    for transceiver in pc.getTransceivers():
        if transceiver.kind == "video":
            return id(transceiver.receiver._RTCRtpReceiver__decoder_queue)
    return None


def frames(pc: RTCPeerConnection) -> list[float]:
    with FRAMES_LOCK:
        return list(FRAMES.get(video_key(pc), []))


# ---- Atrium and Janus clients ----

class Atrium:
    """One Atrium WebSocket client: hello, then messages by type into queues."""

    def __init__(self, url: str):
        self.url = url
        self.socket = None
        self.id = None
        self.messages: asyncio.Queue = asyncio.Queue()
        self.reader = None

    async def join(self, name: str, token: str | None = None):
        self.socket = await websockets.connect(self.url, max_size=1 << 20)
        await self.send(type="hello", name=name, **({"token": token} if token else {}))
        self.reader = asyncio.create_task(self.read())
        welcome = await self.expect(lambda m: m["type"] in ("welcome", "error"))
        assert welcome["type"] == "welcome", welcome
        self.id = welcome["you"]["id"]
        return self

    async def read(self):
        async for frame in self.socket:
            if isinstance(frame, str):
                self.messages.put_nowait(json.loads(frame))

    async def send(self, **message):
        await self.socket.send(json.dumps(message))

    async def expect(self, matches, timeout=15.0):
        deadline = time.monotonic() + timeout
        while True:
            message = await asyncio.wait_for(self.messages.get(), max(0.01, deadline - time.monotonic()))
            if matches(message):
                return message

    async def close(self):
        self.reader.cancel()
        await self.socket.close()


class Janus:
    """Our Janus session for the bench: transactions, handles, events per handle."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url, token
        self.socket = None
        self.session = None
        self.waiting: dict[str, asyncio.Future] = {}
        self.events: dict[int, asyncio.Queue] = {}
        self.next = 0
        self.keeper = None

    async def open(self):
        self.socket = await websockets.connect(self.url, subprotocols=[SUBPROTOCOL], max_size=1 << 22)
        asyncio.create_task(self.read())
        self.session = (await self.request({"janus": "create"}))["data"]["id"]
        self.keeper = asyncio.create_task(self.keep_alive())
        return self

    async def keep_alive(self):
        while True:
            await asyncio.sleep(20)
            await self.socket.send(json.dumps({"janus": "keepalive", "session_id": self.session, "token": self.token,
                                               "transaction": "k"}))

    async def read(self):
        async for frame in self.socket:
            message = json.loads(frame)
            future = self.waiting.get(message.get("transaction"))
            if future and message["janus"] != "ack" and not future.done():
                future.set_result(message)
            elif message.get("sender") in self.events and not future:
                self.events[message["sender"]].put_nowait(message)

    async def request(self, message):
        self.next += 1
        transaction = f"b{self.next}"
        message = dict(message, transaction=transaction, token=self.token)
        if self.session:
            message["session_id"] = self.session
        future = asyncio.get_running_loop().create_future()
        self.waiting[transaction] = future
        await self.socket.send(json.dumps(message))
        try:
            reply = await asyncio.wait_for(future, 15)
        finally:
            del self.waiting[transaction]
        if reply["janus"] == "error":
            raise RuntimeError(f"Janus: {reply['error']}")
        return reply

    async def attach(self) -> int:
        handle = (await self.request({"janus": "attach", "plugin": "janus.plugin.videoroom"}))["data"]["id"]
        self.events[handle] = asyncio.Queue()
        return handle

    async def message(self, handle, body, jsep=None):
        request = {"janus": "message", "handle_id": handle, "body": body}
        if jsep:
            request["jsep"] = {"type": jsep.type, "sdp": jsep.sdp}
        reply = await self.request(request)
        data = reply.get("plugindata", {}).get("data", {})
        if "error_code" in data:
            raise RuntimeError(f"VideoRoom: {data}")
        return data, reply.get("jsep")

    async def detach(self, handle):
        self.events.pop(handle, None)
        try:
            await self.request({"janus": "detach", "handle_id": handle})
        except Exception:  # noqa: BLE001 - a handle Janus already dropped
            pass


async def subscribe(janus: Janus, grant: dict, feed: int) -> tuple[RTCPeerConnection, int]:
    handle = await janus.attach()
    data, offer = await janus.message(handle, {"request": "join", "ptype": "subscriber", "room": grant["room"],
                                               "streams": [{"feed": feed}], "token": grant["roomToken"]})
    pc = RTCPeerConnection()
    await pc.setRemoteDescription(RTCSessionDescription(offer["sdp"], offer["type"]))
    await pc.setLocalDescription(await pc.createAnswer())
    await janus.message(handle, {"request": "start"}, pc.localDescription)
    return pc, handle


async def subscribe_when_sending(janus: Janus, grant: dict, feed: int, timeout: float = 15.0):
    """Subscribes once Janus has the feed's media (until then it answers 428, no such feed)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await subscribe(janus, grant, feed)
        except RuntimeError as error:
            if "428" not in str(error) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


async def unsubscribe(janus: Janus, pc: RTCPeerConnection, handle: int):
    await pc.close()
    await janus.detach(handle)


class Presenter:
    """A presenter that publishes whenever Atrium puts it on air, and stops when kicked."""

    def __init__(self, atrium: Atrium):
        self.atrium = atrium
        self.pc = None
        self.janus = None
        self.published = asyncio.Event()

    async def run(self):
        await self.atrium.send(type="media", mic=True, camera=True)
        while True:
            message = await self.atrium.expect(lambda m: m["type"] in ("stage", "stage_grant"), timeout=3600)
            if message["type"] == "stage":
                on_air = any(person["id"] == self.atrium.id for person in message["onAir"])
                if on_air and self.pc is None:
                    self.pc = "asking"
                    await self.atrium.send(type="stage_publish", ref="p")
                elif not on_air and self.pc not in (None, "asking"):
                    await self.pc.close()
                    self.pc = None
                    self.published.clear()
            elif message.get("feed") == self.atrium.id and self.pc == "asking":
                await self.publish(message)

    async def publish(self, grant):
        if self.janus is None:
            self.janus = await Janus(grant["url"], grant["token"]).open()
        handle = await self.janus.attach()
        await self.janus.message(handle, {"request": "join", "ptype": "publisher", "room": grant["room"],
                                          "id": grant["feed"], "token": grant["roomToken"]})
        pc = RTCPeerConnection()
        pc.addTrack(AudioStreamTrack())
        pc.addTrack(VideoStreamTrack())
        await pc.setLocalDescription(await pc.createOffer())
        _, answer = await self.janus.message(handle, {"request": "publish"}, pc.localDescription)
        await pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], answer["type"]))
        self.pc = pc
        self.published.set()


# ---- Measuring ----

def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def pin(pid: int, cores: str):
    subprocess.run(["taskset", "-a", "-pc", cores, str(pid)], check=True, stdout=subprocess.DEVNULL)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


async def teleport(moderator: Atrium, avatar: int, tile):
    ref = f"t{time.monotonic_ns()}"
    await moderator.send(type="teleport", avatar=avatar, x=tile[0] * UNITS + UNITS // 2, y=tile[1] * UNITS + UNITS // 2, ref=ref)
    await moderator.expect(lambda m: m.get("ref") == ref)


async def latency_cycles(moderator, presenter, viewer, watch_grant, janus, cycles):
    """Step on, first frame at the viewer, step off; repeated."""
    results = []
    for _ in range(cycles):
        started = time.monotonic()
        await teleport(moderator, presenter.atrium.id, ON_STAGE)
        await viewer.expect(lambda m: m["type"] == "stage" and presenter.atrium.id in m["live"], timeout=30)
        pc, handle = await subscribe(janus, watch_grant, presenter.atrium.id)
        while not frames(pc):
            if time.monotonic() - started > 30:
                raise RuntimeError("no first frame within 30 s")
            await asyncio.sleep(0.005)
        results.append(frames(pc)[0] - started)
        await teleport(moderator, presenter.atrium.id, OFF_STAGE)
        await viewer.expect(lambda m: m["type"] == "stage" and presenter.atrium.id not in m["live"], timeout=30)
        await unsubscribe(janus, pc, handle)
        while presenter.pc is not None:
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.5)
    return results


async def capacity(moderator, presenter, janus, grant, counts, window, pids):
    await teleport(moderator, presenter.atrium.id, ON_STAGE)
    await asyncio.wait_for(presenter.published.wait(), 30)
    subscribers = []
    rows = []
    for count in counts:
        while len(subscribers) < count:
            subscribers.append(await subscribe_when_sending(janus, grant, presenter.atrium.id))
        await asyncio.sleep(3)  # every new subscriber past its first keyframe
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        counted = [len(frames(pc)) for pc, _ in subscribers]
        started = time.monotonic()
        await asyncio.sleep(window)
        elapsed = time.monotonic() - started
        after = {name: cpu_seconds(pid) for name, pid in pids.items()}
        got = [(len(frames(pc)) - n) / elapsed for (pc, _), n in zip(subscribers, counted)]
        row = {"subscribers": count, "fps_min": round(min(got), 1), "fps_median": round(statistics.median(got), 1),
               **{f"cpu_{name}": round(100 * (after[name] - before[name]) / elapsed, 1) for name in pids}}
        rows.append(row)
        print(json.dumps(row), flush=True)
    for pc, handle in subscribers:
        await unsubscribe(janus, pc, handle)
    return rows


def main(arguments):
    janus_process = JanusProcess(debug_level=2)
    janus_process.start()
    server = AtriumProcess("--room", "plaza=plaza", janus=janus_process)
    server.start()
    try:
        pin(janus_process.process.pid, arguments.server_core)
        pin(server.process.pid, arguments.server_core)
        os.sched_setaffinity(0, {int(arguments.load_core)})
        server.wait_for_stage("ready", timeout=30)
        asyncio.run(bench(arguments, janus_process, server))
    finally:
        server.stop()
        janus_process.cleanup()


async def bench(arguments, janus_process, server):
    def invite(name, role):
        result = subprocess.run([SERVER, "invite", "create", "--data", server.data, "--name", name, "--role", role,
                                 "--room", "plaza", "--base-url", server.http("")], capture_output=True, text=True)
        return re.search(r"token=([A-Za-z0-9._~%-]+)", result.stdout + result.stderr).group(1)

    url = f"ws://127.0.0.1:{server.port}/ws?room=plaza"
    moderator = await Atrium(url).join("Mod", invite("Mod", "moderator"))
    presenter = Presenter(await Atrium(url).join("Pia", invite("Pia", "presenter")))
    viewer = await Atrium(url).join("Vi")
    await viewer.send(type="stage_watch", ref="w")
    grant = await viewer.expect(lambda m: m.get("ref") == "w")
    assert grant["type"] == "stage_grant", grant
    janus = await Janus(grant["url"], grant["token"]).open()
    task = asyncio.create_task(presenter.run())

    latencies = await latency_cycles(moderator, presenter, viewer, grant, janus, arguments.cycles)
    print(json.dumps({"step_on_to_first_frame_ms": {
        "n": len(latencies), "p50": round(1000 * statistics.median(latencies)), "p99": round(1000 * percentile(latencies, 99)),
        "min": round(1000 * min(latencies)), "max": round(1000 * max(latencies))}}), flush=True)

    pids = {"janus": janus_process.process.pid, "atrium": server.process.pid, "load": os.getpid()}
    await capacity(moderator, presenter, janus, grant, arguments.subscribers, arguments.window, pids)
    task.cancel()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cycles", type=int, default=20, help="step-on/step-off cycles for the latency (default 20)")
    parser.add_argument("--subscribers", type=lambda text: [int(n) for n in text.split(",")], default=[10, 25, 50, 100],
                        help="subscriber counts to measure, comma-separated (default 10,25,50,100)")
    parser.add_argument("--window", type=float, default=15.0, help="seconds measured per count (default 15)")
    parser.add_argument("--server-core", default="0", help="core for Janus and atrium-server (default 0)")
    parser.add_argument("--load-core", default="1", help="core for the publisher and subscribers (default 1)")
    main(parser.parse_args())

#!/usr/bin/env python3
"""Well-behaved note writers for the soak test (tools/soak/run): a few websockets clients
walk to the cheer wall (the `board` exhibit `cheer-wall` in expo-hall), open it and post a
note every --every seconds, inside the server's note rate limit (0.2/s, burst 3).

Every note the server acknowledges (a `note` answer carrying our `ref`) is appended to the
ledger (--ledger, JSON lines {"id", "text", "writer"}) and flushed at once, so the ledger
survives whatever happens to this program. After the run, check.py compares the ledger
with `atrium-server export`. A writer that gets disconnected counts against the run
(--summary: "disconnects"), reconnects and carries on.
"""
import argparse
import asyncio
import collections
import json
import os
import signal
import struct
import time

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

BOARD = "cheer-wall"        # Maps/expo-hall.tmj: a board at tiles x 85–102, y 68, radius 3
# Walkable tiles in front of the wall (y 70 is within radius 3 of y 68).
SPOTS = [(88, 70), (91, 70), (94, 70), (97, 70), (100, 70), (89, 71), (92, 71), (95, 71)]

stats = collections.Counter()
errors = collections.Counter()
disconnects = collections.Counter()


class Writer:
    def __init__(self, args, index, ledger):
        self.args = args
        self.index = index
        self.ledger = ledger
        self.ws = None
        self.waiting = {}            # ref -> future for the answer
        self.sequence = 0
        self.posted = 0
        self.opened = False

    async def receive(self):
        async for message in self.ws:
            if not isinstance(message, str):
                continue
            value = json.loads(message)
            ref = value.get("ref")
            if value.get("type") == "exhibit_closed":
                stats["exhibit closed by the server"] += 1
                self.opened = False
            if ref and ref in self.waiting and not self.waiting[ref].done():
                self.waiting[ref].set_result(value)

    async def request(self, message, timeout=15):
        ref = message["ref"]
        future = asyncio.get_running_loop().create_future()
        self.waiting[ref] = future
        try:
            await self.ws.send(json.dumps(message))
            return await asyncio.wait_for(future, timeout)
        finally:
            self.waiting.pop(ref, None)

    async def open_board(self):
        deadline = time.monotonic() + 60
        n = 0
        while time.monotonic() < deadline:
            n += 1
            answer = await self.request({"type": "exhibit_open", "id": BOARD, "ref": f"open{n}"})
            if answer["type"] == "exhibit":
                self.opened = True
                return
            if answer.get("code") != "too_far":
                errors[f"exhibit_open: {answer.get('code')}"] += 1
            await asyncio.sleep(1)
        raise TimeoutError("never reached the cheer wall")

    async def session(self, stop):
        url = f"ws://{self.args.host}:{self.args.port}/ws?room={self.args.room}"
        async with connect(url, open_timeout=15, close_timeout=5, user_agent_header="atrium-soak-notes") as ws:
            self.ws = ws
            await ws.send(json.dumps({"type": "hello", "name": f"cheer writer {self.index}"}))
            welcome = None
            while welcome is None:
                message = await asyncio.wait_for(ws.recv(), 15)
                if isinstance(message, str) and json.loads(message)["type"] in ("welcome", "error"):
                    welcome = json.loads(message)
            if welcome["type"] != "welcome":
                raise RuntimeError(f"refused: {welcome}")
            reading = asyncio.ensure_future(self.receive())
            try:
                x, y = SPOTS[self.index % len(SPOTS)]
                await ws.send(struct.pack("<BIBHH", 1, 1, 2, x * 64 + 32, y * 64 + 32))
                await self.open_board()
                stats["boards opened"] += 1
                while not stop.is_set():
                    if not self.opened:
                        await self.open_board()
                    self.sequence += 1
                    text = f"soak cheer {self.index}.{self.sequence} {os.urandom(4).hex()} 힘내요!"
                    ref = f"w{self.index}n{self.sequence}"
                    stats["posted"] += 1
                    try:
                        answer = await self.request({"type": "note_post", "id": BOARD, "text": text, "ref": ref})
                    except asyncio.TimeoutError:
                        stats["no answer within 15 s (not acknowledged)"] += 1
                        answer = None
                    if answer and answer["type"] == "note" and answer.get("ref") == ref:
                        note = answer["note"]
                        self.ledger.write(json.dumps({"id": note["id"], "text": note["text"], "sent": text,
                                                      "writer": self.index}, ensure_ascii=False) + "\n")
                        self.ledger.flush()
                        stats["acknowledged"] += 1
                    elif answer:
                        errors[answer.get("code", answer["type"])] += 1
                    try:
                        await asyncio.wait_for(stop.wait(), self.args.every)
                    except asyncio.TimeoutError:
                        pass
                await ws.send(json.dumps({"type": "leave"}))
            finally:
                reading.cancel()

    async def run(self, stop):
        await asyncio.sleep(self.index * self.args.every / max(self.args.writers, 1))
        while not stop.is_set():
            try:
                await self.session(stop)
                return
            except ConnectionClosed as closed:
                disconnects[f"close {closed.rcvd.code}" if closed.rcvd is not None else "dropped without a close frame"] += 1
            except InvalidStatus as refused:
                disconnects[f"refused: HTTP {refused.response.status_code}"] += 1
            except (OSError, asyncio.TimeoutError, TimeoutError, RuntimeError) as error:
                disconnects[f"{type(error).__name__}: {error}"[:120]] += 1
            await asyncio.sleep(2)


async def main(args):
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.call_later(args.duration, stop.set)
    started = time.monotonic()
    with open(args.ledger, "a", encoding="utf-8") as ledger:
        writers = [Writer(args, i, ledger) for i in range(args.writers)]
        await asyncio.wait_for(asyncio.gather(*(w.run(stop) for w in writers)), args.duration + 60)
    summary = {"elapsedSeconds": round(time.monotonic() - started, 1), "writers": args.writers,
               "everySeconds": args.every, **{k: v for k, v in stats.items()},
               "errors": dict(errors), "disconnects": dict(disconnects)}
    print(f"\nNote writers: {args.writers}, one note each every {args.every} s: posted {stats['posted']}, "
          f"acknowledged {stats['acknowledged']}, errors {dict(errors) or 'none'}, "
          f"disconnects {dict(disconnects) or 'none'}", flush=True)
    if args.summary:
        with open(args.summary, "w") as out:
            json.dump(summary, out, indent=2)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--room", default="expo-hall")
    p.add_argument("--writers", type=int, default=4)
    p.add_argument("--every", type=float, default=6.0, help="seconds between one writer's notes (default 6; the limit is 5)")
    p.add_argument("--duration", type=float, default=600)
    p.add_argument("--ledger", required=True, help="append acknowledged notes here (JSON lines)")
    p.add_argument("--summary", help="write the counts as JSON to this file")
    args = p.parse_args()
    if not args.host.startswith("127."):
        p.error("loopback only: --host must be a 127.x address")
    asyncio.run(main(args))

#!/usr/bin/env python3
"""Abusive clients for the soak test (tools/soak/run): for the whole run, each category
at a bounded, steady rate, from its own loopback source address so that the per-IP
limits apply to it separately from the well-behaved bots on 127.0.0.1.

  garbage    127.0.0.2  raw sockets: a valid upgrade, then random bytes, unmasked frames,
                        reserved opcodes, oversize declared lengths, RSV bits, bad UTF-8,
                        …; and garbage instead of an HTTP request
  flood      127.0.0.3  websockets: chat and move inputs over the rate limits, oversized
                        and malformed JSON, unknown types, messages before hello, a message
                        over the 1 MiB limit (plain and as a deflate bomb)
  slowloris  127.0.0.4  raw sockets: HTTP heads dribbled a byte every few seconds, silent
                        connections, a hello frame dribbled after the upgrade; a bounded
                        number held at once
  storm      127.0.0.5  websockets: bursts of connect → hello → drop, resumes of the
                        dropped avatars, stale and doubled resume tokens
  handshake  127.0.0.6  raw sockets: bursts of upgrades over the per-IP handshake rate

Every connection ends in one outcome ("close 1008", "HTTP 408", …) counted per category
and kind; error codes received are counted too. Outcomes outside each kind's expected
set are listed as unexpected. The summary is printed and written as JSON (--summary).
Loopback only: the target host must be a 127.x address.
"""
import argparse
import asyncio
import base64
import collections
import json
import os
import random
import signal
import struct
import sys
import time

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

ROOM = "expo-hall"

SOURCES = {"garbage": "127.0.0.2", "flood": "127.0.0.3", "slowloris": "127.0.0.4", "storm": "127.0.0.5",
           "handshake": "127.0.0.6"}

# What each kind of abuse should end in. Anything else is reported as unexpected.
EXPECTED = {
    ("garbage", "random-bytes"): {"close 1002", "close 1007", "close 1008", "close 1009", "eof"},
    ("garbage", "unmasked-frame"): {"close 1002"},
    ("garbage", "reserved-opcode"): {"close 1002"},
    ("garbage", "oversize-length"): {"close 1009", "close 1002"},
    ("garbage", "rsv-bits"): {"close 1002"},
    ("garbage", "long-control-frame"): {"close 1002"},
    ("garbage", "fragmented-control"): {"close 1002"},
    ("garbage", "orphan-continuation"): {"close 1002"},
    ("garbage", "invalid-utf8"): {"close 1007"},
    ("garbage", "bad-close-code"): {"close 1002"},
    ("garbage", "http-garbage"): {"HTTP 400", "HTTP 408", "HTTP 431", "HTTP 505"},   # 408: no CRLF CRLF ever came
    ("flood", "chat"): {"close 1008"},
    ("flood", "move"): {"close 1008"},
    ("flood", "malformed-json"): {"close 1008"},
    ("flood", "unknown-type"): {"close 1008"},
    ("flood", "oversize-json"): {"close 1008"},
    ("flood", "before-hello"): {"close 1008"},
    ("flood", "oversize-message"): {"close 1009"},
    ("flood", "deflate-bomb"): {"close 1009"},
    ("slowloris", "dribble-head"): {"HTTP 408"},
    ("slowloris", "silent"): {"eof"},
    ("slowloris", "dribble-hello"): {"close 1008"},
    ("storm", "join-drop"): {"welcome, dropped"},
    ("storm", "resume-drop"): {"resumed, dropped"},
    ("storm", "resume-leave"): {"resumed, left"},
    ("storm", "stale-resume"): {"close 4001"},
    ("storm", "double-resume"): {"resumed, then kicked (close 4006)", "resumed, kept", "resumed, dropped"},
    ("handshake", "burst"): {"HTTP 101", "HTTP 429"},
}

# Errors each kind may receive from the server; others are unexpected.
EXPECTED_ERRORS = {
    ("flood", "chat"): {"rate_limited"},
    ("flood", "malformed-json"): {"bad_message", "text_invalid", "already_joined"},
    ("flood", "unknown-type"): {"unknown_type"},
    ("flood", "oversize-json"): {"message_too_large"},
    ("flood", "before-hello"): {"not_joined"},
    ("slowloris", "dribble-hello"): {"bad_message"},
    ("storm", "stale-resume"): {"bad_token"},
    ("storm", "double-resume"): {"kicked"},
}


class Tally:
    def __init__(self):
        self.outcomes = collections.defaultdict(collections.Counter)   # (category, kind) -> outcome -> n
        self.errors = collections.defaultdict(collections.Counter)     # (category, kind) -> code -> n
        self.held = collections.defaultdict(list)                      # slowloris kind -> seconds held

    def outcome(self, category, kind, what):
        self.outcomes[(category, kind)][what] += 1

    def error(self, category, kind, code):
        self.errors[(category, kind)][code] += 1

    def unexpected(self):
        found = []
        for key, counts in sorted(self.outcomes.items()):
            allowed = EXPECTED.get(key, set())
            for what, n in sorted(counts.items()):
                if what not in allowed and not what.startswith("cut off at the end"):
                    found.append({"category": key[0], "kind": key[1], "outcome": what, "count": n})
        for key, counts in sorted(self.errors.items()):
            allowed = EXPECTED_ERRORS.get(key, set())
            for code, n in sorted(counts.items()):
                if code not in allowed:
                    found.append({"category": key[0], "kind": key[1], "outcome": f"error {code}", "count": n})
        return found

    def as_json(self, elapsed):
        categories = collections.defaultdict(dict)
        for (category, kind), counts in sorted(self.outcomes.items()):
            entry = {"connections": sum(counts.values()), "outcomes": dict(counts.most_common())}
            if self.errors.get((category, kind)):
                entry["errors"] = dict(self.errors[(category, kind)].most_common())
            held = self.held.get(kind)
            if held:
                entry["heldSeconds"] = {"min": round(min(held), 1), "mean": round(sum(held) / len(held), 1),
                                        "max": round(max(held), 1)}
            categories[category][kind] = entry
        totals = {c: sum(e["connections"] for e in kinds.values()) for c, kinds in categories.items()}
        return {"elapsedSeconds": round(elapsed, 1), "sources": SOURCES, "totals": totals,
                "categories": categories, "unexpected": self.unexpected()}


TALLY = Tally()


# ---------------------------------------------------------------- raw WebSocket helpers

def client_frame(opcode, payload, fin=True, rsv=0, mask=True):
    """A client frame; masked unless told otherwise."""
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    n = len(payload)
    if n < 126:
        header = bytes([first, (0x80 if mask else 0) | n])
    elif n < 65536:
        header = bytes([first, (0x80 if mask else 0) | 126]) + struct.pack(">H", n)
    else:
        header = bytes([first, (0x80 if mask else 0) | 127]) + struct.pack(">Q", n)
    if not mask:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def parse_server_frames(data):
    """Frames the server sent (unmasked): [(opcode, payload)], stopping at a partial one."""
    frames = []
    i = 0
    while i + 2 <= len(data):
        opcode = data[i] & 0x0F
        length = data[i + 1] & 0x7F
        j = i + 2
        if length == 126:
            if j + 2 > len(data):
                break
            length = struct.unpack(">H", data[j:j + 2])[0]
            j += 2
        elif length == 127:
            if j + 8 > len(data):
                break
            length = struct.unpack(">Q", data[j:j + 8])[0]
            j += 8
        if j + length > len(data):
            break
        frames.append((opcode, data[j:j + length]))
        i = j + length
    return frames


def upgrade_request(host, port, path, extra=""):
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n").encode()


async def open_raw(args, category):
    return await asyncio.wait_for(
        asyncio.open_connection(args.host, args.port, local_addr=(SOURCES[category], 0)), 10)


async def read_status(reader, timeout=10):
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    return int(head.split(b" ", 2)[1])


async def raw_upgrade(args, category):
    reader, writer = await open_raw(args, category)
    writer.write(upgrade_request(args.host, args.port, f"/ws?room={args.room}"))
    await writer.drain()
    return reader, writer, await read_status(reader)


async def read_until_close(reader, timeout):
    """Reads what the server sends until its close frame, end of stream or timeout.
    Returns (outcome, [error codes in text frames])."""
    data = b""
    deadline = time.monotonic() + timeout
    while True:
        frames = parse_server_frames(data)
        codes = []
        for opcode, payload in frames:
            if opcode == 0x1:
                try:
                    codes.append(json.loads(payload).get("code", "?"))
                except ValueError:
                    codes.append("unreadable")
            elif opcode == 0x8:
                code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
                return f"close {code}", codes
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return f"still open after {timeout:.0f}s", codes
        try:
            chunk = await asyncio.wait_for(reader.read(65536), remaining)
        except asyncio.TimeoutError:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return "reset", codes
        if not chunk:
            return "eof", codes
        data += chunk


def close_quietly(writer):
    try:
        writer.transport.abort()
    except Exception:
        pass


# ---------------------------------------------------------------- garbage frames

def garbage_payload(kind):
    if kind == "random-bytes":
        return os.urandom(4096)
    if kind == "unmasked-frame":
        return client_frame(0x1, b'{"type":"ping"}', mask=False)
    if kind == "reserved-opcode":
        return client_frame(random.choice([3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF]), b"x" * 10)
    if kind == "oversize-length":
        # Declares a 2^40-byte binary frame (masked), then sends a little of it.
        return bytes([0x82, 0x80 | 127]) + struct.pack(">Q", 1 << 40) + os.urandom(4) + os.urandom(1024)
    if kind == "rsv-bits":
        return client_frame(0x1, b'{"type":"ping"}', rsv=random.choice([1, 2, 4, 3, 7]))
    if kind == "long-control-frame":
        return client_frame(0x9, b"p" * 200)
    if kind == "fragmented-control":
        return client_frame(0x9, b"ping", fin=False)
    if kind == "orphan-continuation":
        return client_frame(0x0, b"tail")
    if kind == "invalid-utf8":
        return client_frame(0x1, b'{"type":"hello","name":"\xff\xfe\xc0\xaf"}')
    if kind == "bad-close-code":
        return client_frame(0x8, struct.pack(">H", random.choice([0, 999, 1004, 1005, 1006, 2999])))
    raise ValueError(kind)


GARBAGE_KINDS = ["random-bytes", "unmasked-frame", "reserved-opcode", "oversize-length", "rsv-bits",
                 "long-control-frame", "fragmented-control", "orphan-continuation", "invalid-utf8",
                 "bad-close-code", "http-garbage"]


async def garbage_one(args, kind):
    writer = None
    try:
        if kind == "http-garbage":
            reader, writer = await open_raw(args, "garbage")
            junk = random.choice([os.urandom(512), b"GET / HTTP/1.1\nHost: x\n\n", b"\x16\x03\x01\x02\x00" + os.urandom(200),
                                  b"GET /ws HTTP/9.9\r\nHost: x\r\n\r\n", b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n"])
            writer.write(junk)
            await writer.drain()
            try:
                status = await read_status(reader, 15)
                TALLY.outcome("garbage", kind, f"HTTP {status}")
            except asyncio.IncompleteReadError:
                TALLY.outcome("garbage", kind, "eof")
            return
        reader, writer, status = await raw_upgrade(args, "garbage")
        if status != 101:
            TALLY.outcome("garbage", kind, f"upgrade refused: HTTP {status}")
            return
        writer.write(garbage_payload(kind))
        await writer.drain()
        outcome, codes = await read_until_close(reader, 20)
        for code in codes:
            TALLY.error("garbage", kind, code)
        TALLY.outcome("garbage", kind, outcome)
    except (ConnectionResetError, BrokenPipeError):
        TALLY.outcome("garbage", kind, "reset")
    except asyncio.TimeoutError:
        TALLY.outcome("garbage", kind, "timeout (no answer)")
    except asyncio.IncompleteReadError:
        TALLY.outcome("garbage", kind, "eof before the upgrade answer")
    except OSError as error:
        TALLY.outcome("garbage", kind, f"connect failed: {error.strerror or error}")
    finally:
        if writer is not None:
            close_quietly(writer)


async def garbage(args, tasks):
    """One garbage connection every 1/rate seconds, the kinds in turn; at most 40 in flight."""
    limit = asyncio.Semaphore(40)
    n = 0

    async def run(kind):
        async with limit:
            await garbage_one(args, kind)

    while True:
        kind = GARBAGE_KINDS[n % len(GARBAGE_KINDS)]
        n += 1
        if not limit.locked():
            tasks.spawn(run(kind))
        else:
            TALLY.outcome("garbage", kind, "skipped (40 in flight)")
        await asyncio.sleep(1 / args.garbage_rate)


# ---------------------------------------------------------------- floods

def malformed_json():
    return random.choice([
        "{", "not json at all", "null", "[1,2,3]", '{"type":5}', '{"no_type":true}',
        '{"type":"chat","scope":"nearby","text":5}', '{"type":"chat","scope":"everywhere","text":"x"}',
        '{"type":"emote","emote":"dance"}', '{"type":"who","limit":"many"}', '{"type":"ping","t":"later"}',
        '{"type":"exhibit_open","id":[]}', '{"type":"note_post","id":"cheer-wall"}',
        '{"type":"chat","text":"\\ud800"}', "[" * 5000 + "]" * 5000, '{"a":' * 2000 + "1" + "}" * 2000,
        '{"type":"chat","scope":"nearby","text":"x"} trailing', '\ufeff{"type":"ping"}',
        '{"type":"chat","scope":"nearby","text":"' + "\\u0000" * 100 + '"}',
        '{"type":"hello","name":"again"}',     # a second hello: already_joined
    ])


FLOODS = {
    # kind: (messages per second, seconds at most per connection, say hello first)
    "chat": (20, 20, True),
    "move": (200, 20, True),
    "malformed-json": (20, 20, True),
    "unknown-type": (20, 20, True),
    "oversize-json": (5, 20, True),
    "before-hello": (10, 20, False),
    "oversize-message": (0.5, 10, True),
    "deflate-bomb": (0.5, 10, True),
}


def flood_message(kind, n):
    if kind == "chat":
        return json.dumps({"type": "chat", "scope": "nearby", "text": f"flood {n}"})
    if kind == "move":
        return struct.pack("<BIBbb", 1, n, 1, random.choice([-1, 0, 1]), random.choice([-1, 0, 1]))
    if kind == "malformed-json":
        return malformed_json()
    if kind == "unknown-type":
        return json.dumps({"type": f"x-{random.randrange(1 << 30):x}", "ref": str(n)})
    if kind == "oversize-json":
        return json.dumps({"type": "chat", "scope": "nearby", "text": "a" * 20_000})
    if kind == "before-hello":
        return json.dumps({"type": "chat", "scope": "nearby", "text": "am I in?"})
    if kind == "oversize-message":
        return os.urandom(1_600_000)            # binary, incompressible, over the 1 MiB limit
    if kind == "deflate-bomb":
        return "a" * (8 << 20)                  # 8 MiB that deflates to ~8 KiB
    raise ValueError(kind)


async def flood_one(args, kind):
    rate, lifetime, say_hello = FLOODS[kind]
    compression = "deflate" if kind == "deflate-bomb" else None
    outcome = None
    ws = None
    try:
        ws = await connect(args.url, local_addr=(SOURCES["flood"], 0), open_timeout=10, close_timeout=5,
                           compression=compression, max_size=None, ping_interval=None,
                           user_agent_header="atrium-soak-abuser")
        if say_hello:
            await ws.send(json.dumps({"type": "hello", "name": f"flood {kind}"[:32]}))
            while True:
                message = await asyncio.wait_for(ws.recv(), 10)
                if isinstance(message, str):
                    value = json.loads(message)
                    if value["type"] == "welcome":
                        break
                    if value["type"] == "error":
                        TALLY.error("flood", kind, value.get("code"))

        async def reader():
            async for message in ws:
                if isinstance(message, str):
                    value = json.loads(message)
                    if value.get("type") == "error":
                        TALLY.error("flood", kind, value.get("code"))

        reading = asyncio.ensure_future(reader())
        try:
            end = time.monotonic() + lifetime
            n = 0
            while time.monotonic() < end and not reading.done():
                n += 1
                await ws.send(flood_message(kind, n))
                await asyncio.sleep(1 / rate)
            if not reading.done():
                # Survived the whole lifetime: the server never closed it.
                outcome = f"still open after {lifetime}s"
                await ws.close()
            await asyncio.wait_for(reading, 10)
        finally:
            reading.cancel()
    except ConnectionClosed as closed:
        if outcome is None and closed.rcvd is not None:
            outcome = f"close {closed.rcvd.code}"
    except InvalidStatus as refused:
        outcome = f"upgrade refused: HTTP {refused.response.status_code}"
    except asyncio.TimeoutError:
        outcome = outcome or "timeout"
    except OSError as error:
        outcome = outcome or f"connect failed: {error.strerror or error}"
    finally:
        if ws is not None:
            ws.transport.abort()
    if outcome is None:
        code = ws.close_code if ws is not None else None
        outcome = f"close {code}" if code is not None and code != 1006 else "dropped without a close frame"
    TALLY.outcome("flood", kind, outcome)


async def flood_loop(args, kind):
    while True:
        started = time.monotonic()
        await flood_one(args, kind)
        # At least 2 s between connections of one kind, so reconnects stay bounded.
        await asyncio.sleep(max(0.0, 2.0 - (time.monotonic() - started)) + 0.5)


async def floods(args, tasks):
    for kind in FLOODS:
        tasks.spawn(flood_loop(args, kind))
    await asyncio.Event().wait()


# ---------------------------------------------------------------- slowloris

async def slowloris_one(args, kind):
    started = time.monotonic()
    writer = None
    outcome = None
    try:
        if kind == "dribble-hello":
            reader, writer, status = await raw_upgrade(args, "slowloris")
            if status != 101:
                outcome = f"upgrade refused: HTTP {status}"
                return
            payload = client_frame(0x1, json.dumps({"type": "hello", "name": "slow " + "z" * 20}).encode())
        else:
            reader, writer = await open_raw(args, "slowloris")
            payload = (f"GET /ws?room={args.room} HTTP/1.1\r\nHost: {args.host}:{args.port}\r\n"
                       "User-Agent: " + "s" * 4000 + "\r\n\r\n").encode()
        data = b""
        i = 0
        while True:
            if kind != "silent" and i < len(payload):
                writer.write(payload[i:i + 1])
                i += 1
                await writer.drain()
            try:
                chunk = await asyncio.wait_for(reader.read(65536), random.uniform(2, 4))
            except asyncio.TimeoutError:
                if time.monotonic() - started > args.slowloris_give_up:
                    outcome = f"still open after {args.slowloris_give_up:.0f}s"
                    return
                continue
            if not chunk:
                if data.startswith(b"HTTP/"):
                    outcome = "HTTP " + data.split(b" ", 2)[1].decode()
                else:
                    outcome, codes = parse_close(data)
                    for code in codes:
                        TALLY.error("slowloris", kind, code)
                return
            data += chunk
            if kind == "dribble-hello":
                frames = parse_server_frames(data)
                if any(opcode == 0x8 for opcode, _ in frames):
                    outcome, codes = parse_close(data)
                    for code in codes:
                        TALLY.error("slowloris", kind, code)
                    return
            elif b"\r\n\r\n" in data:
                outcome = "HTTP " + data.split(b" ", 2)[1].decode()
                return
    except (ConnectionResetError, BrokenPipeError):
        outcome = "reset"
    except asyncio.TimeoutError:
        outcome = "timeout (connect or upgrade)"
    except OSError as error:
        outcome = f"connect failed: {error.strerror or error}"
    finally:
        if writer is not None:
            close_quietly(writer)
        if outcome is not None:
            TALLY.outcome("slowloris", kind, outcome)
            TALLY.held[kind].append(time.monotonic() - started)


def parse_close(data):
    codes = []
    for opcode, payload in parse_server_frames(data):
        if opcode == 0x1:
            try:
                codes.append(json.loads(payload).get("code", "?"))
            except ValueError:
                codes.append("unreadable")
        if opcode == 0x8:
            return (f"close {struct.unpack('>H', payload[:2])[0]}" if len(payload) >= 2 else "close 1005"), codes
    return "eof", codes


async def slowloris_slot(args, kind, delay):
    await asyncio.sleep(delay)            # spread the slots out so they do not all cycle together
    while True:
        started = time.monotonic()
        await slowloris_one(args, kind)
        await asyncio.sleep(max(0.5, 1.0 - (time.monotonic() - started)))


async def slowloris(args, tasks):
    held = args.slowloris
    kinds = ["dribble-head"] * (held * 7 // 10) + ["silent"] * (held * 2 // 10)
    kinds += ["dribble-hello"] * (held - len(kinds))
    for i, kind in enumerate(kinds):
        tasks.spawn(slowloris_slot(args, kind, delay=i * 10.0 / max(held, 1)))
    await asyncio.Event().wait()


# ---------------------------------------------------------------- reconnect storms

class Tokens:
    """Resume tokens of dropped storm avatars, with when they were dropped."""
    def __init__(self):
        self.fresh = []   # (dropped at, token)

    def add(self, token):
        self.fresh.append((time.monotonic(), token))

    def take(self, min_age, max_age):
        now = time.monotonic()
        for i, (at, token) in enumerate(self.fresh):
            if min_age <= now - at <= max_age:
                del self.fresh[i]
                return token
        return None

    def prune(self, older_than):
        now = time.monotonic()
        self.fresh = [(at, t) for at, t in self.fresh if now - at <= older_than]


TOKENS = Tokens()
STALE = []        # tokens kept past the reconnect grace, for stale-resume


async def storm_session(args, kind, resume=None, name="storm", after=None):
    """One storm connection: hello (or resume), then drop, leave or wait to be kicked.
    Returns the new resume token, if the avatar is left waiting."""
    outcome = None
    token = None
    ws = None
    try:
        ws = await connect(args.url, local_addr=(SOURCES["storm"], 0), open_timeout=10, close_timeout=5,
                           ping_interval=None, user_agent_header="atrium-soak-abuser")
        hello = {"type": "hello", "name": name}
        if resume:
            hello["resume"] = resume
        await ws.send(json.dumps(hello))
        while True:
            message = await asyncio.wait_for(ws.recv(), 10)
            if isinstance(message, str):
                value = json.loads(message)
                if value["type"] == "welcome":
                    break
                if value["type"] == "error":
                    TALLY.error("storm", kind, value.get("code"))
        resumed = value.get("resumed", False)
        token = value.get("resume")
        prefix = "resumed" if resumed else "welcome"
        if resume and not resumed:
            prefix = "welcome, NOT resumed"
        if after == "leave":
            await ws.send(json.dumps({"type": "leave"}))
            await ws.close()
            outcome, token = f"{prefix}, left", None
        elif after == "wait":
            # double-resume: stay until kicked by the second resume, or 5 s.
            try:
                while True:
                    message = await asyncio.wait_for(ws.recv(), 5)
                    if isinstance(message, str) and json.loads(message).get("type") == "error":
                        TALLY.error("storm", kind, json.loads(message).get("code"))
            except asyncio.TimeoutError:
                outcome = f"{prefix}, kept"
                ws.transport.abort()
        else:
            await asyncio.sleep(random.uniform(0, 0.5))
            ws.transport.abort()          # a dropped connection: no close frame, no leave
            outcome = f"{prefix}, dropped"
    except ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd is not None else None
        if after == "wait" and code == 4006:
            outcome = "resumed, then kicked (close 4006)"
        else:
            outcome = f"close {code}" if code is not None else "dropped without a close frame"
        token = None
    except InvalidStatus as refused:
        outcome = f"upgrade refused: HTTP {refused.response.status_code}"
    except asyncio.TimeoutError:
        outcome = "timeout"
    except OSError as error:
        outcome = f"connect failed: {error.strerror or error}"
    finally:
        if ws is not None and outcome is None:
            ws.transport.abort()
    TALLY.outcome("storm", kind, outcome or "unknown")
    return token


async def storm_burst(args, n):
    jobs = []
    for i in range(args.storm_burst):
        jobs.append(("join-drop", None, f"storm {n}.{i}", "drop"))
    # Resume avatars dropped in earlier bursts (well within the 30 s grace).
    for i in range(args.storm_burst):
        token = TOKENS.take(1, 20)
        if token is None:
            break
        jobs.append(("resume-drop" if i % 2 == 0 else "resume-leave", token, f"storm {n}.r{i}",
                     "drop" if i % 2 == 0 else "leave"))
    # A token dropped more than the grace ago must be refused.
    for _ in range(2):
        if STALE and time.monotonic() - STALE[0][0] > args.grace + 5:
            jobs.append(("stale-resume", STALE.pop(0)[1], f"storm {n}.s", "drop"))
    results = await asyncio.gather(*(storm_session(args, kind, resume=token, name=name, after=after)
                                     for kind, token, name, after in jobs))
    for (kind, _, _, after), token in zip(jobs, results):
        if token and after == "drop":
            TOKENS.add(token)
    # Keep two tokens to try after the grace (they are also resumable now; we do not).
    for _ in range(2):
        token = TOKENS.take(0, 5)
        if token:
            STALE.append((time.monotonic(), token))
    # One avatar resumed twice at once: the first connection is kicked (4006).
    token = TOKENS.take(0, 20)
    if token:
        first = asyncio.ensure_future(storm_session(args, "double-resume", resume=token, name="storm dbl", after="wait"))
        await asyncio.sleep(0.5)
        second = await storm_session(args, "double-resume", resume=token, name="storm dbl", after="drop")
        await first
        if second:
            TOKENS.add(second)
    TOKENS.prune(args.grace)


async def storms(args, tasks):
    n = 0
    while True:
        n += 1
        started = time.monotonic()
        tasks.spawn(storm_burst(args, n))
        await asyncio.sleep(max(0.0, args.storm_interval - (time.monotonic() - started)))


# ---------------------------------------------------------------- handshake bursts

async def handshake_one(args, limit):
    async with limit:
        writer = None
        try:
            reader, writer, status = await raw_upgrade(args, "handshake")
            TALLY.outcome("handshake", "burst", f"HTTP {status}")
        except (ConnectionResetError, BrokenPipeError):
            TALLY.outcome("handshake", "burst", "reset")
        except asyncio.TimeoutError:
            TALLY.outcome("handshake", "burst", "timeout")
        except asyncio.IncompleteReadError:
            TALLY.outcome("handshake", "burst", "eof before the answer")
        except OSError as error:
            TALLY.outcome("handshake", "burst", f"connect failed: {error.strerror or error}")
        finally:
            if writer is not None:
                close_quietly(writer)


async def handshakes(args, tasks):
    await asyncio.sleep(min(15, args.handshake_interval / 2))
    while True:
        started = time.monotonic()
        limit = asyncio.Semaphore(100)
        await asyncio.gather(*(handshake_one(args, limit) for _ in range(args.handshake_burst)))
        await asyncio.sleep(max(0.0, args.handshake_interval - (time.monotonic() - started)))


# ---------------------------------------------------------------- main

class Tasks:
    def __init__(self):
        self.all = set()

    def spawn(self, coroutine):
        task = asyncio.ensure_future(coroutine)
        self.all.add(task)
        task.add_done_callback(self.done)
        return task

    def done(self, task):
        self.all.discard(task)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            TALLY.outcome("abuser", "internal", f"{type(error).__name__}: {error}"[:200])


def print_summary(summary):
    print(f"\nAbusers: {summary['elapsedSeconds']} s")
    for category, kinds in summary["categories"].items():
        print(f"  {category} ({SOURCES.get(category, '-')}): {summary['totals'][category]} connections")
        for kind, entry in kinds.items():
            outcomes = ", ".join(f"{k} ×{v}" for k, v in entry["outcomes"].items())
            line = f"    {kind:<20} {entry['connections']:>6}  {outcomes}"
            if entry.get("errors"):
                line += "  | errors: " + ", ".join(f"{k} ×{v}" for k, v in entry["errors"].items())
            if entry.get("heldSeconds"):
                h = entry["heldSeconds"]
                line += f"  | held {h['min']}–{h['max']} s (mean {h['mean']})"
            print(line)
    if summary["unexpected"]:
        print("  UNEXPECTED:")
        for u in summary["unexpected"]:
            print(f"    {u['category']}/{u['kind']}: {u['outcome']} ×{u['count']}")
    else:
        print("  every outcome was an expected one")
    sys.stdout.flush()


async def main(args):
    tasks = Tasks()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    started = time.monotonic()
    wanted = set(args.only.split(",")) if args.only else set(SOURCES)
    runners = {"garbage": garbage, "flood": floods, "slowloris": slowloris, "storm": storms, "handshake": handshakes}
    for name, runner in runners.items():
        if name in wanted:
            tasks.spawn(runner(args, tasks))
    last_progress = started
    try:
        while not stop.is_set() and time.monotonic() - started < args.duration:
            try:
                await asyncio.wait_for(stop.wait(), 1)
            except asyncio.TimeoutError:
                pass
            if time.monotonic() - last_progress >= 60:
                last_progress = time.monotonic()
                totals = collections.Counter()
                for (category, _), counts in TALLY.outcomes.items():
                    totals[category] += sum(counts.values())
                print(f"[abusers {time.monotonic() - started:5.0f}s] " +
                      ", ".join(f"{c} {n}" for c, n in sorted(totals.items())) + f", tasks {len(tasks.all)}", flush=True)
    finally:
        # Whatever is still in flight when the time is up is cut off, not a verdict.
        for task in list(tasks.all):
            task.cancel()
        await asyncio.wait(list(tasks.all) or [asyncio.sleep(0)], timeout=10)
    summary = TALLY.as_json(time.monotonic() - started)
    print_summary(summary)
    if args.summary:
        with open(args.summary, "w") as out:
            json.dump(summary, out, indent=2, sort_keys=False)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--room", default=ROOM)
    p.add_argument("--duration", type=float, default=600, help="seconds (default 600)")
    p.add_argument("--summary", help="write the summary as JSON to this file")
    p.add_argument("--only", help="comma-separated categories (default: all): " + ",".join(SOURCES))
    p.add_argument("--garbage-rate", type=float, default=4, help="garbage connections per second (default 4)")
    p.add_argument("--slowloris", type=int, default=50, help="slowloris connections held at once (default 50)")
    p.add_argument("--slowloris-give-up", type=float, default=60,
                   help="seconds after which a slowloris connection the server still holds is unexpected (default 60)")
    p.add_argument("--storm-interval", type=float, default=10, help="seconds between reconnect storms (default 10)")
    p.add_argument("--storm-burst", type=int, default=25, help="joins per storm, and resumes at most as many (default 25)")
    p.add_argument("--grace", type=float, default=30, help="the server's reconnect grace in seconds (default 30)")
    p.add_argument("--handshake-interval", type=float, default=30, help="seconds between handshake bursts (default 30)")
    p.add_argument("--handshake-burst", type=int, default=500, help="upgrades per handshake burst (default 500)")
    args = p.parse_args()
    if not args.host.startswith("127."):
        p.error("loopback only: --host must be a 127.x address")
    args.url = f"ws://{args.host}:{args.port}/ws?room={args.room}"
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))

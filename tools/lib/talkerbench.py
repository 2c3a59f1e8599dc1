"""The talker benchmark behind tools/talker-bench. Standard library only.

A release server pinned to core 0 and one atrium-bots process pinned to core 1, on the
expo hall: N bots of which a share talk (`talker`: microphone on, fake offers, answers and
ICE candidates of browser sizes to every new conversation peer) and the rest wander,
against the same N bots all wandering. For each run: the server's CPU and tick p50/p99
(its histogram over the steady window), the av_peers messages and relayed signals per
second (its counters over the same window), signal relay p50/p99 as the bots timed it
(one clock: sender and receiver are in the same process), and the bots' CPU, to tell when
the load generator and not the server is the limit. Medians of the runs.

The server start, sampling and histogram reading are tools/lib/loadtest.py's.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtest import (ROOT, Sampler, clean_environment, fmt, machine, metrics, quantile, source_addresses,  # noqa: E402
                      start_server, stop, tick_buckets)


def counters(text: str) -> dict[str, float]:
    """The counters this benchmark reads, from /metrics text."""
    found = {}
    for name, labels in (("atrium_media_messages_out_total", 'kind="av_peers"'),
                         ("atrium_media_messages_out_total", 'kind="rtc_signal"'),
                         ("atrium_errors_total", 'code="not_a_peer"')):
        match = re.search(r"^" + name + r"\{" + labels + r"\} (\S+)$", text, re.M)
        found[f"{name}{{{labels}}}"] = float(match[1]) if match else 0.0
    return found


def run_once(args, bots: int, behavior: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="atrium-talkers-") as data:
        server, port = start_server(args.server, data, [], [])
        bot = None
        try:
            time.sleep(1.0)
            report = Path(data) / "bots.json"
            bot = subprocess.Popen(
                ["taskset", "-c", "1", args.bots, "--url", f"ws://127.0.0.1:{port}/ws", "--room", "expo-hall",
                 "--maps", "Maps", "--map", "Maps/expo-hall.tmj", "--bots", str(bots), "--ramp", f"{args.ramp}/s",
                 "--duration", f"{args.duration}s", "--behavior", behavior, "--seed", "1", "--observe", args.observe,
                 "--source-addresses", source_addresses(0, bots), "--report", str(report)],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(Path(data) / "bots.log", "w"), env=clean_environment())
            sampler = Sampler(server.pid, [bot.pid])
            sampler.start()
            began = time.monotonic()
            ramp = bots / args.ramp
            steady_start, steady_end = began + ramp + args.settle, began + ramp + args.duration - 1
            time.sleep(max(0.0, steady_start - time.monotonic()))
            text = metrics(port)
            before, counted_before, at_start = tick_buckets(text), counters(text), time.monotonic()
            time.sleep(max(0.0, steady_end - time.monotonic()))
            text = metrics(port)
            after, counted_after, at_end = tick_buckets(text), counters(text), time.monotonic()
            window = sampler.window(steady_start, steady_end)
            bot.wait(timeout=ramp + args.duration + 60)
            sampler.stop_event.set()
            result = json.loads(report.read_text())
        finally:
            if bot and bot.poll() is None:
                bot.kill()
            stop(server)
    seconds = at_end - at_start
    rate = {key: (counted_after[key] - counted_before[key]) / seconds for key in counted_after}
    relay = result["latencies"].get("signal relay", {})
    room_before, room_after = before.get("expo-hall", {}), after.get("expo-hall", {})
    return {
        "joined": result["joined"], "attempted": result["attempted"],
        "disconnects": sum(v for k, v in result["disconnects"].items() if k != "finished"),
        "server_cpu": window["server_cpu"], "bots_cpu": window["bots_cpu"],
        "tick_p50_ms": quantile(0.5, room_before, room_after), "tick_p99_ms": quantile(0.99, room_before, room_after),
        "av_peers_per_s": rate['atrium_media_messages_out_total{kind="av_peers"}'],
        "signals_per_s": rate['atrium_media_messages_out_total{kind="rtc_signal"}'],
        "not_a_peer_per_s": rate['atrium_errors_total{code="not_a_peer"}'],
        "relay_p50_ms": relay.get("p50Ms") if relay.get("count") else None,
        "relay_p99_ms": relay.get("p99Ms") if relay.get("count") else None,
        "signals_received": result["signals"]["received"],
        "disconnect_reasons": {k: v for k, v in result["disconnects"].items() if k != "finished"},
        "errors": result["errors"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", required=True)
    parser.add_argument("--bots", required=True)
    parser.add_argument("--count", type=int, default=1000, help="bots in the room")
    parser.add_argument("--talkers", type=int, default=25, help="percent of the bots that talk")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=40, help="seconds after the ramp")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds after the ramp before measuring")
    parser.add_argument("--ramp", type=int, default=500, help="connections per second")
    parser.add_argument("--observe", default="10%", help="bots that decode every state message (atrium-bots --observe)")
    args = parser.parse_args()

    walkers = 100 - args.talkers
    cases = [(f"{args.count:,} bots, wander:100 (nobody talks)", "wander"),
             (f"{args.count:,} bots, wander:{walkers},talker:{args.talkers}", f"wander:{walkers},talker:{args.talkers}")]
    rows, failed = [], False
    for label, behavior in cases:
        results = []
        for run in range(args.runs):
            print(f"== {label}: run {run + 1} of {args.runs}", flush=True)
            result = run_once(args, args.count, behavior)
            print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in result.items()}), flush=True)
            failed |= result["joined"] < result["attempted"] or result["disconnects"] > 0
            results.append(result)
        rows.append((label, results))

    def m(results, key):
        values = [r[key] for r in results if r.get(key) is not None]
        return statistics.median(values) if values else None

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    print(f"\nMeasured {datetime.date.today().isoformat()} on {machine()}, commit {commit}. Medians of {args.runs} runs; "
          f"server on core 0, bots on core 1 ({args.observe} of them decode every state message); rates over "
          f"{args.duration - 1 - args.settle:.0f} s after the ramp and settle.\n")
    print("| case | joined | server CPU % | bots CPU % | tick p50 / p99 ms | av_peers msg/s | signals relayed/s "
          "| not_a_peer/s | signal relay p50 / p99 ms |")
    print("|---|---|---:|---:|---|---:|---:|---:|---|")
    for label, results in rows:
        print(f"| {label} | {fmt(m(results, 'joined'), 0)}/{fmt(m(results, 'attempted'), 0)} | {fmt(m(results, 'server_cpu'))} "
              f"| {fmt(m(results, 'bots_cpu'))} | {fmt(m(results, 'tick_p50_ms'), 2)} / {fmt(m(results, 'tick_p99_ms'), 2)} "
              f"| {fmt(m(results, 'av_peers_per_s'), 0)} | {fmt(m(results, 'signals_per_s'), 0)} "
              f"| {fmt(m(results, 'not_a_peer_per_s'), 1)} | {fmt(m(results, 'relay_p50_ms'), 2)} / {fmt(m(results, 'relay_p99_ms'), 2)} |")
    if failed:
        print("\nnot every bot joined and stayed in", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

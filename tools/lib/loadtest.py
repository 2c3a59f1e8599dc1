"""The load-test matrix behind tools/loadtest. Standard library only.

Each case starts a fresh release server pinned to core 0 and one or more atrium-bots
processes pinned to core 1, samples /proc for both every second, reads the server's
/metrics before and after the steady window, and collects the bots' JSON reports.
Figures are taken over the steady window only (after the ramp and a settle second),
so the ramp's handshake burst does not inflate the CPU figures.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
SECTION_START = "<!-- loadtest:start -->"
# The bots' CPU (all processes share core 1) above which a run is flagged unreliable.
SATURATED_PERCENT = 90.0
SECTION_END = "<!-- loadtest:end -->"


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS   # utime, stime


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE // 1024


class Sampler(threading.Thread):
    """Reads CPU time and RSS of the server and the bots once a second."""

    def __init__(self, server: int, bots: list[int]):
        super().__init__(daemon=True)
        self.server, self.bots = server, bots
        self.samples: list[tuple[float, float, int, float]] = []   # t, server cpu, server rss, bots cpu
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            try:
                bots_cpu = sum(cpu_seconds(pid) for pid in self.bots if Path(f"/proc/{pid}").exists())
                self.samples.append((time.monotonic(), cpu_seconds(self.server), rss_kib(self.server), bots_cpu))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
            self.stop_event.wait(1.0)

    def window(self, start: float, end: float) -> dict:
        inside = [s for s in self.samples if start <= s[0] <= end]
        if len(inside) < 2:
            raise RuntimeError("too few samples in the steady window; lengthen DURATION")
        (t0, s0, _, b0), (t1, s1, _, b1) = inside[0], inside[-1]
        return {"server_cpu": 100 * (s1 - s0) / (t1 - t0), "bots_cpu": 100 * (b1 - b0) / (t1 - t0),
                "rss_kib": inside[-1][2], "rss_max_kib": max(s[2] for s in inside)}


def metrics(port: int) -> str:
    """The server's /metrics; empty when a saturated server does not answer in time (the
    tick figures are then missing from the table, which says so)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=20) as response:
            return response.read().decode()
    except OSError as error:
        print(f"   /metrics did not answer: {error}", flush=True)
        return ""


def tick_buckets(text: str, name: str = "atrium_tick_duration_seconds") -> dict[str, dict[float, float]]:
    """room → {upper bound in seconds: cumulative count} of a histogram ("" for one without rooms)."""
    bucket = re.compile(r'^' + name + r'_bucket\{(?P<labels>[^}]*)\} (?P<value>\S+)$', re.M)
    rooms: dict[str, dict[float, float]] = {}
    for match in bucket.finditer(text):
        labels = dict(re.findall(r'(\w+)="([^"]*)"', match["labels"]))
        bound = float("inf") if labels["le"] == "+Inf" else float(labels["le"])
        rooms.setdefault(labels.get("room", ""), {})[bound] = float(match["value"])
    return rooms


def quantile(q: float, before: dict[float, float], after: dict[float, float]) -> float | None:
    """histogram_quantile over the difference of two snapshots, interpolated inside the bucket (ms)."""
    bounds = sorted(after)
    counts = [after[b] - before.get(b, 0.0) for b in bounds]
    total = counts[-1] if counts else 0
    if total <= 0:
        return None
    rank, lower, previous = q * total, 0.0, 0.0
    for bound, cumulative in zip(bounds, counts):
        if cumulative >= rank:
            if bound == float("inf"):
                return lower * 1000
            inside = cumulative - previous
            fraction = (rank - previous) / inside if inside else 1.0
            return (lower + (bound - lower) * fraction) * 1000
        lower, previous = bound, cumulative
    return None


def start_server(server: str, data: str, rooms: list[str], extra: list[str]) -> tuple[subprocess.Popen, int]:
    """A server on a free loopback port (the kernel's choice); returns it and its port."""
    command = ["taskset", "-c", "0", server, "--host", "127.0.0.1", "--port", "0", "--maps", "Maps",
               "--data", data, "--log-level", "error", "--max-connections", "20000",
               "--set", "store.durable_commits=true"]
    for room in rooms:
        command += ["--room", room]
    command += extra
    log = open(Path(data) / "server.log", "w")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=clean_environment())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited: {(Path(data) / 'server.log').read_text()[-2000:]}")
        listening = re.search(r"Listening on 127\.0\.0\.1:(\d+)", (Path(data) / "server.log").read_text())
        if listening:
            return process, int(listening.group(1))
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start listening within 30 s")


def clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("ATRIUM_")}


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def moderator_token(server: str, data: str) -> str:
    """A moderator's join token, registered in the data folder before the server starts."""
    output = subprocess.run([server, "invite", "create", "--name", "Quizmaster", "--role", "moderator", "--data", data],
                            cwd=ROOT, capture_output=True, text=True, env=clean_environment(), timeout=60)
    found = re.search(r"token=([^&\s]+)", output.stdout)
    if output.returncode != 0 or not found:
        raise RuntimeError(f"atrium-server invite create failed: {output.stdout}{output.stderr}")
    return found.group(1)


def quiz_seconds(args) -> int:
    """How long the quiz case runs after its ramp: the walk to the fields, every question
    with its walk back, and a margin."""
    return int(args.quiz_gather + args.quiz_questions * (args.quiz_seconds + args.quiz_pause + 2) + 5)


def run_case(args, label: str, groups: list[tuple[str, int, str]], rooms: list[str], server_args: list[str],
             quiz: bool = False) -> dict:
    """groups: (room, bots, behaviour) per bot process. With `quiz`, the first process also
    runs the quizmaster (a moderator's token made for the run)."""
    ramp = args.ramp
    longest_ramp = max(n for _, n, _ in groups) / ramp
    duration = quiz_seconds(args) if quiz else args.duration
    with tempfile.TemporaryDirectory(prefix="atrium-load-") as data:
        quiz_args = []
        if quiz:
            quiz_args = ["--quiz-master", moderator_token(args.server, data), "--quiz-questions", str(args.quiz_questions),
                         "--quiz-seconds", str(args.quiz_seconds), "--quiz-gather", str(args.quiz_gather),
                         "--quiz-pause", str(args.quiz_pause)]
        server, port = start_server(args.server, data, rooms, server_args)
        try:
            time.sleep(1.0)
            idle_rss = rss_kib(server.pid)
            reports, bots = [], []
            for index, (room, count, behaviour) in enumerate(groups):
                report = Path(data) / f"bots-{index}.json"
                reports.append(report)
                bots.append(subprocess.Popen(
                    ["taskset", "-c", "1", args.bots, "--url", f"ws://127.0.0.1:{port}/ws", "--room", room,
                     "--maps", "Maps", "--map", "Maps/expo-hall.tmj", "--bots", str(count), "--ramp", f"{ramp}/s",
                     "--duration", f"{duration}s", "--behavior", behaviour, "--seed", str(index + 1),
                     "--observe", args.observe, "--source-addresses", source_addresses(index, count),
                     "--report", str(report)] + (quiz_args if index == 0 else []),
                    cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(Path(data) / f"bots-{index}.log", "w"),
                    env=clean_environment()))
            sampler = Sampler(server.pid, [b.pid for b in bots])
            sampler.start()
            began = time.monotonic()
            steady_start = began + longest_ramp + args.settle
            steady_end = began + longest_ramp + duration - 1
            time.sleep(max(0.0, steady_start - time.monotonic()))
            before = tick_buckets(metrics(port))
            time.sleep(max(0.0, steady_end - time.monotonic()))
            closing = metrics(port)
            after = tick_buckets(closing)
            window = sampler.window(steady_start, steady_end)
            deadline = began + longest_ramp + duration + 60
            for process in bots:
                process.wait(timeout=max(1.0, deadline - time.monotonic()))
            sampler.stop_event.set()
        finally:
            for process in locals().get("bots", []):
                if process.poll() is None:
                    process.kill()
            stop(server)
        loaded = [json.loads(r.read_text()) for r in reports if r.exists()]
        if len(loaded) != len(groups):
            raise RuntimeError(f"{label}: a bot process wrote no report; see its log")
    result = combine(loaded)
    ticks_p50 = [quantile(0.5, before.get(room, {}), after.get(room, {})) for room in rooms_of(groups)]
    ticks_p99 = [quantile(0.99, before.get(room, {}), after.get(room, {})) for room in rooms_of(groups)]
    connections = sum(n for _, n, _ in groups)
    result.update(window)
    result.update({
        "label": label, "bots": connections,
        "tick_p50_ms": max((t for t in ticks_p50 if t is not None), default=None),
        "tick_p99_ms": max((t for t in ticks_p99 if t is not None), default=None),
        "idle_rss_kib": idle_rss,
        "kib_per_connection": (window["rss_kib"] - idle_rss) / connections,
        "kib_per_connection_all_in": window["rss_kib"] / connections,
        "slow_closes": slow_closes(closing),
    })
    return result


def counter(text: str, name: str) -> float:
    found = re.search(r'^' + name + r'(?:\{\})? (\S+)$', text, re.M)
    return float(found.group(1)) if found else 0.0


def run_saturation(args) -> dict:
    """Offered load above capacity, then relief. `--saturation N` wanderers in rooms of
    2,000 (one bot process each) for the duration: the server's core is past full and the
    bots' too, so clients fall behind. Measured: the server's resident memory per
    connection at its peak, state held back (coalesced) and slow closes. Then the crowd
    leaves and a probe of 100 wanderers joins for 20 s: its latencies and the tick show
    whether the server recovered."""
    per_process = 2_000
    processes = (args.saturation + per_process - 1) // per_process
    rooms = [f"hall-{i + 1}=expo-hall" for i in range(processes)]
    with tempfile.TemporaryDirectory(prefix="atrium-load-") as data:
        server, port = start_server(args.server, data, rooms, [])
        try:
            time.sleep(1.0)
            idle_rss = rss_kib(server.pid)
            crowd = []
            for index in range(processes):
                count = min(per_process, args.saturation - index * per_process)
                crowd.append(subprocess.Popen(
                    ["taskset", "-c", "1", args.bots, "--url", f"ws://127.0.0.1:{port}/ws", "--room", f"hall-{index + 1}",
                     "--maps", "Maps", "--map", "Maps/expo-hall.tmj", "--bots", str(count), "--ramp", f"{args.ramp}/s",
                     "--duration", f"{args.duration}s", "--behavior", "wander", "--seed", str(index + 1), "--observe",
                     args.observe, "--source-addresses", source_addresses(index, count), "--min-joined", "0",
                     "--report", str(Path(data) / f"crowd-{index}.json")],
                    cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(Path(data) / f"crowd-{index}.log", "w"),
                    env=clean_environment()))
            sampler = Sampler(server.pid, [b.pid for b in crowd])
            sampler.start()
            began = time.monotonic()
            ramp = per_process / args.ramp
            steady_start, steady_end = began + ramp + args.settle, began + ramp + args.duration - 1
            time.sleep(max(0.0, steady_start - time.monotonic()))
            before = metrics(port)
            time.sleep(max(0.0, steady_end - time.monotonic()))
            during = metrics(port)
            overload = sampler.window(steady_start, steady_end)
            connections = int(counter(during, "atrium_connections_open")) or args.saturation
            for process in crowd:
                process.wait(timeout=ramp + args.duration + 90)
            # Relief: the crowd is gone; a small probe measures the server as it is now.
            time.sleep(2.0)
            relief_rss = rss_kib(server.pid)
            probe_report = Path(data) / "probe.json"
            probe = subprocess.Popen(
                ["taskset", "-c", "1", args.bots, "--url", f"ws://127.0.0.1:{port}/ws", "--room", "hall-1", "--maps", "Maps",
                 "--map", "Maps/expo-hall.tmj", "--bots", "100", "--ramp", "100/s", "--duration", "20s", "--behavior",
                 "wander", "--seed", "99", "--source-addresses", "127.0.9.1-127.0.9.25", "--report", str(probe_report)],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=open(Path(data) / "probe.log", "w"), env=clean_environment())
            time.sleep(4.0)
            probe_before = tick_buckets(metrics(port))
            time.sleep(16.0)
            probe_after = tick_buckets(metrics(port))
            probe.wait(timeout=60)
            sampler.stop_event.set()
        finally:
            for process in locals().get("crowd", []) + ([locals()["probe"]] if "probe" in locals() else []):
                if process.poll() is None:
                    process.kill()
            stop(server)
        probe_result = json.loads(probe_report.read_text()) if probe_report.exists() else {}
    held = counter(during, "atrium_state_held_back_total") - counter(before, "atrium_state_held_back_total")
    lat = probe_result.get("latencies", {})
    return {
        "offered": args.saturation, "connections": connections, "server_cpu": overload["server_cpu"],
        "bots_cpu": overload["bots_cpu"], "rss_max_kib": overload["rss_max_kib"], "idle_rss_kib": idle_rss,
        "kib_per_connection_peak": overload["rss_max_kib"] / max(connections, 1),
        "held_back_per_s": held / max(1.0, steady_end - steady_start), "slow_closes": slow_closes(during),
        "relief_rss_kib": relief_rss,
        "probe_joined": probe_result.get("joined"), "probe_verdict": probe_result.get("verdict"),
        "probe_ack_p99_ms": lat.get("input→ack", {}).get("p99Ms"), "probe_seen_p99_ms": lat.get("move→seen", {}).get("p99Ms"),
        "probe_tick_p99_ms": quantile(0.99, probe_before.get("hall-1", {}), probe_after.get("hall-1", {})),
    }


def source_addresses(process: int, bots: int) -> str:
    """Loopback addresses for one bot process, enough to stay within the server's default
    per-address limits (200 connections, 20 upgrades a second with a burst of 60): process
    i uses 127.0.(i+1).x, one address per 100 bots and at least 25 for the ramp's rate."""
    count = min(254, max(25, (bots + 99) // 100))
    return f"127.0.{process + 1}.1-127.0.{process + 1}.{count}"


def rooms_of(groups: list[tuple[str, int, str]]) -> list[str]:
    return sorted({room for room, _, _ in groups})


def combine(reports: list[dict]) -> dict:
    def latency(name: str, key: str) -> float | None:
        values = [r["latencies"][name][key] for r in reports if name in r.get("latencies", {})
                  and r["latencies"][name]["count"] > 0]
        return max(values) if values else None   # the worst process: a conservative figure

    bytes_in = sum(r["traffic"]["bytesInPerSecond"] for r in reports)
    joined = sum(r["joined"] for r in reports)
    unexpected = sum(v for r in reports for k, v in r["disconnects"].items() if k != "finished")
    return {
        "joined": joined, "attempted": sum(r["attempted"] for r in reports),
        "errors": sum(sum(r["errors"].values()) for r in reports) + sum(sum(r["connectFailures"].values()) for r in reports),
        "disconnects": unexpected,
        "connect_p99_ms": latency("connect+welcome", "p99Ms"),
        "ack_p50_ms": latency("input→ack", "p50Ms"), "ack_p99_ms": latency("input→ack", "p99Ms"),
        "seen_p50_ms": latency("move→seen", "p50Ms"), "seen_p99_ms": latency("move→seen", "p99Ms"),
        "chat_p99_ms": latency("chat delivery", "p99Ms"),
        "bytes_in_per_bot": bytes_in / joined if joined else 0.0,
        "msgs_in_per_s": sum(r["traffic"]["messagesInPerSecond"] for r in reports),
        "verdicts": sorted({r["verdict"] for r in reports}),
        "failed_connects": merge_counts(r["connectFailures"] for r in reports),
        "bots_unreliable": any(r.get("unreliable") for r in reports),
        "quiz": next((r["quiz"] for r in reports if r.get("quiz")), None),
    }


def merge_counts(dicts) -> dict[str, int]:
    merged: dict[str, int] = {}
    for counts in dicts:
        for key, value in counts.items():
            merged[key] = merged.get(key, 0) + value
    return merged


def failed(result: dict) -> list[str]:
    """Why a run does not count as a pass: bots that did not join or stay, a bot process
    whose own verdict failed."""
    reasons = []
    if result["joined"] < result["attempted"]:
        reasons.append(f"joined {result['joined']} of {result['attempted']}"
                       + (f" (failed connects: {result['failed_connects']})" if result["failed_connects"] else ""))
    if result["disconnects"]:
        reasons.append(f"{result['disconnects']} unexpected disconnects")
    reasons += [v for v in result["verdicts"] if v.startswith("fail")]
    if result.get("quiz") and result["quiz"]["check"] != "pass":
        reasons.append("quiz verdicts: " + result["quiz"]["check"])
    if result.get("slow_closes"):
        reasons.append(f"{result['slow_closes']} connections closed as too slow (4011)")
    return reasons


def slow_closes(text: str) -> int:
    """Connections the server closed with 4011 too_slow, from /metrics."""
    found = re.search(r'^atrium_closed_total\{reason="slow_client"\} (\S+)$', text, re.M)
    return int(float(found.group(1))) if found else 0


def quiz_line(result: dict) -> str:
    quiz = result["quiz"]
    tally, master = quiz["tally"], quiz["master"]
    return (f"{quiz['check']}: {tally['matched']:,} of {quiz['expectedVerdicts']:,} verdicts match the field the bot stood on "
            f"at the deadline ({master['judged']} questions × {tally['players']:,} players; {tally['mismatched']} mismatched, "
            f"{tally['unknown']} unknown, {tally['movingAtDeadline']} still walking at the deadline)")


def saturated(result: dict) -> bool:
    """The load generator ran its core flat out: its latencies are partly its own."""
    return result["bots_unreliable"] or result["bots_cpu"] >= SATURATED_PERCENT


def median(results: list[dict], key: str):
    values = [r[key] for r in results if r.get(key) is not None]
    return statistics.median(values) if values else None


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int) or digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def table(cases: list[tuple[str, list[dict]]]) -> str:
    head = ("| case | joined | server CPU % | bots CPU % | server RSS MiB | KiB/conn (all-in) | tick p50 / p99 ms "
            "| input→ack p50 / p99 ms | move→seen p50 / p99 ms | state B/s per bot | errors / drops | bots saturated |")
    lines = [head, "|" + "---|" * 12]
    for label, results in cases:
        m = lambda key: median(results, key)   # noqa: E731
        lines.append(
            f"| {label} | {fmt(m('joined'), 0)}/{fmt(m('attempted'), 0)} | {fmt(m('server_cpu'))} | {fmt(m('bots_cpu'))} "
            f"| {fmt(m('rss_kib') / 1024 if m('rss_kib') else None)} | {fmt(m('kib_per_connection_all_in'))} "
            f"| {fmt(m('tick_p50_ms'), 2)} / {fmt(m('tick_p99_ms'), 2)} | {fmt(m('ack_p50_ms'))} / {fmt(m('ack_p99_ms'))} "
            f"| {fmt(m('seen_p50_ms'))} / {fmt(m('seen_p99_ms'))} | {fmt(m('bytes_in_per_bot'), 0)} "
            f"| {fmt(m('errors'), 0)} / {fmt(m('disconnects'), 0)} "
            f"| {sum(saturated(r) for r in results)} of {len(results)} runs |")
    return "\n".join(lines)


def saturation_table(results: list[dict]) -> str:
    lines = ["| saturation run | offered / connected | server CPU % | bots CPU % | peak RSS MiB | peak KiB/conn (all-in) "
             "| state held back /s | 4011 closes | RSS after MiB | probe: joined, tick p99 ms, input→ack p99 ms, move→seen p99 ms |",
             "|" + "---|" * 10]
    for i, r in enumerate(results):
        lines.append(f"| {i + 1} | {r['offered']:,} / {r['connections']:,} | {fmt(r['server_cpu'])} | {fmt(r['bots_cpu'])} "
                     f"| {fmt(r['rss_max_kib'] / 1024)} | {fmt(r['kib_per_connection_peak'])} | {fmt(r['held_back_per_s'], 0)} "
                     f"| {r['slow_closes']} | {fmt(r['relief_rss_kib'] / 1024)} | {fmt(r['probe_joined'], 0)}/100, "
                     f"{fmt(r['probe_tick_p99_ms'], 2)}, {fmt(r['probe_ack_p99_ms'])}, {fmt(r['probe_seen_p99_ms'])} |")
    return "\n".join(lines)


def machine() -> str:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    return f"{os.cpu_count()} × {model}, {memory} GiB, {platform.system()} {platform.release()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", required=True)
    parser.add_argument("--bots", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=40, help="seconds after the ramp")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after the ramp before measuring")
    parser.add_argument("--ramp", type=int, default=500, help="connections per second per bot process")
    parser.add_argument("--sizes", default="100,500,1000,2000")
    parser.add_argument("--behavior", default="wander:70,chatter:20,idle:10")
    parser.add_argument("--observe", default="10%", help="bots that decode every state message (atrium-bots --observe)")
    parser.add_argument("--big", type=int, default=15_000, help="connections of the many-rooms case")
    parser.add_argument("--no-big", action="store_true")
    parser.add_argument("--saturation", type=int, default=0,
                        help="wanderers of the saturation case, in rooms of 2,000 (0: no saturation case)")
    parser.add_argument("--quiz", type=int, default=2_000,
                        help="people in the OX quiz case, the moderator included (0: no quiz case)")
    parser.add_argument("--quiz-questions", type=int, default=3)
    parser.add_argument("--quiz-seconds", type=int, default=10, help="time limit of each question")
    parser.add_argument("--quiz-gather", type=float, default=25.0, help="seconds for the bots to walk to the quiz first")
    parser.add_argument("--quiz-pause", type=float, default=6.0, help="seconds to walk back after each result")
    parser.add_argument("--write", action="store_true", help="replace the load-test section of BENCHMARKS.md")
    args = parser.parse_args()

    cases: list[tuple[str, list[dict]]] = []
    failures: list[str] = []
    # (label, one (room, bots, behaviour) per bot process, extra rooms, extra server arguments, quiz)
    plans: list[tuple[str, list[tuple[str, int, str]], list[str], list[str], bool]] = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        plans.append((f"{size:,} bots, one room, {args.behavior}", [("expo-hall", size, args.behavior)], [], [], False))
    if args.quiz:
        # The room holds 2,000 with the moderator: 1,999 players and one quizmaster.
        plans.append((f"{args.quiz:,} in the OX quiz ({args.quiz - 1:,} players + moderator, {args.quiz_questions} questions)",
                      [("expo-hall", args.quiz - 1, "quiz")], [], [], True))
    if not args.no_big:
        # One bot process per room, each room at most at expo-hall's capacity (2,000).
        per_process = 2_000
        processes = (args.big + per_process - 1) // per_process
        rooms = [f"hall-{i + 1}=expo-hall" for i in range(processes)]
        groups = [(f"hall-{i + 1}", min(per_process, args.big - i * per_process), "idle:90,wander:10")
                  for i in range(processes)]
        plans.append((f"{args.big:,} connections, {processes} rooms, idle:90,wander:10", groups, rooms, [], False))

    for label, groups, rooms, server_args, quiz in plans:
        results = []
        for run in range(args.runs):
            print(f"== {label}: run {run + 1} of {args.runs}", flush=True)
            try:
                result = run_case(args, label, groups, rooms, server_args, quiz)
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                print(f"   run failed: {error}", flush=True)
                failures.append(f"{label}: {error}")
                continue
            print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in result.items()}), flush=True)
            if result.get("quiz"):
                print(f"   quiz verdict check: {quiz_line(result)}", flush=True)
            results.append(result)
        if results:
            cases.append((label, results))

    saturation: list[dict] = []
    for run in range(args.runs if args.saturation else 0):
        print(f"== saturation, {args.saturation:,} wanderers: run {run + 1} of {args.runs}", flush=True)
        try:
            result = run_saturation(args)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            print(f"   run failed: {error}", flush=True)
            failures.append(f"saturation: {error}")
            continue
        print(json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in result.items()}), flush=True)
        saturation.append(result)

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    command = f"RUNS={args.runs} DURATION={args.duration} tools/loadtest {os.environ.get('LOADTEST_ARGS', '')}".strip()
    section = "\n".join([
        SECTION_START,
        f"Measured {datetime.date.today().isoformat()} on {machine()}, commit {commit}{' (with local changes)' if dirty else ''}.",
        f"Command: `{command}`. "
        f"Medians of {args.runs} runs; server pinned to core 0, every bot process to core 1; figures over the "
        f"steady window ({args.duration - 1 - args.settle:.0f} s after the ramp and a {args.settle:.0f} s settle).",
        "",
        table(cases),
        "",
        "Server CPU % is of one core (100 = the whole of core 0); the bots' CPU is on the other core and not part of "
        "what the server costs; a run counts as saturated when the bots used 90 % of their core or more (its latencies "
        f"are then partly the bots' own). {args.observe} of the bots decode every state message and time move→seen; the "
        "rest skim for their own avatar. Bots connect from several loopback addresses, so the server runs with its "
        "default per-address limits. KiB/conn all-in is the server's whole resident memory divided by its connections. "
        "Tick times come from the server's tick histogram (interpolated inside its buckets); latencies are the worst "
        "bot process's HDR p50/p99.",
        *(["", saturation_table(saturation)] if saturation else []),
        *([""] + [f"Quiz verdict check, {label}, run {i + 1}: {quiz_line(r)}" for label, results in cases
                  for i, r in enumerate(results) if r.get("quiz")]),
        *([""] + [f"Failed run: {failure}" for failure in failures] if failures else []),
        SECTION_END,
    ])
    print()
    print(section)
    if args.write:
        path = ROOT / "BENCHMARKS.md"
        text = path.read_text() if path.exists() else "# Benchmarks\n"
        if SECTION_START in text:
            text = text.split(SECTION_START)[0] + section + text.split(SECTION_END, 1)[1]
        else:
            text = text.rstrip() + "\n\n## Load test (tools/loadtest)\n\n" + section + "\n"
        path.write_text(text)
        print(f"\nwrote {path}")
    problems = [f"{label}: {reason}" for label, results in cases for r in results for reason in failed(r)]
    problems += failures
    if problems:
        print("\nfailed runs:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Reads what tools/soak/run collected in its work folder, applies the checks and prints
the markdown section for BENCHMARKS.md. Exit status 0 when every check passed, 1 if not.

Files read from --work:
  samples.csv              t, phase, vmrss_kib, rss_anon_kib, rss_file_kib, vmhwm_kib, threads, fds,
                           cpu_ticks, connections_open, avatars (one row every 5 s)
  bots.json                atrium-bots --report (fields used: attempted, joined, peakConnected,
                           connectFailures, errors, disconnects, reconnects, verdict, latencies)
  notes.json               notewriter.py --summary (acknowledged, posted, errors, disconnects)
  notes-acknowledged.jsonl one line per acknowledged note: id, text
  export.json              atrium-server export --format json (notes[].id, .text, .room, .exhibit)
  abusers.json             abusers.py --summary
  metrics-after.txt        /metrics after the load
  server.log               the server's output
"""
import argparse
import collections
import csv
import json
import os
import platform
import re
import sys
from datetime import datetime, timezone

BOT_LATENCIES = ["connect+welcome", "input→ack", "move→seen", "chat ack", "chat delivery"]


def load_json(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def least_squares(points):
    """Slope and intercept of y over x, and the slope's standard error."""
    n = len(points)
    if n < 3:
        return None, None, None
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None, None, None
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    intercept = my - slope * mx
    residual = sum((y - (intercept + slope * x)) ** 2 for x, y in points)
    stderr = (residual / (n - 2) / sxx) ** 0.5
    return slope, intercept, stderr


def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.system()} {platform.release()} {platform.machine()}, {model}, {os.cpu_count()} cores{memory}"


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def histogram_p(metrics, name, quantile):
    """The upper bound of the bucket holding the quantile, from Prometheus text."""
    buckets = []
    for line in metrics.splitlines():
        match = re.match(rf'{name}_bucket\{{.*le="([^"]+)"\}} (\S+)', line)
        if match:
            bound = float("inf") if match.group(1) == "+Inf" else float(match.group(1))
            buckets.append((bound, float(match.group(2))))
    if not buckets or buckets[-1][1] == 0:
        return None, 0
    total = buckets[-1][1]
    for bound, count in buckets:
        if count >= quantile * total:
            return bound, int(total)
    return float("inf"), int(total)


def labelled(metrics, name):
    found = {}
    for line in metrics.splitlines():
        match = re.match(rf'{name}\{{\w+="([^"]+)"\}} (\S+)', line)
        if match:
            found[match.group(1)] = int(float(match.group(2)))
    return found


def plain(metrics, name):
    for line in metrics.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def main():
    p = argparse.ArgumentParser()
    for name in ["work", "started-at", "commit", "server-command", "bots-command", "abusers-command", "command",
                 "server-rc"]:
        p.add_argument("--" + name, required=True)
    for name in ["seconds", "bots", "ramp-seconds", "warmup", "clk-tck", "server-crashed", "bots-rc", "notes-rc",
                 "abusers-rc", "abuse", "writers"]:
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--load-end", type=float, required=True)
    p.add_argument("--max-slope", type=float, required=True, help="KiB per minute")
    a = p.parse_args()
    # The work folder is a fresh /tmp folder each run: shown as $WORK in the commands.
    for name in ["server_command", "bots_command", "abusers_command"]:
        setattr(a, name, getattr(a, name).replace(a.work.rstrip("/"), "$WORK"))
    w = lambda name: os.path.join(a.work, name)
    failures = []
    warnings = []

    # ---- samples: memory and CPU
    with open(w("samples.csv")) as f:
        rows = [r for r in csv.DictReader(f) if r.get("vmrss_kib")]
    for r in rows:
        for key in ["t", "vmrss_kib", "rss_anon_kib", "rss_file_kib", "vmhwm_kib", "threads", "fds", "cpu_ticks"]:
            r[key] = float(r[key])
    load = [r for r in rows if r["phase"] == "load"]
    window = [r for r in load if a.warmup <= r["t"] <= a.load_end]
    slope, _, stderr = least_squares([(r["t"] / 60, r["vmrss_kib"]) for r in window])
    anon_slope, _, anon_stderr = least_squares([(r["t"] / 60, r["rss_anon_kib"]) for r in window])
    # Under 5 minutes the server is still warming up (caches filling, allocator settling):
    # the slope is shown but not judged, so that a quick run tries the rest of the checks.
    judged = a.seconds >= 300
    if slope is None:
        (failures if judged else warnings).append(
            f"too few memory samples after the warm-up ({len(window)}) to compute a slope")
    elif slope > a.max_slope:
        (failures if judged else warnings).append(
            f"RSS grows {slope:.0f} KiB/min after the warm-up (threshold {a.max_slope:.0f})"
            + ("" if judged else "; not judged in a run under 5 minutes"))

    def cpu(first, last):
        if first is None or last is None or last["t"] <= first["t"]:
            return None
        return (last["cpu_ticks"] - first["cpu_ticks"]) / a.clk_tck / (last["t"] - first["t"]) * 100

    first, last = (rows[0], rows[-1]) if rows else (None, None)
    load_last = load[-1] if load else None
    cpu_window = cpu(window[0] if window else None, window[-1] if window else None)
    cpu_load = cpu(load[0] if load else None, load_last)

    # ---- the well-behaved bots (atrium-bots --report)
    bots = load_json(w("bots.json"))
    bot_lines = []
    if bots is None:
        failures.append("atrium-bots wrote no report (see bots.log)")
    else:
        unexpected_disconnects = {k: v for k, v in bots["disconnects"].items() if k != "finished"}
        finished = bots["disconnects"].get("finished", 0)
        if bots["attempted"] != a.bots or bots["joined"] != a.bots or bots["peakConnected"] != a.bots:
            failures.append(f"bots: attempted {bots['attempted']}, joined {bots['joined']}, "
                            f"peak connected {bots['peakConnected']} of {a.bots}")
        if bots["connectFailures"]:
            failures.append(f"bots: failed connects {bots['connectFailures']}")
        if unexpected_disconnects:
            failures.append(f"well-behaved bots disconnected: {unexpected_disconnects}")
        # `errors` counts error answers from the server and failed requests of the bots. A
        # chatter whose chat is still unanswered when the harness makes it leave counts a
        # "not connected" error after "stopping the bots…": a harness artefact, not the
        # server's doing. So errors count as failures only if the last progress line before
        # the stop already showed them, or if they are anything else.
        errors_before_stop = None
        try:
            log = open(w("bots.log"), encoding="utf-8", errors="replace").read().split("stopping the bots")[0]
            progress = re.findall(r"errors (\d+)\s*$", log, re.M)
            errors_before_stop = int(progress[-1]) if progress else None
        except OSError:
            pass
        at_stop = {k: v for k, v in bots["errors"].items() if k == "not connected"}
        other_errors = {k: v for k, v in bots["errors"].items() if k != "not connected"}
        if other_errors or (at_stop and errors_before_stop != 0):
            failures.append(f"bots received errors: {bots['errors']}")
        elif at_stop:
            warnings.append(f"bots: {sum(at_stop.values())} chat request(s) failed with 'not connected' after the harness "
                            f"told the bots to leave (atrium-bots counts a chat in flight at the stop as an error)")
        if bots["reconnects"]:
            failures.append(f"bots reconnected {bots['reconnects']} times")
        if finished != a.bots:
            failures.append(f"only {finished} of {a.bots} bots ended by leaving when told (disconnects.finished)")
        if a.bots_rc != 0:
            failures.append(f"atrium-bots exited {a.bots_rc} (verdict: {bots.get('verdict')})")
    # ---- note writers and the export
    notes = load_json(w("notes.json"), {})
    acknowledged = {}
    try:
        with open(w("notes-acknowledged.jsonl"), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    entry = json.loads(line)
                    acknowledged[entry["id"]] = entry["text"]
    except OSError:
        pass
    export = load_json(w("export.json"))
    missing = {}
    exported = {}
    if export is None:
        failures.append("atrium-server export produced nothing (see export.log)")
    else:
        exported = {n["id"]: n for n in export["notes"]}
        for note_id, text in acknowledged.items():
            stored = exported.get(note_id)
            if stored is None or stored["text"] != text or stored["exhibit"] != "cheer-wall" or stored["room"] != "expo-hall":
                missing[note_id] = text
    if missing:
        failures.append(f"{len(missing)} acknowledged notes missing from the export: "
                        + ", ".join(f"{k}: {v!r}" for k, v in list(missing.items())[:5]))
    if not acknowledged:
        failures.append("no note was acknowledged, so nothing was checked")
    if notes.get("disconnects"):
        failures.append(f"note writers disconnected: {notes['disconnects']}")
    if notes.get("errors"):
        warnings.append(f"note writers got errors: {notes['errors']}")
    if a.notes_rc != 0:
        failures.append(f"notewriter.py exited {a.notes_rc} (see notes.log)")

    # ---- the server
    if a.server_crashed:
        failures.append(f"the server died during the run (exit status {a.server_rc}); see server.log")
    elif a.server_rc != "0":
        failures.append(f"the server exited {a.server_rc} after SIGTERM, not 0")
    log = open(w("server.log"), encoding="utf-8", errors="replace").read()
    levels = collections.Counter(m.group(1) for m in re.finditer(r"^\d{4}-\d\d-\d\dT\S+ (\w+) ", log, re.M))
    notable = [line for line in log.splitlines()
               if re.search(r" (error|critical) |Fatal|fatal|panic|Crash|Segmentation|backtrace", line)]
    warning_kinds = collections.Counter(re.sub(r"^\S+ warning atrium: (connection=\d+ )?", "", line)[:100]
                                        for line in log.splitlines() if " warning " in line)
    if notable:
        warnings.append(f"{len(notable)} error-level lines in server.log, e.g. {notable[0][:200]!r}")
    metrics = open(w("metrics-after.txt"), encoding="utf-8", errors="replace").read() if os.path.exists(w("metrics-after.txt")) else ""
    settle = [r for r in rows if r["phase"] == "settle"]
    if settle and settle[-1].get("connections_open") not in ("", None) and int(settle[-1]["connections_open"]) > 1:
        warnings.append(f"{settle[-1]['connections_open']} connections still open on the server after the load "
                        f"(only the sampler's /metrics request was expected)")
    if settle and settle[-1].get("avatars") not in ("", None) and int(settle[-1]["avatars"]) > 0:
        warnings.append(f"{settle[-1]['avatars']} avatars still in the room after the load and the 30 s grace")

    # ---- responsiveness: /healthz once a second
    probes = []
    try:
        with open(w("probe.csv")) as f:
            for row in csv.DictReader(f):
                try:
                    probes.append((float(row["t"]), float(row["seconds"])))
                except (TypeError, ValueError):
                    pass
    except OSError:
        pass
    slow = [(t, s) for t, s in probes if s > 1.0]
    if slow:
        worst = max(slow, key=lambda p: p[1])
        warnings.append(f"the server was unresponsive: {len(slow)} of {len(probes)} /healthz probes took over 1 s, "
                        f"the worst {worst[1]:.1f} s at t = {worst[0]:.0f} s"
                        + (" (thread stacks during the first stall: stall.txt in the work folder)"
                           if os.path.exists(w("stall.txt")) else ""))

    # ---- abusers
    abusers = load_json(w("abusers.json"))
    if a.abuse:
        if abusers is None:
            failures.append("abusers.py wrote no summary (see abusers.log)")
        else:
            for u in abusers["unexpected"]:
                warnings.append(f"abuser {u['category']}/{u['kind']}: unexpected outcome {u['outcome']} ×{u['count']}")
            if a.abusers_rc != 0:
                warnings.append(f"abusers.py exited {a.abusers_rc}")

    # ---- the section
    out = []
    date = a.started_at[:10]
    verdict = "PASS" if not failures else "FAIL"
    out.append(f"## Soak: {a.bots} bots and abusive clients for {a.seconds // 60} min ({date})\n")
    out.append(f"- **Verdict: {verdict}**" + ("" if not failures else " — " + "; ".join(failures)))
    out.append(f"- Started {a.started_at}, commit `{a.commit}`")
    out.append(f"- Machine: {machine()}")
    out.append(f"- Command: `{a.command}`; server on core 0, everything else on core 1, loopback only; "
               f"`$WORK` is the run's work folder (`{a.work}`)")
    out.append(f"- Server: `{a.server_command}`")
    out.append("  (per-IP limits raised for the run, since every well-behaved bot connects from 127.0.0.1: "
               "200 → 1000 connections per IP, 20/s:60 → 200/s:400 upgrades per IP; every other setting is the default)")
    out.append(f"- Bots: `{a.bots_command}`")
    if a.abuse:
        out.append(f"- Abusers: `{a.abusers_command}` (sources 127.0.0.2–6); note writers: {a.writers} on 127.0.0.1, "
                   f"one note each every {notes.get('everySeconds', '?')} s")
    out.append("")
    out.append("| check | result |")
    out.append("|---|---|")
    if bots:
        out.append(f"| well-behaved bots | joined {bots['joined']}/{a.bots}, peak connected {bots['peakConnected']}, "
                   f"disconnects other than their own leave {sum(v for k, v in bots['disconnects'].items() if k != 'finished')}, "
                   f"errors {sum(bots['errors'].values())}, failed connects {sum(bots['connectFailures'].values())}, "
                   f"reconnects {bots['reconnects']} |")
    out.append(f"| note writers | {notes.get('writers', '?')} writers, disconnects {sum(notes.get('disconnects', {}).values())}, "
               f"errors {sum(notes.get('errors', {}).values())} |")
    out.append(f"| nothing acknowledged lost | {len(acknowledged)} notes acknowledged, "
               f"{len(acknowledged) - len(missing)} found in the export after SIGTERM, {len(missing)} missing "
               f"({len(exported)} notes in the export) |")
    out.append(f"| server | " + (f"died during the run, exit status {a.server_rc}" if a.server_crashed
                                   else f"no crash; exit status {a.server_rc} on SIGTERM") + " |")
    if slope is not None:
        out.append(f"| RSS slope, t = {a.warmup}–{a.load_end:.0f} s ({len(window)} samples) | "
                   f"{slope:+.0f} ± {stderr:.0f} KiB/min (anonymous memory {anon_slope:+.0f} ± {anon_stderr:.0f}); "
                   + (f"threshold {a.max_slope:.0f} KiB/min |" if judged else "not judged: a run under 5 minutes is still warming up |"))
    out.append("")
    if rows:
        warm = window[0] if window else None
        peak = max(rows, key=lambda r: r["vmrss_kib"])
        out.append("Server process (sampled every 5 s from /proc; t from the start of the load):\n")
        out.append("| | t (s) | VmRSS | RssAnon | threads | fds |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for label, r in [("start (before the bots)", first), ("end of warm-up", warm), ("end of the load", load_last),
                         ("after the load settled", settle[-1] if settle else None), ("max VmRSS", peak)]:
            if r:
                out.append(f"| {label} | {r['t']:.0f} | {mib(r['vmrss_kib'])} | {mib(r['rss_anon_kib'])} | "
                           f"{r['threads']:.0f} | {r['fds']:.0f} |")
        out.append(f"\nVmHWM (peak resident) {mib(last['vmhwm_kib'])}. Server CPU: "
                   + (f"{cpu_window:.0f} % of one core after the warm-up, " if cpu_window is not None else "")
                   + (f"{cpu_load:.0f} % over the whole load." if cpu_load is not None else ""))
        if probes:
            latencies = sorted(s for _, s in probes)
            out.append(f"/healthz once a second ({len(probes)} probes): p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, "
                       f"p99 {latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000:.1f} ms, "
                       f"max {latencies[-1] * 1000:.0f} ms; {len(slow)} over 1 s.")
        tick_p99, ticks = histogram_p(metrics, "atrium_tick_duration_seconds", 0.99)
        if tick_p99 is not None:
            line = f"Tick duration p99 ≤ {tick_p99 * 1000:g} ms (histogram bucket, {ticks} ticks"
            try:
                uptime = float(open(w("metrics-after.uptime")).read())
                expected = uptime * 20
                line += f" of ~{expected:.0f} due at 20 Hz in {uptime:.0f} s"
                if ticks < 0.97 * expected:
                    warnings.append(f"the room ran {ticks} ticks in {uptime:.0f} s, ~{expected - ticks:.0f} fewer than 20 Hz "
                                    f"asks for: its queue was held up for ~{(expected - ticks) / 20:.0f} s in all")
            except (OSError, ValueError):
                pass
            out.append(line + ").")
        out.append("")
    if bots:
        out.append(f"Bots (`atrium-bots` report, {bots['elapsedSeconds']:.0f} s, behaviour {bots['settings']['behavior']}):\n")
        out.append("| latency | count | p50 ms | p99 ms | p99.9 ms | max ms |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for name in BOT_LATENCIES:
            s = bots["latencies"].get(name)
            if s and s["count"]:
                out.append(f"| {name} | {s['count']} | {s['p50Ms']:.2f} | {s['p99Ms']:.2f} | {s['p999Ms']:.2f} | {s['maxMs']:.2f} |")
        t = bots["traffic"]
        out.append(f"\nTraffic to the bots {t['bytesInPerSecond'] / 1000:.1f} KB/s ({t['bytesInPerBotPerSecond']:.0f} B/s per bot), "
                   f"{t['messagesInPerSecond']:.0f} messages/s; from the bots {t['messagesOutPerSecond']:.0f} messages/s.\n")
    if a.abuse and abusers:
        out.append(f"Abusers ({abusers['elapsedSeconds']:.0f} s; every connection's outcome, and the errors the server sent):\n")
        out.append("| category | kind | connections | outcomes | errors received |")
        out.append("|---|---|---:|---|---|")
        for category, kinds in abusers["categories"].items():
            for kind, e in kinds.items():
                outcomes = ", ".join(f"{k} ×{v}" for k, v in e["outcomes"].items())
                if e.get("heldSeconds"):
                    h = e["heldSeconds"]
                    outcomes += f" (held {h['min']}–{h['max']} s)"
                errors = ", ".join(f"{k} ×{v}" for k, v in e.get("errors", {}).items())
                out.append(f"| {category} | {kind} | {e['connections']} | {outcomes} | {errors} |")
        out.append(f"\nIn all: " + ", ".join(f"{c} {n}" for c, n in abusers["totals"].items()) + " connections.")
        refused = plain(metrics, "atrium_connections_refused_total")
        server_errors = labelled(metrics, "atrium_errors_total")
        if server_errors:
            out.append("The server's own count of errors it answered (`atrium_errors_total`): "
                       + ", ".join(f"{k} {v}" for k, v in sorted(server_errors.items(), key=lambda kv: -kv[1]))
                       + (f"; connections refused at accept: {refused:.0f}." if refused is not None else "."))
        out.append("")
    if warning_kinds or notable:
        out.append("Server log (`--log-level warning`): " + ", ".join(f"{k} {v}" for k, v in levels.most_common())
                   + " lines; most frequent: " + "; ".join(f"“{k}” ×{v}" for k, v in warning_kinds.most_common(3)) + ".\n")
    if warnings:
        out.append("Warnings (not failures):\n")
        out.extend(f"- {x}" for x in warnings)
        out.append("")
    if failures:
        out.append("Failures:\n")
        out.extend(f"- {x}" for x in failures)
        out.append("")
    print("\n".join(out))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())

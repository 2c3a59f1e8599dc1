"""Failover and seat figures for tools/cluster-failover (see there)."""
import os
import statistics
import subprocess
import time

from cluster_processes import Cluster, Postgres, Visitor

RUNS, LEASE, SEATS = int(os.environ["RUNS"]), int(os.environ["LEASE"]), int(os.environ["SEATS"])


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    postgres = Postgres()
    failovers = []
    try:
        for run in range(RUNS):
            cluster = Cluster(postgres.url, names=("a", "b", "c"), lease=LEASE)
            try:
                visitor = Visitor(cluster, f"Runner {run}")
                visitor.join()
                owner = visitor.node
                killed = time.monotonic()
                cluster.kill(owner)
                visitor.wait_dropped()
                visitor.join(within=LEASE + 30)
                elapsed = time.monotonic() - killed
                assert visitor.node != owner
                failovers.append(elapsed)
                print(f"run {run + 1}: node {owner} killed, rejoined on {visitor.node} after {elapsed:.2f} s", flush=True)
                if run == RUNS - 1:
                    through, direct = [], []
                    port = cluster.ports[visitor.node]
                    for _ in range(SEATS):
                        started = time.perf_counter()
                        assert cluster.get("/api/seat?room=plaza")[0] == 200
                        through.append(time.perf_counter() - started)
                        started = time.perf_counter()
                        assert cluster.get("/api/seat?room=plaza", port=port)[0] == 200
                        direct.append(time.perf_counter() - started)
            finally:
                cluster.stop()
    finally:
        postgres.stop()
    print(f"\ncommit {commit}, {os.environ.get('BUILD', 'release')} build, lease {LEASE} s, {RUNS} runs, 3 nodes")
    print(f"kill -9 → rejoined: median {statistics.median(failovers):.2f} s (runs: {', '.join(f'{v:.2f}' for v in failovers)})")
    for label, values in (("through nginx", through), ("straight to the owner", direct)):
        ms = [v * 1000 for v in values]
        print(f"seat lookup {label}: p50 {percentile(ms, 0.5):.2f} ms, p99 {percentile(ms, 0.99):.2f} ms ({len(ms)} requests)")


if __name__ == "__main__":
    main()

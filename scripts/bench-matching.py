#!/usr/bin/env python3
"""Times candidate matching at scale (release builds), with baselines from the same run:
   1. eval-matching in process: one query among CASES cases (median and 99th percentile), all
      queries for the found children one by one and on every core, and the same queries
      scoring every case with no index;
   2. the real reunite binary on a node holding the same records: `reunite candidates` for a
      sample of found children against `reunite show` of the same record (the cost of starting
      the process and opening the node).
usage: bench-matching.py REUNITE EVAL_MATCHING [CASES [FOUND_WITH_CASE [DECOYS]]]
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

reunite, evaluate = sys.argv[1], sys.argv[2]
cases = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
with_case = int(sys.argv[4]) if len(sys.argv) > 4 else 8_000
decoys = int(sys.argv[5]) if len(sys.argv) > 5 else 2_000
work = tempfile.mkdtemp(prefix="reunite-match-bench-")
export = os.path.join(work, "population")

command = [evaluate, "--cases", str(cases), "--found", str(with_case), "--decoys", str(decoys), "--bench", "--json",
           "--export", export]
print("== " + " ".join(command), file=sys.stderr)
m = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)

node = os.path.join(work, "node")
subprocess.run([reunite, "init", "--name", "bench", "--data", node], check=True, stdout=subprocess.DEVNULL)
for name in ("cases.jsonl", "found.jsonl"):
    subprocess.run([reunite, "import", os.path.join(export, name), "--data", node], check=True,
                   stdout=subprocess.DEVNULL)
found = json.loads(subprocess.run([reunite, "list", "found", "--json", "--data", node], check=True,
                                  capture_output=True, text=True).stdout)
sample = [record["id"] for record in found[:: max(1, len(found) // 15)]][:15]


def wall(*args):
    start = time.perf_counter()
    subprocess.run([reunite, *args, "--data", node], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


candidates = [wall("candidates", record, "--json") for record in sample]
shows = [wall("show", record, "--json") for record in sample]

n = f"{m['cases']:,}"
print(f"| matching measurement ({n} cases, {m['foundWithCase'] + m['decoys']:,} found children) | reunite | baseline | ratio |")
print("| --- | --- | --- | --- |")
print(f"| one query, in process: median / 99th percentile | {m['queryMedianMs']:.1f} ms / {m['queryP99Ms']:.1f} ms | "
      f"every case scored, no index: {m['everyPairMsPerQuery']:.1f} ms a query | {m['indexSpeedup']:.1f}x faster |")
print(f"| all {m['foundWithCase'] + m['decoys']:,} queries, one core | {m['allQueriesSeconds']:.1f} s | | |")
print(f"| all {m['foundWithCase'] + m['decoys']:,} queries, every core | {m['allQueriesParallelSeconds']:.1f} s | | |")
print(f"| `reunite candidates ID --json` as a process: median / slowest of {len(sample)} | "
      f"{statistics.median(candidates) * 1000:.0f} ms / {max(candidates) * 1000:.0f} ms | "
      f"`reunite show ID --json`: {statistics.median(shows) * 1000:.0f} ms | "
      f"{statistics.median(candidates) / statistics.median(shows):.1f}x |")
print()
print(f"Recall on the same population (seed {m['seed']}): with DNA on both sides, at 1 "
      f"{m['recallAt1WithDNA']:.1f} % and at 5 {m['recallAt5WithDNA']:.1f} % of {m['pairsWithDNA']} pairs; without, "
      f"at 1 {m['recallAt1WithoutDNA']:.1f} % and at 5 {m['recallAt5WithoutDNA']:.1f} % of {m['pairsWithoutDNA']} "
      f"({m['recallAt1WithoutDNASharingNameOrMark']:.1f} % and {m['recallAt5WithoutDNASharingNameOrMark']:.1f} % of the "
      f"{m['pairsWithoutDNASharingNameOrMark']} that share a name sound or a mark); decoys led by a case at a DNA index "
      f"above 10,000: {m['decoysLedByDNAAbove10000']} of {m['decoys']}.")

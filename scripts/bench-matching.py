#!/usr/bin/env python3
"""Times candidate matching at scale (release builds), with baselines from the same run:
   1. eval-matching in process: one query among CASES cases (median and 99th percentile), all
      queries for the found children one by one and on every core, and the same queries
      scoring every case with no index;
   2. the real reunite binary on a node holding the same records: `reunite candidates` for a
      sample of found children, reading the records an earlier process kept prepared
      (matching.cache) against the same process with nothing kept, in turn; again just after a
      record is added; `reunite show` of the same record (the cost of starting the process and
      opening the node); and every found child's candidates from one process;
   3. a running `reunite serve` on that node, over HTTP on 127.0.0.1: candidates through
      /api/v1 and the record page, which keep the prepared records and indexes between
      requests, against reading the same record through /api/v1; the case list; and both again
      just after a record is added, when only the changed records are read again (against the
      first request after the server starts, which reads every record).
usage: bench-matching.py REUNITE EVAL_MATCHING [CASES [FOUND_WITH_CASE [DECOYS]]]
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

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


def wall(*args, stdin=None):
    start = time.perf_counter()
    subprocess.run([reunite, *args, "--data", node], check=True, stdout=subprocess.DEVNULL, input=stdin)
    return time.perf_counter() - start


# A candidates process reads what describing the records gave from the node's folder
# (matching.cache) when an earlier one kept it there; with nothing kept, it reads and describes
# every record, then keeps them. Measured in turn, record by record.
kept_file = os.path.join(node, "matching.cache")
nothing_kept, candidates = [], []
for record in sample:
    if os.path.exists(kept_file):
        os.remove(kept_file)
    nothing_kept.append(wall("candidates", record, "--json"))
    candidates.append(wall("candidates", record, "--json"))
shows = [wall("show", record, "--json") for record in sample]
# Just after a found child is recorded, that child's candidates: the kept records, with the few
# recorded since described again beside them.
after_recording = []
for n in range(5):
    recorded = json.loads(subprocess.run(
        [reunite, "record-found", "--found-on", "2016-05-10", "--place", "山东临沂救助站", "--sex", "male",
         "--age-months", str(40 + n), "--name", "Xiao Ming", "--reported-by", "临沂救助站", "--data", node, "--json"],
        check=True, capture_output=True).stdout)["id"]
    after_recording.append(wall("candidates", recorded, "--json"))
# Just after a correction: the record as corrected held beside the kept ones, their own version
# left out.
after_correction = []
for n in range(5):
    subprocess.run([reunite, "correct", sample[n], "--set", "marks=左脸有痣", "--reason", "核对", "--data", node],
                   check=True, stdout=subprocess.DEVNULL)
    after_correction.append(wall("candidates", sample[n], "--json"))
# Just after more records came than are held beside the kept ones (50): those brought up to date
# from their parts and written back.
after_import = []
for n in range(3):
    lines = [json.dumps({"kind": "childFound", "foundOn": "2016-05", "place": "山东临沂救助站", "sex": "female",
                         "ageMonths": 30 + m, "reportedBy": "临沂救助站"}, ensure_ascii=False) for m in range(60)]
    subprocess.run([reunite, "import", "-", "--data", node], input="\n".join(lines).encode(), check=True,
                   stdout=subprocess.DEVNULL)
    after_import.append(wall("candidates", sample[n], "--json"))
# Every found child's candidates from one process, as a nightly script would ask for them: the
# ids on standard input ("-"), since as arguments the argument parser takes seconds over them.
every_found = [record["id"] for record in found]
all_in_one = wall("candidates", "-", "--json", "--limit", "5", stdin="\n".join(every_found).encode())



def serve():
    """A `reunite serve` of the node, a signed-in API token and a signed-in page cookie."""
    subprocess.run([reunite, "staff", "add", "bench", "--data", node], input="correct horse battery\n", text=True,
                   check=True, stdout=subprocess.DEVNULL)
    log = open(os.path.join(work, "serve.log"), "w+")
    process = subprocess.Popen([reunite, "serve", "--listen", "127.0.0.1:0", "--data", node], stdout=log,
                               stderr=subprocess.DEVNULL)
    for _ in range(300):
        log.seek(0)
        found_port = re.search(r"on http://127.0.0.1:(\d+)", log.read())
        if found_port:
            break
        time.sleep(0.1)
    url = f"http://127.0.0.1:{found_port.group(1)}"
    body = json.dumps({"name": "bench", "password": "correct horse battery"}).encode()
    request = urllib.request.Request(url + "/api/v1/sessions", data=body, headers={"Content-Type": "application/json"})
    token = json.load(urllib.request.urlopen(request))["token"]
    return process, url, token


def get(url, headers):
    start = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=600) as response:
        response.read()
    return time.perf_counter() - start


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


server, url, token = serve()
api = {"Authorization": "Bearer " + token}
page = {"Cookie": "reunite_session=" + token}
web_sample = [record["id"] for record in found[:: max(1, len(found) // 200)]][:200]
first = get(f"{url}/api/v1/records/{web_sample[0]}/candidates", api)
api_candidates = [get(f"{url}/api/v1/records/{record}/candidates", api) for record in web_sample]
api_records = [get(f"{url}/api/v1/records/{record}", api) for record in web_sample]
record_pages = [get(f"{url}/records/{record}", page) for record in web_sample[:50]]
words = ("小", "明", "2012", "痣", "河南", "mole", "李", "2015-0", "浙江", "xyz", "王", "d3s")
first_list = get(f"{url}/cases?q=" + urllib.parse.quote(words[0]), page)
case_lists = [get(f"{url}/cases?q=" + urllib.parse.quote(word), page) for word in words[1:]]


def post(url, headers, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={**headers, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)


def review_complete(headers):
    """The seconds until /api/v1/review answers complete, whether its first answer was, and the pairs."""
    start = time.perf_counter()
    answers = 0
    while True:
        with urllib.request.urlopen(urllib.request.Request(f"{url}/api/v1/review", headers=headers),
                                    timeout=600) as response:
            body = json.load(response)
        answers += 1
        if body["complete"]:
            return time.perf_counter() - start, answers == 1, body["pairs"]
        time.sleep(0.2)


# The review asks every open found child once; after that, each new event only the found
# children it concerns.
full_review, _, review_pairs = review_complete(api)


# The ledger grows by one record at a time, as staff record children: the server reads only
# the records that changed, not every record again.
after_found, after_case, review_after_case, review_after_rejection = [], [], [], []
for n in range(10):
    created = post(f"{url}/api/v1/events", api, {
        "kind": "childFound", "foundOn": "2016-05-10", "place": "山东临沂救助站", "sex": "male", "ageMonths": 40 + n,
        "name": "Xiao Ming", "marks": "mole on the left cheek", "reportedBy": "临沂救助站"})
    after_found.append(get(f"{url}/api/v1/records/{created['id']}/candidates", api))
    post(f"{url}/api/v1/events", api, {
        "kind": "abductionReported", "childName": f"王小明{n}", "sex": "male", "born": "2012-01",
        "missingSince": "2015-03-01", "place": "四川成都", "reporterName": "王建国"})
    after_case.append(get(f"{url}/cases?q=" + urllib.parse.quote(words[n % len(words)]), page))
    if n < 5:
        review_after_case.append(review_complete(api)[:2])
        pair = review_pairs[n]
        post(f"{url}/api/v1/events", api, {"kind": "matchRejected", "caseId": pair["id"], "foundId": pair["found"],
                                            "decidedBy": "bench"})
        review_after_rejection.append(review_complete(api)[:2])
        still_listed = [p for p in review_complete(api)[2] if (p["id"], p["found"]) == (pair["id"], pair["found"])]
        assert not still_listed, "a rejected pair is still waiting for review"
server.terminate()
server.wait()

n = f"{m['cases']:,}"
print(f"| matching measurement ({n} cases, {m['foundWithCase'] + m['decoys']:,} found children) | reunite | baseline | ratio |")
print("| --- | --- | --- | --- |")
print(f"| one query, in process: median / 99th percentile | {m['queryMedianMs']:.1f} ms / {m['queryP99Ms']:.1f} ms | "
      f"every case scored, no index: {m['everyPairMsPerQuery']:.1f} ms a query | {m['indexSpeedup']:.1f}x faster |")
print(f"| found children whose best case (scoring every case) blocking hid | {m['blockingMissedBest']:.0f} of "
      f"{m['blockingSample']:.0f} | | |")
print(f"| all {m['foundWithCase'] + m['decoys']:,} queries, one core | {m['allQueriesSeconds']:.1f} s | | |")
print(f"| all {m['foundWithCase'] + m['decoys']:,} queries, every core | {m['allQueriesParallelSeconds']:.1f} s | | |")
print(f"| `reunite candidates ID --json` as a process, the records kept prepared in the node's folder: "
      f"median / slowest of {len(sample)} | {statistics.median(candidates) * 1000:.0f} ms / "
      f"{max(candidates) * 1000:.0f} ms | the same with nothing kept (reads and describes every record, then "
      f"keeps them): {statistics.median(nothing_kept) * 1000:.0f} ms | "
      f"{statistics.median(nothing_kept) / statistics.median(candidates):.1f}x faster |")
print(f"| the same for a found child just recorded (those recorded since described again beside the kept ones): "
      f"median / slowest of {len(after_recording)} | {statistics.median(after_recording) * 1000:.0f} ms / "
      f"{max(after_recording) * 1000:.0f} ms | | |")
print(f"| the same just after a correction (the record as corrected held beside the kept ones): median / "
      f"slowest of {len(after_correction)} | {statistics.median(after_correction) * 1000:.0f} ms / "
      f"{max(after_correction) * 1000:.0f} ms | | |")
print(f"| the same just after 60 found children are imported (the kept records brought up to date and written "
      f"back): median / slowest of {len(after_import)} | {statistics.median(after_import) * 1000:.0f} ms / "
      f"{max(after_import) * 1000:.0f} ms | | |")
print(f"| `reunite show ID --json` (a process starting and opening the node) | "
      f"{statistics.median(shows) * 1000:.0f} ms | | |")
print(f"| `reunite candidates - --json --limit 5`, ids on standard input, for all {len(every_found):,} found children, one process | "
      f"{all_in_one:.1f} s | all queries on every core, in process: {m['allQueriesParallelSeconds']:.1f} s | "
      f"{all_in_one / m['allQueriesParallelSeconds']:.2f}x |")
print(f"| `GET /api/v1/records/ID/candidates` on a running `reunite serve`: median / 99th percentile of "
      f"{len(api_candidates)} | {statistics.median(api_candidates) * 1000:.1f} ms / {p99(api_candidates) * 1000:.1f} ms | "
      f"`GET /api/v1/records/ID`: {statistics.median(api_records) * 1000:.1f} ms | "
      f"{statistics.median(api_candidates) / statistics.median(api_records):.1f}x |")
print(f"| the first of those after the server starts (reads the records kept prepared, builds both indexes) | "
      f"{first:.1f} s | | |")
print(f"| the record page with its five candidates (HTML): median / slowest of {len(record_pages)} | "
      f"{statistics.median(record_pages) * 1000:.0f} ms / {max(record_pages) * 1000:.0f} ms | | |")
print(f"| the case list searched for a word: median / slowest of {len(case_lists)} | "
      f"{statistics.median(case_lists) * 1000:.0f} ms / {max(case_lists) * 1000:.0f} ms | | |")
print(f"| the first case list after the server starts (reads and keeps every case) | {first_list:.1f} s | | |")
print(f"| candidates of a found child just recorded through /api/v1/events (only changed records read "
      f"again): median / slowest of {len(after_found)} | {statistics.median(after_found) * 1000:.0f} ms / "
      f"{max(after_found) * 1000:.0f} ms | the first after the server starts: {first:.1f} s | "
      f"{first / statistics.median(after_found):.1f}x faster |")
print(f"| the case list searched just after a case is recorded: median / slowest of {len(after_case)} | "
      f"{statistics.median(after_case) * 1000:.0f} ms / {max(after_case) * 1000:.0f} ms | the first after the "
      f"server starts: {first_list:.1f} s | {first_list / statistics.median(after_case):.1f}x faster |")
print(f"| the review page's pairs, the first time (every open found child asked, in the background) | "
      f"{full_review:.1f} s, {len(review_pairs):,} pairs | | |")
for label, how, times in (
        ("a case is recorded", "only the found children it could lead asked again, and it weighed beside the best "
         "of those it comes near", review_after_case),
        ("a pair is rejected", "only the found children it concerns asked again", review_after_rejection)):
    print(f"| the review after {label} ({how}): median / slowest of "
          f"{len(times)}{', each complete at its first answer' if all(f for _, f in times) else ''} | "
          f"{statistics.median(t for t, _ in times) * 1000:.0f} ms / {max(t for t, _ in times) * 1000:.0f} ms | "
          f"every open found child asked: {full_review:.1f} s | "
          f"{full_review / statistics.median(t for t, _ in times):.0f}x faster |")
print()
print(f"Recall on the same population (seed {m['seed']}): with DNA on both sides, at 1 "
      f"{m['recallAt1WithDNA']:.1f} % and at 5 {m['recallAt5WithDNA']:.1f} % of {m['pairsWithDNA']} pairs; without, "
      f"at 1 {m['recallAt1WithoutDNA']:.1f} % and at 5 {m['recallAt5WithoutDNA']:.1f} % of {m['pairsWithoutDNA']} "
      f"({m['recallAt1WithoutDNASharingNameOrMark']:.1f} % and {m['recallAt5WithoutDNASharingNameOrMark']:.1f} % of the "
      f"{m['pairsWithoutDNASharingNameOrMark']} that share a name sound or a mark; "
      f"{m['recallAt1WithoutDNAFoundGivingNameOrMarks']:.1f} % and {m['recallAt5WithoutDNAFoundGivingNameOrMarks']:.1f} % "
      f"of those whose found child gives a name or marks, {m['pairsWithoutDNAFoundSilent']} giving neither); decoys "
      f"led by a case at a DNA index above 10,000: {m['decoysLedByDNAAbove10000']} of {m['decoys']}.")

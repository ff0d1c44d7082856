#!/usr/bin/env python3
"""Times the real reunite binary against baselines run side by side on the same machine.

Each figure is the median of several runs; each ratio compares two numbers measured in
this run, since the machine is shared and absolute times drift.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

BIN, COUNT = sys.argv[1], int(sys.argv[2])
HERE = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="reunite-bench-")
rows = []


def run(*args, stdin=None):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stdin=stdin)


def timed(function, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fresh_node(name):
    path = os.path.join(work, name)
    shutil.rmtree(path, ignore_errors=True)
    run(BIN, "init", "--name", name, "--data", path)
    return path


def report(what, ours, baseline_name, baseline, unit_count, unit):
    rows.append((what, ours, unit_count / ours, unit, baseline_name, baseline, ours / baseline))


backlog = os.path.join(work, "backlog.jsonl")
with open(backlog, "w") as out:
    subprocess.run([sys.executable, os.path.join(HERE, "gen-backlog.py"), str(COUNT), "2026"], stdout=out, check=True)
size = os.path.getsize(backlog)
print(f"backlog: {COUNT} events, {size / COUNT:.0f} bytes a line", file=sys.stderr)

# Bulk import, signing included, against the sqlite3 shell inserting the same rows.
def import_once():
    node = fresh_node("import")
    run(BIN, "import", backlog, "--data", node)

import_time = timed(import_once)
node = os.path.join(work, "import")
dump = os.path.join(work, "rows.sql")
schema = subprocess.run(["sqlite3", f"{node}/ledger.sqlite", ".schema event"], capture_output=True, text=True, check=True).stdout
schema += subprocess.run(["sqlite3", f"{node}/ledger.sqlite", ".schema record"], capture_output=True, text=True, check=True).stdout
schema = "\n".join(line for line in schema.splitlines() if "TRIGGER" not in line and "RAISE" not in line and "END;" not in line)
with open(dump, "w") as out:
    out.write("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nBEGIN;\n")
    for table in ("event", "record"):
        out.flush()
        subprocess.run(["sqlite3", f"{node}/ledger.sqlite", f".mode insert {table}", f"SELECT * FROM {table}"], stdout=out, check=True)
    out.write("COMMIT;\n")

def baseline_import():
    path = os.path.join(work, "baseline.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    run("sqlite3", path, schema)
    with open(dump) as sql:
        run("sqlite3", path, stdin=sql)

baseline_time = timed(baseline_import)
report(f"import {COUNT:,} events (parse, check, sign, store)", import_time,
       "sqlite3 shell inserting the same event and record rows, one transaction", baseline_time, COUNT, "events/s")

# Verify: every signature, hash link, and the fold, against SQLite's own integrity check.
verify_time = timed(lambda: run(BIN, "verify", "--data", node))
integrity_time = timed(lambda: run("sqlite3", f"{node}/ledger.sqlite", "PRAGMA integrity_check"))
report(f"verify {COUNT:,} events", verify_time, "sqlite3 PRAGMA integrity_check of the same file", integrity_time, COUNT, "events/s")

# Rebuild the read model from the log, against copying the record table with SQL.
rebuild_time = timed(lambda: run(BIN, "rebuild", "--data", node))
copy_time = timed(lambda: run("sqlite3", f"{node}/ledger.sqlite",
                              "PRAGMA synchronous=FULL; BEGIN; DROP TABLE IF EXISTS copy; CREATE TABLE copy AS SELECT * FROM record; DROP TABLE copy; COMMIT;"))
report(f"rebuild the read model from {COUNT:,} events", rebuild_time,
       "sqlite3 copying the record table (CREATE TABLE AS SELECT)", copy_time, COUNT, "events/s")

# Reading out the whole log: export and log --json print as they read, so that their memory
# stays flat as the log grows. The baseline is the sqlite3 shell printing the same event rows.
def peak(*args):
    """Seconds and peak resident megabytes of one process, its output thrown away."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        process = subprocess.Popen(args, stdout=null)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, f"{args} exited {process.returncode}"
    return time.perf_counter() - start, usage.ru_maxrss / 1024


read_rows = []
def read_out(command, what, baseline, baseline_sql):
    base_time, base_mb = peak("sqlite3", f"{node}/ledger.sqlite", baseline_sql)
    took, mb = peak(BIN, *command, "--data", node)
    read_rows.append((f"`reunite {' '.join(command)}` of {what}", f"{took:.2f} s, {mb:.0f} MB",
                      f"{baseline}: {base_time:.2f} s, {base_mb:.0f} MB",
                      f"{took / base_time:.1f}x the time, {mb / base_mb:.1f}x the memory"))

# The log, whole: for scripts, and for people (a table laid out before its first row).
for command in (["export"], ["log", "--json"], ["log"]):
    read_out(command, f"{COUNT:,} events", "sqlite3 shell printing every event's body and signature in hex",
             "SELECT hex(body), hex(signature) FROM event ORDER BY position")
# A group of records, read a part at a time (cases are kind 1).
cases = int(subprocess.run(["sqlite3", f"{node}/ledger.sqlite", "SELECT count(*) FROM record WHERE kind = 1"],
                           capture_output=True, text=True, check=True).stdout)
for command in (["list", "cases", "--json"], ["list", "cases"], ["export", "--format", "csv", "--what", "cases"]):
    read_out(command, f"{cases:,} cases", "sqlite3 shell printing every case's row in hex",
             "SELECT hex(id), hex(fields), hex(history) FROM record WHERE kind = 1 ORDER BY clock, id")
read_out(["rebuild"], f"{COUNT:,} events", "sqlite3 shell copying the record table (CREATE TABLE AS SELECT)",
         "PRAGMA synchronous=FULL; BEGIN; DROP TABLE IF EXISTS copy; CREATE TABLE copy AS SELECT * FROM record; DROP TABLE copy; COMMIT;")

# Single recorded events: one process, one signed event, one durable commit each.
single = fresh_node("single")
SINGLE = 100
def record_singles():
    for i in range(SINGLE):
        run(BIN, "record-found", "--found-on", "2024-05", "--place", "深圳", "--sex", "female",
            "--reported-by", "深圳市儿童医院", "--marks", f"第{i}号", "--data", single)
def sqlite_singles():
    path = os.path.join(work, "single-baseline.sqlite")
    if not os.path.exists(path):
        run("sqlite3", path, "PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)")
    for i in range(SINGLE):
        run("sqlite3", path, f"PRAGMA synchronous=FULL; INSERT INTO t (body) VALUES (randomblob(300))")
single_time = timed(record_singles, repeat=1)
sqlite_single_time = timed(sqlite_singles, repeat=1)
report(f"{SINGLE} single recorded events, one process and durable commit each", single_time,
       "sqlite3 shell, one process and durable insert each", sqlite_single_time, SINGLE, "events/s")

# ---- Sync (issue 3) ----
sync_rows = []


def node_id(path):
    return json.loads(subprocess.run([BIN, "whoami", "--json", "--data", path], capture_output=True, text=True, check=True).stdout)["nodeId"]


def serve(path):
    process = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--data", path],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    return process, line.strip().split(" on ")[-1]


def pair(source):
    """A fresh sink that trusts `source` (served) and is trusted by it."""
    sink = fresh_node(os.path.basename(source) + "-sink")
    process, url = serve(source)
    run(BIN, "peers", "add", "--name", "sink", "--key", node_id(sink), "--data", source)
    run(BIN, "peers", "add", "--name", "source", "--key", node_id(source), "--url", url, "--data", sink)
    return sink, process, url


def sync(sink, url):
    start = time.perf_counter()
    out = subprocess.run([BIN, "sync", url, "--json", "--timeout", "600", "--data", sink], capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - start, json.loads(out)


sink, server, url = pair(node)
full_time, full = sync(sink, url)
export = subprocess.run([BIN, "export", "--data", node], capture_output=True, check=True).stdout
gzipped = len(subprocess.run(["gzip", "-9"], input=export, capture_output=True, check=True).stdout)
wire = full["bytesIn"] + full["bytesOut"]
sync_rows.append((f"full sync of {COUNT:,} events", f"{full_time:.2f} s, {COUNT / full_time:,.0f} events/s",
                  f"{wire / COUNT:.1f} bytes/event ({full['roundTrips']} round trips)",
                  f"gzip -9 of the JSON Lines export: {gzipped / COUNT:.1f} bytes/event", f"{wire / gzipped:.2f}x"))

# A nightly increment of 1%, against rsync updating a copy of the database file. The server
# is stopped around the copies so that checkpoints move everything from the WAL into the file.
server.terminate()
server.wait()


def checkpoint(path):
    result = subprocess.run(["sqlite3", path, "PRAGMA wal_checkpoint(TRUNCATE);"], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("0|"), f"checkpoint of {path} did not complete: {result.stdout}"


checkpoint(f"{node}/ledger.sqlite")
old_copy = os.path.join(work, "old-copy.sqlite")
shutil.copy(f"{node}/ledger.sqlite", old_copy)
increment = os.path.join(work, "increment.jsonl")
with open(increment, "w") as out:
    subprocess.run([sys.executable, os.path.join(HERE, "gen-backlog.py"), str(COUNT // 100), "7"], stdout=out, check=True)
run(BIN, "import", increment, "--data", node)
checkpoint(f"{node}/ledger.sqlite")
rsync = subprocess.run(["rsync", "--stats", "--no-whole-file", "--ignore-times", f"{node}/ledger.sqlite", old_copy], capture_output=True, text=True, check=True).stdout
rsync_bytes = sum(int(line.split(":")[1].split()[0].replace(",", "")) for line in rsync.splitlines()
                  if line.startswith("Total bytes sent") or line.startswith("Total bytes received"))
server, url = serve(node)
run(BIN, "peers", "remove", node_id(node), "--data", sink)
run(BIN, "peers", "add", "--name", "source", "--key", node_id(node), "--url", url, "--data", sink)
inc_time, inc = sync(sink, url)
inc_wire = inc["bytesIn"] + inc["bytesOut"]
sync_rows.append((f"nightly sync of 1% new events ({COUNT // 100:,})", f"{inc_time:.2f} s",
                  f"{inc_wire:,} bytes ({inc['roundTrips']} round trips)",
                  f"rsync --no-whole-file --ignore-times updating a copy of the database file: {rsync_bytes:,} bytes", f"{inc_wire / rsync_bytes:.3f}x"))

# A pair already in sync.
same_time, same = sync(sink, url)
sync_rows.append(("a pair already in sync", f"{same_time * 1000:.0f} ms (whole process)",
                  f"{same['bytesIn'] + same['bytesOut']} bytes ({same['roundTrips']} round trip)", "-", "-"))
server.terminate()
server.wait()

# A million events, if asked (scripts/bench 100000 1000000).
if len(sys.argv) > 3:
    big = int(sys.argv[3])
    big_file = os.path.join(work, "big.jsonl")
    with open(big_file, "w") as out:
        subprocess.run([sys.executable, os.path.join(HERE, "gen-backlog.py"), str(big), "11"], stdout=out, check=True)
    big_node = fresh_node("big")
    start = time.perf_counter()
    run(BIN, "import", big_file, "--data", big_node)
    big_import = time.perf_counter() - start
    big_sink, big_server, big_url = pair(big_node)
    big_time, big_report = sync(big_sink, big_url)
    big_wire = big_report["bytesIn"] + big_report["bytesOut"]
    sync_rows.append((f"full sync of {big:,} events", f"{big_time:.1f} s, {big / big_time:,.0f} events/s",
                      f"{big_wire / big:.1f} bytes/event ({big_report['roundTrips']} round trips)",
                      f"import of the same {big:,} events: {big_import:.1f} s", f"{big_time / big_import:.2f}x"))
    big_server.terminate()
    big_server.wait()

print(f"| measurement | reunite | rate | baseline | baseline time | ratio |")
print(f"| --- | --- | --- | --- | --- | --- |")
for what, ours, rate, unit, base_name, base, ratio in rows:
    print(f"| {what} | {ours:.2f} s | {rate:,.0f} {unit} | {base_name} | {base:.2f} s | {ratio:.1f}x |")
print()
print("| reading out | reunite: time, peak memory | baseline | ratio |")
print("| --- | --- | --- | --- |")
for row in read_rows:
    print("| " + " | ".join(row) + " |")
print()
print("| sync measurement | time | on the wire | baseline | ratio |")
print("| --- | --- | --- | --- | --- |")
for row in sync_rows:
    print("| " + " | ".join(row) + " |")
db_size = os.path.getsize(f"{node}/ledger.sqlite")
print(f"\nLedger file after import: {db_size / 1e6:.1f} MB for {COUNT:,} events ({db_size / COUNT:.0f} bytes an event, "
      f"import file {size / COUNT:.0f} bytes a line).")
shutil.rmtree(work)

#!/usr/bin/env python3
"""Issue-2 benchmark: durable step transitions/s, start→first-step latency, idle RSS.

Starts a release triggerd on a temp directory, starts N runs of a 5-step transform workflow over the control
socket (several client threads), waits for all of them to complete, then reads the stored events to compute
figures. Prints a small table. Usage: foundation.py BIN_DIR [RUNS]

BIN_DIR is the shipped build (scripts/release-build.sh) under `make bench`. With DEV_BIN=DIR set, the idle
RSS of that build (the dynamically linked .build/release of `make run`) is measured too, for comparison.
"""
import json, os, shutil, sqlite3, statistics, subprocess, sys, tempfile, threading, time

from benchlib import UnixHTTP, free_port, pct, proc_kib, write_footprint_workflows
from results import record

BIN = sys.argv[1]
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
CLIENTS = 16

def start_daemon(tmp, workflows, bin_dir=BIN):
    sock = os.path.join(tmp, "control.sock")
    log = open(os.path.join(tmp, "daemon.log"), "w")
    p = subprocess.Popen([os.path.join(bin_dir, "triggerd"), "--workflows", workflows, "--state-dir", os.path.join(tmp, "state"),
                          "--socket", sock, "--listen", f"127.0.0.1:{free_port()}", "--log-level", "warning"], stdout=log, stderr=log)
    for _ in range(400):
        if os.path.exists(sock):
            try:
                c = UnixHTTP(sock); c.request("GET", "/v1/status"); c.getresponse().read(); return p, sock
            except OSError:
                pass
        time.sleep(0.05)
    raise SystemExit("triggerd did not start")

def main():
    tmp = tempfile.mkdtemp(prefix="triggerd-bench-")
    try:
        wf = os.path.join(tmp, "workflows")
        write_footprint_workflows(wf)
        dev_rss = None
        if os.environ.get("DEV_BIN"):
            dev_tmp = os.path.join(tmp, "dev"); os.makedirs(dev_tmp)
            dev, _ = start_daemon(dev_tmp, wf, os.environ["DEV_BIN"])
            time.sleep(2)
            dev_rss = proc_kib(dev.pid)
            dev.terminate(); dev.wait(30)
        daemon, sock = start_daemon(tmp, wf)
        time.sleep(2)
        idle_rss = proc_kib(daemon.pid)
        idle_anon = proc_kib(daemon.pid, "RssAnon:")

        per_client = RUNS // CLIENTS
        errors = []
        sent = {}
        def start_one(c):
            t = time.time()
            c.request("POST", "/v1/workflows/five/runs", body=b'{"input": {}}', headers={"Content-Type": "application/json"})
            r = c.getresponse(); body = r.read()
            if r.status not in (200, 201):
                errors.append(r.status)
            else:
                sent[json.loads(body)["run_id"]] = t
        # Unloaded latency first: one client, one run at a time.
        solo = UnixHTTP(sock)
        solo_ids = []
        for _ in range(200):
            before = set(sent); start_one(solo); solo_ids += [k for k in sent if k not in before]
            time.sleep(0.005)
        time.sleep(0.5)
        def client():
            c = UnixHTTP(sock)
            for _ in range(per_client):
                start_one(c)
        t0 = time.time()
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for t in threads: t.start()
        for t in threads: t.join()
        started = per_client * CLIENTS + len(solo_ids)
        while True:
            c = UnixHTTP(sock); c.request("GET", "/v1/status"); st = json.loads(c.getresponse().read())
            done = st.get("run_counts", {}).get("completed", 0) + st.get("run_counts", {}).get("failed", 0)
            if done >= started: break
            if time.time() - t0 > 600: raise SystemExit("runs did not finish in 10 minutes")
            time.sleep(0.05)
        elapsed = time.time() - t0
        busy_rss = proc_kib(daemon.pid)
        daemon.terminate(); daemon.wait(timeout=30)

        db = sqlite3.connect(os.path.join(tmp, "state", "triggerd.db"))
        # Request sent -> first step finished (an upper bound of start -> first step: a transform runs in µs).
        done_at = dict(db.execute("SELECT run_id, MIN(at) FROM run_event WHERE type = 'step.completed' AND step = 's1' GROUP BY run_id").fetchall())
        solo_lat = [(done_at[r] - sent[r]) * 1000 for r in solo_ids if r in done_at]
        lat = [(done_at[r] - sent[r]) * 1000 for r in sent if r in done_at and r not in solo_ids]
        transitions = db.execute("SELECT COUNT(*) FROM run_event WHERE type LIKE 'step.%'").fetchone()[0]
        completed = db.execute("SELECT COUNT(*) FROM run WHERE status = 'completed'").fetchone()[0]
        burst_start = min(t for r, t in sent.items() if r not in solo_ids)
        first = (burst_start, db.execute("SELECT MAX(at) FROM run_event").fetchone()[0])
        completed_burst = completed - len(solo_ids)
        transitions_burst = transitions - 10 * len(solo_ids)
        print(f"{'metric':44} {'value':>12}  target")
        print(f"{'runs started over the socket (16 clients)':44} {started:>12}")
        print(f"{'runs completed':44} {completed:>12}")
        print(f"{'durable step transitions (5 steps x 2)':44} {transitions:>12}")
        print(f"{'wall time, first start to last completion':44} {elapsed:>11.2f}s")
        print(f"{'step completions per second (committed)':44} {completed_burst * 5 / (first[1] - first[0]):>12.0f}  >= 5000")
        print(f"{'step transitions per second (start+end)':44} {transitions_burst / (first[1] - first[0]):>12.0f}")
        print(f"{'start request -> first step done, p50 (1 client)':44} {statistics.median(solo_lat):>10.2f}ms  <= 2 ms")
        print(f"{'start request -> first step done, p99 (1 client)':44} {pct(solo_lat, 99):>10.2f}ms")
        print(f"{'same under the 16-client burst, p50':44} {statistics.median(lat):>10.2f}ms")
        print(f"{'same under the 16-client burst, p99':44} {pct(lat, 99):>10.2f}ms")
        print(f"{'idle RSS, 100 workflows loaded':44} {idle_rss / 1024:>9.1f} MiB  <= 30 MiB")
        print(f"{'  of which private heap (RssAnon)':44} {idle_anon / 1024:>9.1f} MiB")
        if dev_rss is not None:
            print(f"{'  development build (dynamic, DEV_BIN)':44} {dev_rss / 1024:>9.1f} MiB")
        print(f"{'RSS after the burst':44} {busy_rss / 1024:>9.1f} MiB")
        if errors: print(f"errors: {len(errors)} non-2xx answers")
        record("durable engine", "step completions/s (each committed)", completed_burst * 5 / (first[1] - first[0]), "/s", target=">= 5000")
        record("durable engine", "step transitions/s (start+end)", transitions_burst / (first[1] - first[0]), "/s")
        record("trigger -> first step", "p50, 1 client", statistics.median(solo_lat), "ms", target="<= 2 ms")
        record("trigger -> first step", "p99, 1 client", pct(solo_lat, 99), "ms")
        record("footprint", "idle RSS, 100 workflows", idle_rss / 1024, "MiB", target="<= 30 MiB",
               note=f"private {idle_anon / 1024:.1f} MiB" + (
                   f"; dynamic dev build {dev_rss / 1024:.1f} MiB" if dev_rss is not None else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

main()

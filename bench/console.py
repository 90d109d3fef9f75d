#!/usr/bin/env python3
"""Issue-16 budgets: the web console's pages with a million runs stored.

1. Starts a release triggerd on a temp directory with 8 ordinary workflows and `wide` (500 steps: a fan-out of 300,
   198 pair joins, one join of those), starts one real run of each (so the schema, the pinned workflow versions and
   a genuine 500-step run exist), and stops it.
2. Writes RUNS runs (default 1,000,000) straight into its SQLite file with Python's sqlite3: spread over the last
   25 days across the 8 workflows, 88% completed / 9% failed / 3% cancelled, triggered by cron, webhook, manual,
   event, retry and replay; each with 3 steps and 8 events, shaped like the real runs.
3. Restarts the daemon on that file and asks each page SAMPLES times (default 300) over the control socket (one
   keep-alive connection, as a browser behind `triggerctl console` would), timing request sent → whole answer read.

Budgets (issue 16): `/runs` (every filter, a deep keyset page) and `/runs/{id}` ≤ 50 ms p95; the 500-step run's
page (graph laid out on the server) ≤ 200 ms p95; console.js + console.css ≤ 40 KB. Prints each figure with its
budget and PASS/FAIL, then records them for `make bench`'s table.

Usage: console.py BIN_DIR [RUNS] ; env SAMPLES (default 300), KEEP=1 keeps the temp directory.
"""
import json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, time

from benchlib import UnixHTTP, free_port, pct
from results import record

BIN = sys.argv[1]
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
SAMPLES = int(os.environ.get("SAMPLES", "300"))
WORKFLOWS = [f"wf-{i}" for i in range(8)]
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def ordinary_workflow(name):
    return f"""name: {name}
triggers: [ {{ manual: {{}} }}, {{ cron: {{ schedule: "0 3 * * *" }} }} ]
steps:
  fetch: {{ type: transform, with: {{ value: {{ items: 3 }} }} }}
  shape: {{ type: transform, needs: [fetch], with: {{ value: "{{{{ steps.fetch.output.items }}}}" }} }}
  report: {{ type: transform, needs: [shape], with: {{ value: done }} }}
"""


def wide_workflow():
    lines = ["name: wide", "triggers: [ { manual: {} } ]", "steps:", "  start: { type: transform, with: { value: 0 } }"]
    lines += [f"  fan{i:03}: {{ type: transform, needs: [start], with: {{ value: {i} }} }}" for i in range(300)]
    lines += [f"  pair{j:03}: {{ type: transform, needs: [fan{j:03}, fan{j + 1:03}], with: {{ value: {j} }} }}"
              for j in range(198)]
    lines.append("  join: { type: transform, needs: [" + ", ".join(f"pair{j:03}" for j in range(198)) + "], "
                 "with: { value: end } }")
    return "\n".join(lines) + "\n"


def call(conn, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
    response = conn.getresponse()
    text = response.read()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path}: HTTP {response.status}: {text[:300]!r}")
    return text


def start_daemon(tmp):
    sock = os.path.join(tmp, "control.sock")
    log = open(os.path.join(tmp, "daemon.log"), "a")
    daemon = subprocess.Popen(
        [os.path.join(BIN, "triggerd"), "--config", os.path.join(tmp, "triggerd.yaml"), "--workflows",
         os.path.join(tmp, "workflows"), "--state-dir", os.path.join(tmp, "state"), "--socket", sock,
         "--listen", f"127.0.0.1:{free_port()}", "--log-level", "warning"], stdout=log, stderr=log)
    deadline = time.time() + 120
    while time.time() < deadline:
        if daemon.poll() is not None:
            raise SystemExit(f"triggerd exited ({daemon.returncode}); see {tmp}/daemon.log")
        try:
            c = UnixHTTP(sock)
            call(c, "GET", "/v1/status")
            return daemon, sock
        except OSError:
            time.sleep(0.1)
    raise SystemExit("triggerd did not start")


def stop(daemon):
    daemon.send_signal(signal.SIGTERM)
    daemon.wait(timeout=60)


def wait_for_end(conn, run_id):
    for _ in range(600):
        run = json.loads(call(conn, "GET", f"/v1/runs/{run_id}"))
        if run["status"] in ("completed", "failed", "cancelled"):
            return run
        time.sleep(0.1)
    raise SystemExit(f"run {run_id} did not end")


def ulid(ms, rng):
    head = "".join(ALPHABET[(ms >> shift) & 31] for shift in range(45, -1, -5))
    return head + "".join(rng.choice(ALPHABET) for _ in range(16))


def fill(db_path, count, versions, rng):
    """Writes `count` runs, their steps and events; returns (sample run ids, a deep-page run id, seconds)."""
    t0 = time.time()
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA synchronous = OFF")
    base_seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM run").fetchone()[0]
    now = time.time()
    span = 25 * 86_400
    kinds = ["cron"] * 50 + ["webhook"] * 25 + ["manual"] * 12 + ["event"] * 8 + ["retry"] * 3 + ["replay"] * 2
    statuses = ["completed"] * 88 + ["failed"] * 9 + ["cancelled"] * 3
    samples, deep = [], None
    batch_runs, batch_steps, batch_events = [], [], []

    def flush():
        db.executemany(
            "INSERT INTO run (id, seq, workflow, version, status, trigger_type, trigger_key, trigger_json, input_json, "
            "created_at, started_at, ended_at, error, output_json, retry_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            batch_runs)
        db.executemany(
            "INSERT INTO step_run (run_id, step_id, type, status, attempts, started_at, ended_at, output_json, error) "
            "VALUES (?,?,?,?,?,?,?,?,?)", batch_steps)
        db.executemany(
            "INSERT INTO run_event (at, type, run_id, workflow, step, attempt, status, error, output_json) "
            "VALUES (?,?,?,?,?,?,?,?,?)", batch_events)
        db.commit()
        batch_runs.clear(); batch_steps.clear(); batch_events.clear()

    for n in range(count):
        created = now - span + span * n / count
        run_id = ulid(int(created * 1000), rng)
        workflow = WORKFLOWS[min(int(rng.paretovariate(1.2)) - 1, 7)]
        status = rng.choice(statuses)
        kind = rng.choice(kinds)
        trigger = {"type": "manual" if kind in ("retry",) else kind}
        trigger_key = None
        if kind == "cron":
            slot = time.strftime("%Y-%m-%dT%H:%M:00.000Z", time.gmtime(created))
            trigger.update({"scheduled_at": slot, "fired_at": slot, "schedule": "0 3 * * *", "timezone": "UTC"})
            trigger_key = "cron:0 3 * * *@UTC"
        elif kind in ("webhook", "replay"):
            trigger.update({"type": "webhook", "path": f"/hooks/{workflow}", "delivery_id": ulid(int(created * 1000), rng),
                            "headers": {"content-type": "application/json"}, "body": {"ref": "refs/heads/main"}})
            if kind == "replay":
                trigger["replay_of"] = ulid(int(created * 1000) - 60_000, rng)
        elif kind == "event":
            trigger.update({"name": "order.created", "key": f"o-{n}", "data": {"total": n % 100}})
        retry_of = None
        if kind == "retry":
            retry_of = ulid(int(created * 1000) - 60_000, rng)
            trigger["retry_of"] = retry_of
        started, ended = created + 0.002, created + 0.05 + rng.random()
        error = "step 'report' failed: exit status 1" if status == "failed" else (
            "cancelled by alice" if status == "cancelled" else None)
        batch_runs.append((run_id, base_seq + n + 1, workflow, versions[workflow], status, kind, trigger_key,
                           json.dumps(trigger), "{}", created, started, ended, error,
                           None if status != "completed" else '"done"', retry_of))
        at = started
        batch_events.append((at, "run.started", run_id, workflow, None, None, "running", None, None))
        for index, step in enumerate(("fetch", "shape", "report")):
            s_start, s_end = at + 0.001, at + 0.01
            last = index == 2
            s_status = "failed" if (last and status == "failed") else ("skipped" if (last and status == "cancelled") else "completed")
            output = {"fetch": '{"items":3}', "shape": "3", "report": '"done"'}[step] if s_status == "completed" else None
            s_error = "exit status 1" if s_status == "failed" else None
            batch_steps.append((run_id, step, "transform", s_status, 1, s_start, s_end, output, s_error))
            batch_events.append((s_start, "step.started", run_id, workflow, step, 1, "running", None, None))
            batch_events.append((s_end, f"step.{s_status}", run_id, workflow, step, 1, s_status, s_error, output))
            at = s_end
        batch_events.append((ended, f"run.{status}", run_id, workflow, None, None, status, error, None))
        if n % 997 == 0:
            samples.append(run_id)
        if n == count // 10:
            deep = run_id  # 90% of the runs are newer: the page before it is deep in the history
        if len(batch_runs) >= 20_000:
            flush()
            if (n + 1) % 200_000 == 0:
                print(f"  {n + 1:,} runs written ({time.time() - t0:.0f}s)", flush=True)
    flush()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return samples, deep, time.time() - t0


def measure(conn, paths):
    """Milliseconds from request sent to whole answer read, for each of `paths` in turn (after 5 warm-up asks)."""
    for path in paths[:5]:
        call(conn, "GET", path)
    times = []
    for path in paths:
        t = time.perf_counter()
        call(conn, "GET", path)
        times.append((time.perf_counter() - t) * 1000)
    return times


def main():
    tmp = tempfile.mkdtemp(prefix="triggerd-console-bench-")
    rng = random.Random(16)
    try:
        os.makedirs(os.path.join(tmp, "workflows"))
        for name in WORKFLOWS:
            with open(os.path.join(tmp, "workflows", f"{name}.yaml"), "w") as f:
                f.write(ordinary_workflow(name))
        with open(os.path.join(tmp, "workflows", "wide.yaml"), "w") as f:
            f.write(wide_workflow())
        with open(os.path.join(tmp, "triggerd.yaml"), "w") as f:
            # Nothing the bench writes may be pruned while it measures.
            f.write("retention: { runs: 3650d, deliveries: 3650d, events: 3650d }\n")

        daemon, sock = start_daemon(tmp)
        conn = UnixHTTP(sock)
        for name in WORKFLOWS:
            wait_for_end(conn, json.loads(call(conn, "POST", f"/v1/workflows/{name}/runs", {"input": {}}))["run_id"])
        wide = json.loads(call(conn, "POST", "/v1/workflows/wide/runs", {"input": {}}))["run_id"]
        wide_run = wait_for_end(conn, wide)
        stop(daemon)
        db_path = os.path.join(tmp, "state", "triggerd.db")
        versions = dict(sqlite3.connect(db_path).execute("SELECT workflow, version FROM run").fetchall())

        print(f"writing {RUNS:,} runs (3 steps, 8 events each) into {db_path}")
        samples, deep, took = fill(db_path, RUNS, versions, rng)
        size = os.path.getsize(db_path) / 2**20
        print(f"  done in {took:.0f}s; database {size:,.0f} MiB")

        daemon, sock = start_daemon(tmp)
        conn = UnixHTTP(sock)
        stored = json.loads(call(conn, "GET", "/v1/status"))["run_counts"]
        print(f"runs stored: {sum(stored.values()):,} ({', '.join(f'{k} {v:,}' for k, v in stored.items() if v)})")

        def repeat(path):
            return [path] * SAMPLES

        pages = [
            ("/runs", repeat("/runs")),
            ("/runs?workflow=wf-3", repeat("/runs?workflow=wf-3")),
            ("/runs?status=failed", repeat("/runs?status=failed")),
            ("/runs?trigger=retry", repeat("/runs?trigger=retry")),
            ("/runs?trigger=cron", repeat("/runs?trigger=cron")),
            ("/runs?workflow=wf-7&status=cancelled", repeat("/runs?workflow=wf-7&status=cancelled")),
            (f"/runs?before=RUN (90% deep)", repeat(f"/runs?before={deep}")),
            ("/runs?status=failed&before=RUN (90% deep)", repeat(f"/runs?status=failed&before={deep}")),
            ("/runs/{id} (random runs)", [f"/runs/{rng.choice(samples)}" for _ in range(SAMPLES)]),
            ("/v1/runs?trigger=replay (API)", repeat("/v1/runs?trigger=replay")),
        ]
        width = max(len(label) for label, _ in pages) + 2
        print(f"\n{'page (over the control socket)':{width}} {'p50':>9} {'p95':>9} {'max':>9}  budget")
        failed = 0

        def report(label, times, budget, area="console"):
            nonlocal failed
            p50, p95 = pct(times, 50), pct(times, 95)
            verdict = "PASS" if p95 <= budget else "FAIL"
            failed += verdict == "FAIL"
            print(f"{label:{width}} {p50:>7.2f}ms {p95:>7.2f}ms {max(times):>7.2f}ms  p95 <= {budget} ms  {verdict}")
            record(area, f"{label} p95 ({RUNS:,} runs)", p95, "ms", target=f"<= {budget} ms", note=verdict)

        for label, paths in pages:
            report(label, measure(conn, paths), 50)
        steps = len(wide_run.get("steps", []))
        report(f"/runs/{{id}} with {steps} steps (graph)", measure(conn, repeat(f"/runs/{wide}")), 200)
        overview = measure(conn, ["/"] * max(20, SAMPLES // 10))
        print(f"{'/ (overview; no budget)':{width}} {pct(overview, 50):>7.2f}ms {pct(overview, 95):>7.2f}ms {max(overview):>7.2f}ms")

        js = len(call(conn, "GET", "/console/console.js"))
        css = len(call(conn, "GET", "/console/console.css"))
        total = js + css
        verdict = "PASS" if total <= 40 * 1024 else "FAIL"
        failed += verdict == "FAIL"
        print(f"\nconsole.js {js:,} B + console.css {css:,} B = {total:,} B ({total / 1024:.1f} KiB)  budget <= 40 KiB  {verdict}")
        record("console", "console.js + console.css", total / 1024, "KiB", target="<= 40 KiB", note=verdict)
        stop(daemon)
        print(f"\n{'all budgets met' if failed == 0 else f'{failed} budget(s) missed'}")
        return 1 if failed else 0
    finally:
        if os.environ.get("KEEP"):
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Issue-8 soak: a steady mix of work for SOAK_MINUTES, sampling RSS and open fds each minute; prints the drift.

Starts triggerd from BIN on a temp directory with four workflows:

  soak-hook   webhook POST /hooks/soak, `hmac` scheme (X-Soak-Signature: sha256=<hex>), one transform step
  soak-cron   cron every 5 seconds (six-field schedule), one transform step
  soak-delay  manual; a `delay` of DELAY seconds, then a transform
  soak-wait   event soak.start; wait_for_event soak.go with the same key, then a transform

and drives, until the time is up:

  - WEBHOOK_RATE signed deliveries per second (default 50) over keep-alive connections, each with a new body;
  - one `triggerctl run soak-delay` per second (a new process each time, over the control socket);
  - every 2 seconds `triggerctl emit soak.start --key kN` and `triggerctl emit soak.go --key kN-1`, so each
    soak-wait run parks for about 2 seconds and is resumed by an event.

Every SAMPLE_SECONDS (default 60) it samples, from /proc/PID/status and /proc/PID/fd: VmRSS, RssAnon, Threads
and the number of open descriptors, with the run counts by status from GET /v1/status. At the end it stops the
load, waits for every run to end, and prints the per-minute table, the drift of RSS and fds (average of the first
10 samples against the last 10, and the least-squares slope per hour), and the loss check: every accepted
delivery has a stored delivery row and a completed run, every run started over the control socket completed,
the cron fired on schedule, and nothing is left pending, running, waiting or failed.

Usage: soak.py BIN_DIR ; env SOAK_MINUTES (default 60), WEBHOOK_RATE (50), SAMPLE_SECONDS (60), DELAY (3).
Exit status 0 when the loss check passed, 1 otherwise.
"""
import hashlib, hmac, http.client, json, os, shutil, sqlite3, subprocess, sys, tempfile, threading, time

from benchlib import UnixHTTP, free_port

BIN = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BIN", ".build/release")
MINUTES = float(os.environ.get("SOAK_MINUTES", "60"))
RATE = float(os.environ.get("WEBHOOK_RATE", "50"))
SAMPLE_SECONDS = float(os.environ.get("SAMPLE_SECONDS", "60"))
DELAY = int(os.environ.get("DELAY", "3"))
SECRET = "soak-secret-0123456789"
CRON_EVERY = 5
WEBHOOK_THREADS = 2

WORKFLOWS = {
    "soak-hook.yaml": """name: soak-hook
triggers:
  - webhook:
      path: /hooks/soak
      verify: { scheme: hmac, header: X-Soak-Signature, algorithm: sha256, encoding: hex, prefix: "sha256=",
                secret: "{{ secrets.SOAK_SECRET }}" }
steps:
  echo: { type: transform, with: { value: "{{ trigger.body.n }}" } }
""",
    "soak-cron.yaml": f"""name: soak-cron
triggers:
  - cron: {{ schedule: "*/{CRON_EVERY} * * * * *" }}
steps:
  tick: {{ type: transform, with: {{ value: "{{{{ trigger.scheduled_at }}}}" }} }}
""",
    "soak-delay.yaml": f"""name: soak-delay
inputs:
  n: {{ type: integer, required: true }}
steps:
  nap: {{ type: delay, with: {{ duration: {DELAY}s }} }}
  done: {{ type: transform, needs: [nap], with: {{ value: "{{{{ input.n }}}}" }} }}
""",
    "soak-wait.yaml": """name: soak-wait
triggers:
  - event: { name: soak.start }
steps:
  wait: { type: wait_for_event, with: { event: soak.go, key: "{{ trigger.key }}", timeout: 2m } }
  done: { type: transform, needs: [wait], with: { value: "{{ steps.wait.output.key }}" } }
""",
}


def control(sock, method, path):
    conn = UnixHTTP(sock, timeout=30)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        text = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}: {text[:300]!r}")
        return json.loads(text)
    finally:
        conn.close()


def proc_sample(pid):
    """VmRSS and RssAnon (KiB), thread count and open descriptors of the daemon."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "Threads"):
                fields[name] = int(value.split()[0])
    fields["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    return fields


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.accepted = []          # run ids of 2xx deliveries
        self.refused = {}           # status (or exception name) -> count
        self.manual = []            # run ids of triggerctl run
        self.manual_errors = 0
        self.started_events = []    # run ids started by soak.start
        self.resumed = 0
        self.emit_errors = 0

    def refuse(self, why):
        with self.lock:
            self.refused[why] = self.refused.get(why, 0) + 1


def ctl(sock, *args):
    result = subprocess.run([os.path.join(BIN, "triggerctl"), *args, "--socket", sock, "--json"],
                            capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        raise RuntimeError(f"triggerctl {' '.join(args)}: exit {result.returncode}: {result.stderr.strip()[:300]}")
    return json.loads(result.stdout)


def webhook_load(port, stop, counters, rate, offset):
    """Posts signed deliveries at `rate` per second on one keep-alive connection (reconnecting on errors)."""
    conn = None
    n = offset
    interval = 1.0 / rate
    next_at = time.monotonic()
    while not stop.is_set():
        now = time.monotonic()
        if now < next_at:
            time.sleep(next_at - now)
        # Fall behind rather than burst: a stalled daemon should show as a lower rate, not a later spike.
        next_at = max(next_at + interval, time.monotonic() - 1.0)
        n += WEBHOOK_THREADS
        body = json.dumps({"n": n, "pad": "x" * (n % 200)}).encode()
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/hooks/soak", body=body,
                         headers={"Content-Type": "application/json", "X-Soak-Signature": signature})
            response = conn.getresponse()
            text = response.read()
            if response.status == 202:
                with counters.lock:
                    counters.accepted.append(json.loads(text)["run_id"])
            else:
                counters.refuse(str(response.status))
        except (OSError, http.client.HTTPException, ValueError) as error:
            counters.refuse(type(error).__name__)
            if conn is not None:
                conn.close()
            conn = None
    if conn is not None:
        conn.close()


def manual_load(sock, stop, counters):
    """One `triggerctl run soak-delay` per second."""
    n = 0
    next_at = time.monotonic()
    while not stop.is_set():
        next_at += 1.0
        n += 1
        try:
            run_id = ctl(sock, "run", "soak-delay", "--input", json.dumps({"n": n}))["run_id"]
            with counters.lock:
                counters.manual.append(run_id)
        except (RuntimeError, ValueError, KeyError, subprocess.TimeoutExpired) as error:
            counters.manual_errors += 1
            print(f"  manual run {n}: {error}", file=sys.stderr)
        stop.wait(max(0.0, next_at - time.monotonic()))


def event_load(sock, stop, counters):
    """Every 2 s: start a soak-wait run with key kN, and resume the one started with kN-1."""
    n = 0
    while not stop.is_set():
        n += 1
        try:
            answer = ctl(sock, "emit", "soak.start", "--key", f"k{n}")
            with counters.lock:
                counters.started_events.extend(answer.get("started", []))
            if n > 1:
                answer = ctl(sock, "emit", "soak.go", "--key", f"k{n - 1}")
                with counters.lock:
                    counters.resumed += len(answer.get("resumed", []))
        except (RuntimeError, ValueError, subprocess.TimeoutExpired) as error:
            counters.emit_errors += 1
            print(f"  emit k{n}: {error}", file=sys.stderr)
        stop.wait(2.0)
    # Resume the last one so every run can end.
    try:
        answer = ctl(sock, "emit", "soak.go", "--key", f"k{n}")
        counters.resumed += len(answer.get("resumed", []))
    except (RuntimeError, ValueError, subprocess.TimeoutExpired):
        counters.emit_errors += 1


def run_ids(started):
    """Run ids from a soak.start answer: the API lists them as ids or as objects with `run_id`."""
    return [item["run_id"] if isinstance(item, dict) else item for item in started]


def mean(values):
    return sum(values) / len(values) if values else float("nan")


def slope_per_hour(points):
    """Least-squares slope of (minutes, value) points, per hour."""
    if len(points) < 2:
        return float("nan")
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    mx, my = mean(xs), mean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return float("nan")
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx * 60


def start_daemon(tmp, port):
    workflows = os.path.join(tmp, "workflows")
    os.makedirs(workflows)
    for name, text in WORKFLOWS.items():
        with open(os.path.join(workflows, name), "w") as f:
            f.write(text)
    secrets = os.path.join(tmp, "secrets.env")
    with open(secrets, "w") as f:
        f.write(f"SOAK_SECRET={SECRET}\n")
    os.chmod(secrets, 0o600)
    sock = os.path.join(tmp, "control.sock")
    log = open(os.path.join(tmp, "daemon.log"), "w")
    env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "LISTEN_FDS", "TRIGGERD_SOCKET")}
    daemon = subprocess.Popen(
        [os.path.join(BIN, "triggerd"), "--workflows", workflows, "--state-dir", os.path.join(tmp, "state"),
         "--socket", sock, "--listen", f"127.0.0.1:{port}", "--secrets", secrets, "--log-level", "warning"],
        stdout=log, stderr=log, env=env)
    deadline = time.time() + 30
    while time.time() < deadline:
        if daemon.poll() is not None:
            raise SystemExit(f"triggerd exited at start; see {tmp}/daemon.log")
        try:
            status = control(sock, "GET", "/v1/status")
            if status.get("load_errors"):
                raise SystemExit(f"workflow load errors: {status['load_errors']}")
            return daemon, sock
        except OSError:
            time.sleep(0.05)
    daemon.kill()
    raise SystemExit("triggerd did not answer on its socket within 30 s")


def main():
    global BIN
    tmp = tempfile.mkdtemp(prefix="triggerd-soak-")
    # Private copies: a rebuild of BIN during the hour must not swap the binaries under the soak.
    os.makedirs(os.path.join(tmp, "bin"))
    for name in ("triggerd", "triggerctl"):
        shutil.copy2(os.path.join(BIN, name), os.path.join(tmp, "bin", name))
    source, BIN = BIN, os.path.join(tmp, "bin")
    port = free_port()
    daemon, sock = start_daemon(tmp, port)
    version = control(sock, "GET", "/v1/status").get("version", "?")
    print(f"soak: triggerd {version} from {source}, pid {daemon.pid}, {MINUTES:g} min, {RATE:g} webhooks/s, "
          f"1 delayed run/s ({DELAY}s delay), cron every {CRON_EVERY}s, 1 event wait per 2s; state {tmp}",
          flush=True)
    counters = Counters()
    stop = threading.Event()
    ok = False
    try:
        time.sleep(1)  # let start-up settle before the idle sample
        samples = []

        def sample(minute):
            status = control(sock, "GET", "/v1/status")
            row = dict(proc_sample(daemon.pid), minute=minute, counts=status.get("run_counts", {}))
            with counters.lock:
                row["accepted"] = len(counters.accepted)
                row["refused"] = sum(counters.refused.values())
            samples.append(row)
            counts = row["counts"]
            print(f"  {minute:5.1f} min  rss {row['VmRSS'] / 1024:7.1f} MiB  anon {row['RssAnon'] / 1024:7.1f} MiB  "
                  f"fds {row['fds']:4d}  threads {row['Threads']:3d}  accepted {row['accepted']:7d}  "
                  f"completed {counts.get('completed', 0):7d}", flush=True)

        sample(0.0)
        threads = [threading.Thread(target=webhook_load, args=(port, stop, counters, RATE / WEBHOOK_THREADS, i))
                   for i in range(WEBHOOK_THREADS)]
        threads += [threading.Thread(target=manual_load, args=(sock, stop, counters)),
                    threading.Thread(target=event_load, args=(sock, stop, counters))]
        started_at = time.monotonic()
        for t in threads:
            t.start()
        end_at = started_at + MINUTES * 60
        next_sample = started_at + SAMPLE_SECONDS
        while True:
            now = time.monotonic()
            if now >= end_at:
                break
            if daemon.poll() is not None:
                raise SystemExit(f"triggerd exited with {daemon.returncode} during the soak; see {tmp}/daemon.log")
            if now >= next_sample:
                sample((now - started_at) / 60)
                next_sample += SAMPLE_SECONDS
            time.sleep(min(1.0, max(0.0, min(next_sample, end_at) - time.monotonic())))
        stop.set()
        for t in threads:
            t.join(timeout=60)
        elapsed = time.monotonic() - started_at
        if len(samples) < 2 or samples[-1]["minute"] < elapsed / 60 - 0.05:
            sample(elapsed / 60)

        # Drain: every run must end (delays are DELAY s; the last soak-wait was resumed above).
        drain_deadline = time.monotonic() + max(60, DELAY * 10)
        while time.monotonic() < drain_deadline:
            counts = control(sock, "GET", "/v1/status").get("run_counts", {})
            if not any(counts.get(s, 0) for s in ("pending", "running", "waiting")):
                break
            time.sleep(0.5)
        ok = report(samples, counters, tmp, elapsed)
    finally:
        stop.set()
        if daemon.poll() is None:
            daemon.terminate()
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        if ok and not os.environ.get("SOAK_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"state kept in {tmp}")
    sys.exit(0 if ok else 1)


def report(samples, counters, tmp, elapsed):
    print("")
    print("minute   VmRSS MiB  RssAnon MiB   fds  threads  accepted  completed   failed  pending+running+waiting")
    for s in samples:
        c = s["counts"]
        active = c.get("pending", 0) + c.get("running", 0) + c.get("waiting", 0)
        print(f"{s['minute']:6.1f}  {s['VmRSS'] / 1024:10.1f}  {s['RssAnon'] / 1024:11.1f}  {s['fds']:4d}  "
              f"{s['Threads']:7d}  {s['accepted']:8d}  {c.get('completed', 0):9d}  {c.get('failed', 0):7d}  {active:8d}")

    # Drift: the idle sample at minute 0 is left out; it has no load.
    loaded = [s for s in samples if s["minute"] > 0]
    window = min(10, max(1, len(loaded) // 2))
    first, last = loaded[:window], loaded[-window:]
    print("")
    print(f"drift (average of the first {window} loaded samples vs the last {window}; least-squares slope):")
    for key, unit, scale in (("VmRSS", "MiB", 1024), ("RssAnon", "MiB", 1024), ("fds", "", 1), ("Threads", "", 1)):
        a = mean([s[key] for s in first]) / scale
        b = mean([s[key] for s in last]) / scale
        slope = slope_per_hour([(s["minute"], s[key] / scale) for s in loaded])
        pct = (b - a) / a * 100 if a else float("nan")
        print(f"  {key:8s} first {a:8.1f}{unit:>4s}  last {b:8.1f}{unit:>4s}  change {b - a:+8.1f}{unit:>4s} "
              f"({pct:+5.1f}%)  slope {slope:+8.2f}{unit:>4s}/h")

    # Loss check, against the database itself (read-only; the daemon is still running).
    problems = []
    db = sqlite3.connect(f"file:{os.path.join(tmp, 'state', 'triggerd.db')}?mode=ro", uri=True, timeout=30)
    status_of = dict(db.execute("SELECT id, status FROM run"))
    by_workflow = {}
    for workflow, status, count in db.execute("SELECT workflow, status, count(*) FROM run GROUP BY workflow, status"):
        by_workflow.setdefault(workflow, {})[status] = count
    deliveries = dict(db.execute("SELECT run_id, outcome FROM delivery WHERE workflow = 'soak-hook'"))
    cron_ledger = db.execute("SELECT count(*), sum(run_id IS NOT NULL) FROM schedule_ledger "
                             "WHERE workflow = 'soak-cron'").fetchone()
    db.close()

    def check(name, ids, need_delivery=False):
        missing = [r for r in ids if r not in status_of]
        unfinished = [r for r in ids if status_of.get(r) not in (None, "completed")]
        undelivered = [r for r in ids if need_delivery and r not in deliveries]
        line = f"  {name:28s} {len(ids):8d} started, {len(ids) - len(missing) - len(unfinished):8d} completed"
        if missing or unfinished or undelivered:
            line += f"  MISSING {len(missing)}  NOT COMPLETED {len(unfinished)}  NO DELIVERY ROW {len(undelivered)}"
            problems.append(name)
        print(line)

    print("")
    print(f"loss check ({elapsed / 60:.1f} min of load):")
    with counters.lock:
        accepted = list(counters.accepted)
        manual = list(counters.manual)
        waits = run_ids(counters.started_events)
    check("webhook deliveries (202)", accepted, need_delivery=True)
    check("manual delayed runs", manual)
    check("event-started waits", waits)
    if len(set(accepted)) != len(accepted):
        problems.append("duplicate run ids in webhook answers")
    print(f"  soak-wait resumed by soak.go: {counters.resumed} of {len(waits)}")
    if counters.resumed != len(waits):
        problems.append("waits not resumed")
    fired, with_runs = cron_ledger[0], cron_ledger[1] or 0
    expected_fires = elapsed / CRON_EVERY
    cron_runs = by_workflow.get("soak-cron", {})
    print(f"  cron: {fired} slots in the ledger ({with_runs} with runs) for ~{expected_fires:.0f} expected; "
          f"runs {cron_runs}")
    if fired < expected_fires * 0.98 - 2 or cron_runs.get("completed", 0) != sum(cron_runs.values()):
        problems.append("cron")
    print(f"  refused webhooks: {counters.refused or 'none'}; manual-run errors: {counters.manual_errors}; "
          f"emit errors: {counters.emit_errors}")
    if counters.refused or counters.manual_errors or counters.emit_errors:
        problems.append("refused requests")
    for workflow, counts in sorted(by_workflow.items()):
        if any(status != "completed" for status in counts):
            # A cron run started during the drain may still be running; only failures and leftovers count.
            leftover = {s: n for s, n in counts.items() if s != "completed"}
            if workflow != "soak-cron" or any(s in ("failed", "cancelled") for s in leftover):
                problems.append(f"{workflow} has {leftover}")
    print(f"  runs by workflow: {by_workflow}")
    print("")
    print("RESULT: " + ("nothing lost, every run completed" if not problems else "PROBLEMS: " + "; ".join(problems)))
    return not problems


if __name__ == "__main__":
    main()

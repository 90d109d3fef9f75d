#!/usr/bin/env python3
"""Issue-6 benchmark: many runs parked on wait_for_event, emit→resume latency, RSS with all parked.

Starts a release triggerd on a temp directory with one workflow:

    triggers: [ { event: { name: bench.park } } ]
    steps:
      wait: { type: wait_for_event, with: { event: bench.go, key: "{{ trigger.key }}" } }
      done: { type: transform, needs: [wait], with: { value: "{{ steps.wait.output.key }}" } }

Parks runs by POSTing `bench.park` events with distinct keys to /v1/events (several client threads), each
starting one run that parks on `bench.go` with its own key. At checkpoints (by default 1,000 and then the
target) it emits single `bench.go` events, one at a time, for random parked keys and times:

  answer    request sent → POST /v1/events answered (the daemon resumes the run before it answers)
  complete  request sent → that run's run.completed seen on GET /v1/events/stream
  after     POST answered → run.completed seen (≈ 0 when the run finished before the answer)

Setup stops at the target or when PARK_BUDGET seconds have passed, whichever comes first, and says which.
Usage: waits.py BIN_DIR [TARGET] ; env PARK_BUDGET (s, default 240), SAMPLES (default 300), CLIENTS (default 8).
"""
import json, os, random, shutil, subprocess, sys, tempfile, threading, time

from benchlib import UnixHTTP, free_port, pct, proc_kib
from results import record

BIN = sys.argv[1]
TARGET = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
BUDGET = float(os.environ.get("PARK_BUDGET", "240"))
SAMPLES = int(os.environ.get("SAMPLES", "300"))
CLIENTS = int(os.environ.get("CLIENTS", "8"))
WORKFLOW = """name: parked
triggers: [ { event: { name: bench.park } } ]
steps:
  wait: { type: wait_for_event, with: { event: bench.go, key: "{{ trigger.key }}" } }
  done: { type: transform, needs: [wait], with: { value: "{{ steps.wait.output.key }}" } }
"""


def call(conn, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
    response = conn.getresponse()
    text = response.read()
    if response.status >= 300:
        raise RuntimeError(f"{method} {path}: HTTP {response.status}: {text[:300]!r}")
    return json.loads(text) if text.strip() else None


def start_daemon(tmp):
    workflows = os.path.join(tmp, "workflows")
    os.makedirs(workflows)
    with open(os.path.join(workflows, "parked.yaml"), "w") as f:
        f.write(WORKFLOW)
    sock = os.path.join(tmp, "control.sock")
    log = open(os.path.join(tmp, "daemon.log"), "w")
    daemon = subprocess.Popen(
        [os.path.join(BIN, "triggerd"), "--workflows", workflows, "--state-dir", os.path.join(tmp, "state"),
         "--socket", sock, "--listen", f"127.0.0.1:{free_port()}", "--log-level", "warning"],
        stdout=log, stderr=log)
    deadline = time.time() + 30
    while time.time() < deadline:
        if daemon.poll() is not None:
            raise SystemExit(f"triggerd exited at start; see {tmp}/daemon.log")
        try:
            call(UnixHTTP(sock, timeout=5), "GET", "/v1/status")
            return daemon, sock
        except OSError:
            time.sleep(0.05)
    daemon.kill()
    raise SystemExit("triggerd did not answer on its socket within 30 s")


class Completions:
    """Reads GET /v1/events/stream in a thread and notes when each run's run.completed arrives."""

    def __init__(self, sock, after):
        self.seen = {}
        self.cond = threading.Condition()
        self.conn = UnixHTTP(sock, timeout=None)
        self.conn.request("GET", f"/v1/events/stream?after={after}")
        self.response = self.conn.getresponse()
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        kind = None
        try:
            while True:
                line = self.response.readline()
                if not line:
                    return
                line = line.decode().rstrip("\r\n")
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "run.completed":
                    at = time.perf_counter()
                    run_id = json.loads(line[6:])["run_id"]
                    with self.cond:
                        self.seen[run_id] = at
                        self.cond.notify_all()
        except (OSError, ValueError):
            return

    def wait(self, run_id, timeout=30):
        deadline = time.perf_counter() + timeout
        with self.cond:
            while run_id not in self.seen:
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise RuntimeError(f"run {run_id} did not complete within {timeout}s")
                self.cond.wait(left)
            return self.seen[run_id]


def last_seq_of(sock, run_id):
    """The seq of a finished run's last stored event (a starting point for the live stream)."""
    conn = UnixHTTP(sock, timeout=30)
    conn.request("GET", f"/v1/events/stream?run={run_id}")
    response = conn.getresponse()
    seq, kind = 0, None
    while True:
        line = response.readline().decode().rstrip("\r\n")
        if line.startswith("id: "):
            seq = int(line[4:])
        elif line.startswith("event: "):
            kind = line[7:]
        elif line == "" and kind == "run.completed":
            conn.close()
            return seq


def park(sock, start, stop, deadline):
    """Parks runs for keys start..<stop over CLIENTS connections; returns how many were parked."""
    counter = iter(range(start, stop))
    lock = threading.Lock()
    done = [0]
    errors = []

    def client():
        conn = UnixHTTP(sock, timeout=120)
        while time.time() < deadline and not errors:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            try:
                answer = call(conn, "POST", "/v1/events", {"name": "bench.park", "key": f"k{i}"})
                if len(answer["started"]) != 1:
                    raise RuntimeError(f"bench.park k{i} started {answer['started']}")
            except Exception as error:  # noqa: BLE001 - reported once below, stops every client
                errors.append(error)
                return
            with lock:
                done[0] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"parking failed: {errors[0]}")
    return done[0]


def waiting_count(sock):
    return call(UnixHTTP(sock, timeout=120), "GET", "/v1/status")["run_counts"]["waiting"]


def measure(sock, stream, keys, samples):
    """Emits bench.go for `samples` random keys, one at a time; returns the three latency lists in ms."""
    conn = UnixHTTP(sock, timeout=120)
    answer_ms, complete_ms, after_ms = [], [], []
    for key in random.sample(keys, min(samples, len(keys))):
        sent = time.perf_counter()
        answer = call(conn, "POST", "/v1/events", {"name": "bench.go", "key": key})
        answered = time.perf_counter()
        if len(answer["resumed"]) != 1:
            raise SystemExit(f"bench.go {key} resumed {answer['resumed']}, expected one run")
        completed = stream.wait(answer["resumed"][0])
        answer_ms.append((answered - sent) * 1000)
        complete_ms.append((completed - sent) * 1000)
        after_ms.append(max(0.0, completed - answered) * 1000)
        keys.remove(key)
    return answer_ms, complete_ms, after_ms


def main():
    tmp = tempfile.mkdtemp(prefix="triggerd-bench-waits-")
    daemon = None
    try:
        daemon, sock = start_daemon(tmp)
        idle_rss = proc_kib(daemon.pid, "VmRSS:")
        # Warm-up: one parked run resumed end to end, to find where the live event stream starts.
        park(sock, 0, 1, time.time() + 30)
        warm = call(UnixHTTP(sock, timeout=120), "POST", "/v1/events", {"name": "bench.go", "key": "k0"})["resumed"][0]
        stream = Completions(sock, last_seq_of(sock, warm))

        checkpoints = sorted({min(1_000, TARGET), TARGET})
        began = time.time()
        deadline = began + BUDGET
        parked, rows, stopped_early = 1, [], False
        keys = []
        for checkpoint in checkpoints:
            t0 = time.time()
            got = park(sock, parked, checkpoint + 1, deadline)
            keys += [f"k{i}" for i in range(parked, parked + got)]
            parked += got
            elapsed = time.time() - t0
            if parked < checkpoint + 1:
                stopped_early = True
            # A POST answers once its run is stored; the run parks a moment later. Wait until all have.
            settle = time.time() + 60
            while (waiting := waiting_count(sock)) < len(keys) and time.time() < settle:
                time.sleep(0.1)
            rss = proc_kib(daemon.pid, "VmRSS:")
            db = sum(os.path.getsize(os.path.join(tmp, "state", f)) for f in os.listdir(os.path.join(tmp, "state"))
                     if f.startswith("triggerd.db"))
            answer_ms, complete_ms, after_ms = measure(sock, stream, keys, SAMPLES)
            rows.append((waiting, got, elapsed, rss, db, answer_ms, complete_ms, after_ms))
            if stopped_early:
                break
        total = time.time() - began

        print(f"wait_for_event benchmark ({BIN}, {os.cpu_count()} CPUs, {CLIENTS} parking clients, "
              f"{SAMPLES} single events per row)")
        print(f"{'parked':>8} {'park/s':>7} {'RSS MiB':>8} {'DB MiB':>7} | "
              f"{'answer p50':>10} {'p99':>6} | {'complete p50':>12} {'p99':>6} | {'after p50':>9} {'p99':>6}  (ms)")
        for waiting, got, elapsed, rss, db, answer_ms, complete_ms, after_ms in rows:
            print(f"{waiting:>8} {got / max(elapsed, 1e-9):>7.0f} {rss / 1024:>8.1f} {db / 2**20:>7.1f} | "
                  f"{pct(answer_ms, 50):>10.2f} {pct(answer_ms, 99):>6.2f} | "
                  f"{pct(complete_ms, 50):>12.2f} {pct(complete_ms, 99):>6.2f} | "
                  f"{pct(after_ms, 50):>9.2f} {pct(after_ms, 99):>6.2f}")
        if rows:
            # Emit sent -> the resumed run completed (its one step after the wait), as seen on the event stream.
            waiting, _, _, rss, _, _, complete_ms, _ = rows[-1]
            record("event -> resume", f"p50 with {waiting:,} parked", pct(complete_ms, 50), "ms")
            record("event -> resume", f"p99 with {waiting:,} parked", pct(complete_ms, 99), "ms")
            record("footprint", f"RSS with {waiting:,} parked waits", rss / 1024, "MiB")
        print(f"idle RSS before parking: {idle_rss / 1024:.1f} MiB; peak RSS (VmHWM): "
              f"{proc_kib(daemon.pid, 'VmHWM:') / 1024:.1f} MiB")
        rate = (parked - 1) / max(total, 1e-9)
        if stopped_early:
            print(f"setup stopped by PARK_BUDGET={BUDGET:.0f}s after parking {parked - 1} of {TARGET} runs "
                  f"({rate:.0f}/s overall); {TARGET} would take about {TARGET / max(rate, 1e-9):.0f}s")
        else:
            print(f"parked {parked - 1} runs in {total:.1f}s ({rate:.0f}/s overall, latency sampling included)")
    finally:
        if daemon is not None:
            daemon.terminate()
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
        if os.environ.get("KEEP_BENCH_DIR"):
            print(f"state kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

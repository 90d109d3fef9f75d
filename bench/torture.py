#!/usr/bin/env python3
"""Crash torture (issue 8, "Proof"): SIGKILL triggerd at random moments under load, restart it, check invariants.

One temporary directory holds the workflows, the state directory, the daemon's log, the client's log and a
marks file. Four workflows cover every durable path:

  hook     webhook (github HMAC) -> command `first` -> delay 1s -> command `second`
  tick     cron every second (catch_up: all)  -> command `mark`
  approve  manual -> wait_for_approval `ask`  -> command `after`
  await    manual -> command `before` -> wait_for_event `wait` (key = input.key) -> command `after`

Every `command` step runs mark.sh, which appends `RUN STEP NONCE START PPID TAG` to the marks file (one
O_APPEND write) and prints NONCE, so the step's stored output names the attempt that committed. The marks file
is written by the steps themselves, outside the daemon's store: it is the independent record of what ran.

While webhook senders post signed deliveries (a delivery whose answer is lost is re-sent with the same id,
as a real sender would) and an operator thread starts approval and event runs with `triggerctl run` and
resolves them with `triggerctl approve` / `triggerctl emit`, the main thread kills the daemon with SIGKILL
TORTURE_KILLS times and restarts it on the same state directory, socket and port (a fraction TORTURE_DOWNTIME
of restarts waits 2.5-4 s first, past the scheduler's grace, so missed cron slots go through catch-up). Each
kill comes after a uniform TORTURE_MIN_UP..TORTURE_MAX_UP seconds of readiness; then a fraction TORTURE_AIMED
of them is aimed: the main thread issues an approve or emit itself and kills the daemon the moment the store
(read-only) shows the decision or event committed, before the daemon has answered or moved the run on. A
fraction TORTURE_EARLY lands 0-0.3 s after the start instead, while recovery runs. A third of the aimed kills
target the work queue instead: TORTURE_BURST (40) deliveries arrive at once and the kill lands the moment the
store shows a run accepted (answered 202) but not yet claimed.

Then it drains (removes the cron workflow, re-sends unanswered deliveries, approves and emits whatever still
waits, bounded by TORTURE_DRAIN seconds), stops the daemon with SIGTERM and checks, from the store (sqlite3,
daemon stopped) and the client's log:

  deliveries  every delivery that got a 2xx is stored under its id with the run id it was answered with, that
              run completed, and no delivery id started two runs (store and marks agree);
  cron        no slot has two runs (runs' trigger.scheduled_at and the marks), every run has its ledger row;
  steps       no step ran again after its completion was committed: no mark of a (run, step) started after the
              step's stored ended_at, its committed nonce is among its marks, marks never outnumber the stored
              attempts, no mark belongs to a run the store does not have, and the event log has nothing for a
              step after its step.completed;
  event log   every completed step has its step.completed event, every ended run exactly one end event;
  runs        no run is stuck (every run ended after the drain), none is left in the work queue, none was
              started twice (one run.started each), none failed; every approve the client saw
              succeed shows in its run, every event the client emitted is stored.

Usage: bench/torture.py [BIN_DIR]    (or $BIN; default .build/release if it has triggerd, else .build/debug)
Env: TORTURE_KILLS (50), TORTURE_MIN_UP (0.3), TORTURE_MAX_UP (2.5), TORTURE_AIMED (0.3), TORTURE_BURST (40),
TORTURE_EARLY (0.1),
TORTURE_DOWNTIME (0.1), TORTURE_RATE (webhook deliveries per second, 12), TORTURE_SENDERS (3), TORTURE_DRAIN
(60), TORTURE_SEED (random; the same seed gives the same choices, not the same timings), TORTURE_KEEP (1: keep
the temp directory; it is always kept when an invariant fails). The binaries are copied first, so a rebuild
during the run cannot swap the daemon between restarts.
Exit status: 0 all invariants hold, 1 a violation, 2 the harness itself failed (daemon would not start...).
"""
import calendar, hashlib, hmac, http.client, json, os, random, shlex, shutil, signal, socket, sqlite3, subprocess, sys
import tempfile
import threading, time, uuid
from collections import Counter, defaultdict

from benchlib import free_port

SECRET = "torture-secret-0123456789"
HOOK_PATH = "/hooks/torture"


def env_float(name, default):
    return float(os.environ.get(name, default))


KILLS = int(os.environ.get("TORTURE_KILLS", "50"))
MIN_UP = env_float("TORTURE_MIN_UP", 0.3)
MAX_UP = env_float("TORTURE_MAX_UP", 2.5)
EARLY = env_float("TORTURE_EARLY", 0.1)
AIMED = env_float("TORTURE_AIMED", 0.3)
BURST = int(env_float("TORTURE_BURST", 40))
QUEUED_AT_KILL = []  # runs seen in the work queue at each kill aimed at it
DOWNTIME = env_float("TORTURE_DOWNTIME", 0.1)
RATE = env_float("TORTURE_RATE", 12)
SENDERS = int(os.environ.get("TORTURE_SENDERS", "3"))
DRAIN = env_float("TORTURE_DRAIN", 60)
SEED = int(os.environ.get("TORTURE_SEED", str(random.randrange(1 << 30))))
KEEP = os.environ.get("TORTURE_KEEP", "") not in ("", "0")
TERMINAL = ("completed", "failed", "cancelled")


def find_bin():
    if len(sys.argv) > 1:
        return sys.argv[1]
    if os.environ.get("BIN"):
        return os.environ["BIN"]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build")
    release = os.path.join(root, "release")
    return release if os.path.exists(os.path.join(release, "triggerd")) else os.path.join(root, "debug")


class HarnessError(Exception):
    """The harness could not do its job (not an invariant violation)."""


THREAD_ERRORS = []  # exceptions that ended a sender or the operator thread: the run proves nothing then


def guarded(loop):
    """Runs a thread's loop, recording an unexpected exception instead of letting the thread die quietly."""

    def run():
        try:
            loop()
        except Exception as e:  # noqa: BLE001 - reported as a harness error at the end
            THREAD_ERRORS.append(f"{threading.current_thread().name}: {type(e).__name__}: {e}")

    return run


class ClientLog:
    """Everything the client did and saw, as JSON lines in client.log (for a post-mortem of a failed run)."""

    def __init__(self, path):
        self.lock = threading.Lock()
        self.file = open(path, "a", buffering=1)

    def write(self, kind, **fields):
        fields = {"t": round(time.time(), 6), "kind": kind, **fields}
        with self.lock:
            self.file.write(json.dumps(fields, sort_keys=True) + "\n")

    def close(self):
        self.file.close()


class Workload:
    """Writes the workflows, secrets and mark script; owns paths."""

    def __init__(self, root):
        self.root = root
        self.workflows = os.path.join(root, "workflows")
        self.state = os.path.join(root, "state")
        self.socket = os.path.join(root, "control.sock")
        self.marks = os.path.join(root, "marks")
        self.mark = os.path.join(root, "mark.sh")
        self.secrets = os.path.join(root, "secrets.env")
        self.daemon_log = os.path.join(root, "triggerd.log")
        self.client_log = os.path.join(root, "client.log")
        self.db = os.path.join(self.state, "triggerd.db")
        os.makedirs(self.workflows)
        os.makedirs(self.state)
        with open(self.marks, "w"):
            pass
        with open(self.mark, "w") as f:
            # $$/$EPOCHREALTIME/$SRANDOM make the nonce unique; $PPID is the daemon that spawned this attempt
            # (1 or a subreaper when it died before bash started). One printf is one O_APPEND write.
            f.write(
                "#!/bin/bash\n"
                "start=$EPOCHREALTIME\n"
                'nonce="$$-$start-$SRANDOM"\n'
                f"printf '%s %s %s %s %s %s\\n' \"$1\" \"$2\" \"$nonce\" \"$start\" \"$PPID\" \"${{3:--}}\" >> {shlex.quote(self.marks)}\n"
                "printf '%s' \"$nonce\"\n")
        with open(self.secrets, "w") as f:
            f.write(f"TORTURE_SECRET={SECRET}\n")
        os.chmod(self.secrets, 0o600)
        mark = json.dumps(self.mark)
        self.files = {
            "hook.yaml": f"""name: hook
triggers:
  - webhook:
      path: {HOOK_PATH}
      verify: {{ scheme: github, secret: "{{{{ secrets.TORTURE_SECRET }}}}" }}
steps:
  first: {{ type: command, with: {{ argv: [bash, {mark}, "{{{{ run.id }}}}", first, "{{{{ trigger.dedupe_key }}}}"] }} }}
  pause: {{ type: delay, needs: [first], with: {{ duration: 1s }} }}
  second: {{ type: command, needs: [pause], with: {{ argv: [bash, {mark}, "{{{{ run.id }}}}", second, "{{{{ trigger.dedupe_key }}}}"] }} }}
""",
            "tick.yaml": f"""name: tick
triggers:
  - cron: {{ schedule: "* * * * * *", catch_up: all }}
steps:
  mark: {{ type: command, with: {{ argv: [bash, {mark}, "{{{{ run.id }}}}", mark, "{{{{ trigger.scheduled_at }}}}"] }} }}
""",
            "approve.yaml": f"""name: approve
inputs: {{ n: {{ type: integer, required: true }} }}
steps:
  ask: {{ type: wait_for_approval, with: {{ message: "torture {{{{ input.n }}}}" }} }}
  after: {{ type: command, needs: [ask], with: {{ argv: [bash, {mark}, "{{{{ run.id }}}}", after, "approved={{{{ steps.ask.output.approved }}}}"] }} }}
""",
            "await.yaml": f"""name: await
inputs: {{ key: {{ type: string, required: true }} }}
steps:
  before: {{ type: command, with: {{ argv: [bash, {mark}, "{{{{ run.id }}}}", before, "{{{{ input.key }}}}"] }} }}
  wait: {{ type: wait_for_event, needs: [before], with: {{ event: torture.go, key: "{{{{ input.key }}}}" }} }}
  after: {{ type: command, needs: [wait], with: {{ argv: [bash, {mark}, "{{{{ run.id }}}}", after, "{{{{ steps.wait.output.key }}}}"] }} }}
""",
        }
        for name, text in self.files.items():
            with open(os.path.join(self.workflows, name), "w") as f:
                f.write(text)


class Daemon:
    """Starts, kills and restarts triggerd on one state directory, socket and port."""

    def __init__(self, bin_dir, work, port, log):
        self.bin = bin_dir
        self.work = work
        self.port = port
        self.log = log
        self.proc = None
        self.refusals = []
        self.crashes = []  # exits nobody asked for
        self.history = []  # {"pid", "spawned", "ready", "killed", "how"}

    def start(self):
        out = open(self.work.daemon_log, "ab")
        self.proc = subprocess.Popen(
            [os.path.join(self.bin, "triggerd"), "--workflows", self.work.workflows, "--state-dir", self.work.state,
             "--socket", self.work.socket, "--listen", f"127.0.0.1:{self.port}", "--secrets", self.work.secrets,
             "--log-level", "notice"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        out.close()
        self.history.append({"pid": self.proc.pid, "spawned": time.time(), "ready": None, "killed": None, "how": None})
        self.log.write("daemon.start", pid=self.proc.pid)
        return self.proc.pid

    # A start refused because the state-directory lock (or the port) is still held. Right after a SIGKILL that
    # happens when the dead daemon was spawning a step's child: until the child execs (or runs its file
    # actions), it holds a copy of every descriptor. Any supervisor retries; so does the harness, and counts it.
    REFUSALS = ("triggerd.lock", "address already in use")

    def wait_ready(self, timeout=60):
        """Waits until /healthz answers and the control socket accepts; returns False when the start was refused."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_tail()
                if self.proc.returncode == 1 and any(r in tail for r in self.REFUSALS):
                    self.history[-1]["how"] = "refused: " + tail
                    self.refusals.append(tail)
                    self.log.write("daemon.refused", pid=self.proc.pid, reason=tail)
                    return False
                raise HarnessError(f"triggerd exited with status {self.proc.returncode} while starting: {tail}")
            if self.healthy() and self.control_ok():
                self.history[-1]["ready"] = time.time()
                self.log.write("daemon.ready", pid=self.proc.pid)
                return True
            time.sleep(0.02)
        raise HarnessError(f"triggerd did not become ready within {timeout}s; see {self.work.daemon_log}")

    def start_ready(self, attempts=50):
        """Starts the daemon until one start gets ready (retrying refused starts after 0.2 s)."""
        for _ in range(attempts):
            self.start()
            if self.wait_ready():
                return
            time.sleep(0.2)
        raise HarnessError(f"triggerd refused to start {attempts} times: {self.refusals[-1]}")

    def log_tail(self):
        with open(self.work.daemon_log, "rb") as f:
            f.seek(max(0, os.path.getsize(self.work.daemon_log) - 400))
            lines = f.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else ""

    def healthy(self):
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
            c.request("GET", "/healthz")
            ok = c.getresponse().status == 200
            c.close()
            return ok
        except OSError:
            return False

    def control_ok(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.settimeout(1)
            s.connect(self.work.socket)
            return True
        except OSError:
            return False
        finally:
            s.close()

    def exited_by_itself(self):
        """True (and recorded as a crash) when the daemon ended without being killed."""
        if self.proc.poll() is None or self.history[-1]["how"]:
            return False
        self.history[-1]["how"] = f"exited {self.proc.returncode}"
        self.crashes.append(f"pid {self.proc.pid} exited with status {self.proc.returncode}: {self.log_tail()}")
        self.log.write("daemon.exited", pid=self.proc.pid, status=self.proc.returncode)
        return True

    def kill(self):
        """SIGKILLs the daemon; False when it had already exited (a refused start)."""
        if self.proc.poll() is not None:
            return False
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.history[-1]["killed"] = time.time()
        self.history[-1]["how"] = "SIGKILL"
        self.log.write("daemon.kill", pid=self.proc.pid)
        return True

    def stop(self, timeout=30):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
            how = "SIGTERM"
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            how = "SIGKILL after SIGTERM timed out"
        self.history[-1]["killed"] = time.time()
        self.history[-1]["how"] = how
        self.log.write("daemon.stop", pid=self.proc.pid, how=how)


def triggerctl(bin_dir, work, *args, timeout=15):
    """Runs triggerctl --json; returns (exit status, parsed JSON or None, stderr text)."""
    try:
        p = subprocess.run([os.path.join(bin_dir, "triggerctl"), *args, "--json", "--socket", work.socket],
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, None, "timed out"
    except OSError as e:
        return -2, None, f"could not run triggerctl: {e}"
    try:
        body = json.loads(p.stdout) if p.stdout.strip() else None
    except ValueError:
        body = None
    return p.returncode, body, p.stderr.strip()


class Senders:
    """Webhook senders: new signed deliveries at RATE per second in total; unanswered ones are re-sent."""

    def __init__(self, port, log, rng_seed):
        self.port = port
        self.log = log
        self.lock = threading.Lock()
        self.deliveries = {}  # id -> {"body", "acked", "run_id", "delivery_id", "statuses", "first_ack"}
        self.unacked = []
        self.stop_new = threading.Event()
        self.stop_all = threading.Event()
        self.rng = random.Random(rng_seed)
        self.seq = 0
        self.inflight = 0
        self.unexpected = []  # (id, status, body)
        self.threads = [threading.Thread(target=guarded(self.loop), name=f"sender-{i}", daemon=True) for i in range(SENDERS)]

    def start(self):
        for t in self.threads:
            t.start()

    def next_delivery(self):
        with self.lock:
            did = self.choose()
            if did is not None:
                self.inflight += 1
            return did

    def choose(self):
        """A re-send of an unanswered delivery (half the time) or a new one; None when done. Caller holds the lock."""
        if self.unacked and (self.stop_new.is_set() or self.rng.random() < 0.5):
            return self.unacked.pop(0)
        if self.stop_new.is_set():
            return None
        self.seq += 1
        did = str(uuid.uuid4())
        body = json.dumps({"n": self.seq, "pad": "x" * self.rng.randrange(0, 400)}).encode()
        self.deliveries[did] = {"body": body, "acked": False, "run_id": None, "delivery_id": None, "statuses": [], "first_ack": None}
        return did

    def post(self, did):
        body = self.deliveries[did]["body"]
        sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "X-GitHub-Event": "push", "X-GitHub-Delivery": did, "X-Hub-Signature-256": sig}
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            c.request("POST", HOOK_PATH, body=body, headers=headers)
            r = c.getresponse()
            status, text = r.status, r.read()
            c.close()
        except (OSError, http.client.HTTPException) as e:
            return None, type(e).__name__
        return status, text

    def loop(self):
        interval = SENDERS / RATE if RATE > 0 else 1
        while not self.stop_all.is_set():
            did = self.next_delivery()
            if did is None:
                time.sleep(0.05)
                continue
            sent_at = time.time()
            status = self.send(did)
            time.sleep(max(0.0, interval - (time.time() - sent_at)) if status else 0.1)

    def burst(self, n):
        """Sends n new deliveries at once from n threads (so runs pile up in the work queue); returns the threads."""
        def one():
            did = self.next_delivery()
            if did is not None:
                self.send(did)
        threads = [threading.Thread(target=guarded(one), name=f"burst-{i}", daemon=True) for i in range(n)]
        for t in threads:
            t.start()
        return threads

    def send(self, did):
        """Posts one delivery and books its answer; returns the HTTP status (None when no answer came)."""
        sent_at = time.time()
        status, text = self.post(did)
        entry = self.deliveries[did]
        run_id = delivery_id = None
        if status is not None and 200 <= status < 300:
            try:
                answer = json.loads(text)
                run_id, delivery_id = answer.get("run_id"), answer.get("delivery_id")
            except ValueError:
                pass
        self.log.write("delivery", id=did, sent=round(sent_at, 6), status=status, error=None if status else text,
                       run_id=run_id, delivery_id=delivery_id)
        with self.lock:
            entry["statuses"].append(status)
            if status is not None and 200 <= status < 300:
                if not entry["acked"]:
                    entry.update(acked=True, run_id=run_id, delivery_id=delivery_id, first_ack=time.time())
                elif entry["run_id"] != run_id:
                    self.unexpected.append((did, status, f"answered run {run_id}, earlier {entry['run_id']}"))
            else:
                if status not in (None, 429, 503):
                    self.unexpected.append((did, status, text[:200]))
                self.unacked.append(did)
            self.inflight -= 1
        return status

    def pending(self):
        with self.lock:
            return len(self.unacked) + self.inflight


class Operator:
    """Starts approval and event runs with triggerctl and resolves them: approve, emit.

    The state is shared with the main thread, which borrows a due approval or event (`claim`) to aim a kill
    at it; a claimed entry is left alone until its outcome is recorded.
    """

    def __init__(self, bin_dir, work, log, rng_seed):
        self.bin, self.work, self.log = bin_dir, work, log
        self.rng = random.Random(rng_seed)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.n = 0
        self.approve_runs = {}  # run id -> {"started", "approved", "busy"}
        self.await_runs = {}  # run id -> {"key", "started", "emitted", "busy"}
        self.approved_ok = set()  # runs the client saw an approve succeed for
        self.emitted = {}  # key -> [event ids the client saw stored]
        self.thread = threading.Thread(target=guarded(self.loop), name="operator", daemon=True)

    def ctl(self, *args):
        rc, body, err = triggerctl(self.bin, self.work, *args)
        self.log.write("ctl", args=list(args), rc=rc, body=body, stderr=err[:300])
        return rc, body, err

    def start_approval(self):
        with self.lock:
            self.n += 1
            n = self.n
        rc, body, _ = self.ctl("run", "approve", "--input", json.dumps({"n": n}))
        if rc == 0 and body:
            with self.lock:
                self.approve_runs[body["run_id"]] = {"started": time.time(), "approved": False, "busy": False}

    def start_await(self):
        with self.lock:
            self.n += 1
            key = f"k-{self.n}"
        rc, body, _ = self.ctl("run", "await", "--input", json.dumps({"key": key}))
        if rc == 0 and body:
            with self.lock:
                self.await_runs[body["run_id"]] = {"key": key, "started": time.time(), "emitted": False, "busy": False}

    @staticmethod
    def approve_args(run_id):
        return ["approve", run_id]

    @staticmethod
    def emit_args(key):
        return ["emit", "torture.go", "--key", key, "--data", json.dumps({"key": key})]

    def approve(self, run_id):
        rc, _, err = self.ctl(*self.approve_args(run_id))
        self.record_approve(run_id, rc, err)

    def record_approve(self, run_id, rc, err):
        with self.lock:
            entry = self.approve_runs.setdefault(run_id, {"started": None, "approved": False})
            entry["busy"] = False
            if rc == 0:
                self.approved_ok.add(run_id)
                entry["approved"] = True
            elif rc == 1 and "already decided" in err:
                # The decision committed before an earlier answer was lost (or the drain re-approves): done.
                entry["approved"] = True

    def emit(self, key, run_id=None):
        rc, body, _ = self.ctl(*self.emit_args(key))
        self.record_emit(key, run_id, rc, body)

    def record_emit(self, key, run_id, rc, body):
        with self.lock:
            entry = self.await_runs.get(run_id)
            if entry:
                entry["busy"] = False
            if rc == 0 and body:
                self.emitted.setdefault(key, []).append(body["event_id"])
                if entry:
                    entry["emitted"] = True

    def claim(self, kind, min_age=0.3):
        """A due approval run (kind "approve") or event run ("emit") as (run id, key), marked busy; or None."""
        now = time.time()
        with self.lock:
            if kind == "approve":
                due = [r for r, v in self.approve_runs.items()
                       if not v["approved"] and not v["busy"] and v["started"] and now - v["started"] > min_age]
                table = self.approve_runs
            else:
                due = [r for r, v in self.await_runs.items() if not v["emitted"] and not v["busy"] and now - v["started"] > min_age]
                table = self.await_runs
            if not due:
                return None
            run_id = self.rng.choice(due)
            table[run_id]["busy"] = True
            return run_id, table[run_id].get("key")

    def loop(self):
        while not self.stop.is_set():
            choice = self.rng.random()
            if choice < 0.25:
                self.start_approval()
            elif choice < 0.5:
                self.start_await()
            elif choice < 0.75:
                target = self.claim("approve")
                if target:
                    self.approve(target[0])
            else:
                target = self.claim("emit")
                if target:
                    self.emit(target[1], target[0])
            time.sleep(self.rng.uniform(0.05, 0.25))


def queued_kill(daemon, senders, work, log):
    """SIGKILLs the daemon while accepted runs wait in the work queue (committed, answered, not yet started).

    A burst of deliveries arrives at once; the kill lands the moment the store (read-only) shows an unclaimed
    run (`claim_seq = 0`). After the restart those runs must be claimed once: started, completed, never twice.
    """
    threads = senders.burst(BURST)
    db = sqlite3.connect(f"file:{work.db}?mode=ro", uri=True, timeout=5)
    seen = 0
    try:
        deadline = time.time() + 5
        while time.time() < deadline:
            seen = db.execute("SELECT COUNT(*) FROM run WHERE claim_seq = 0").fetchone()[0]
            if seen > 0:
                break
            time.sleep(0.0005)
    finally:
        db.close()
    killed = daemon.kill()
    for t in threads:
        t.join(15)
    log.write("queued_kill", queued=seen)
    QUEUED_AT_KILL.append(seen)
    if not killed:
        return None
    return "aimed at runs waiting in the work queue" if seen > 0 else "after a burst (no run seen queued)"


def aimed_kill(daemon, operator, senders, work, log, rng):
    """SIGKILLs the daemon the moment an approve or emit has committed, before it answers.

    A decision or an event is committed in one transaction and the run it resolves moves on in the next; this
    aims the kill between the two by polling the store (read-only) for the committed row. Returns the kind of
    kill for the report (a plain kill when nothing was due), or None when the daemon had already exited.
    """
    kind = rng.choice(["approve", "emit", "queued"])
    if kind == "queued":
        return queued_kill(daemon, senders, work, log)
    target = operator.claim(kind) or operator.claim(kind := ("emit" if kind == "approve" else "approve"))
    if target is None:
        return "at a random moment" if daemon.kill() else None
    run_id, key = target
    if kind == "approve":
        args, probe, params = Operator.approve_args(run_id), "SELECT COUNT(*) FROM approval_decision WHERE run_id = ?", (run_id,)
    else:
        args, probe, params = Operator.emit_args(key), "SELECT COUNT(*) FROM event WHERE name = 'torture.go' AND key = ?", (key,)
    db = sqlite3.connect(f"file:{work.db}?mode=ro", uri=True, timeout=5)
    try:
        before = db.execute(probe, params).fetchone()[0]
        p = subprocess.Popen([os.path.join(daemon.bin, "triggerctl"), *args, "--json", "--socket", work.socket],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 5
        while time.time() < deadline and p.poll() is None:
            if db.execute(probe, params).fetchone()[0] > before:
                break
            time.sleep(0.0005)
    finally:
        db.close()
    killed = daemon.kill()
    try:
        out, err = p.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    try:
        body = json.loads(out) if out.strip() else None
    except ValueError:
        body = None
    log.write("ctl", args=args, rc=p.returncode, body=body, stderr=err.strip()[:300], aimed=True)
    if kind == "approve":
        operator.record_approve(run_id, p.returncode, err)
    else:
        operator.record_emit(key, run_id, p.returncode, body)
    if not killed:
        return None
    return f"aimed at a committed {kind}, " + ("after its answer" if p.returncode == 0 else "before its answer")


def drain(daemon, senders, operator, work, log):
    """Lets everything finish after the last restart; returns (seconds, whether every run ended)."""
    t0 = time.time()
    deadline = t0 + DRAIN
    # The cron workflow goes first: its fires would otherwise keep new runs coming while we wait for the end.
    os.remove(os.path.join(work.workflows, "tick.yaml"))
    triggerctl(daemon.bin, work, "reload")
    senders.stop_new.set()
    last_emit = {}
    while time.time() < deadline:
        rc, approvals, _ = triggerctl(daemon.bin, work, "approvals")
        for a in approvals or []:
            operator.approve(a["run_id"])
        rc, runs, _ = triggerctl(daemon.bin, work, "runs", "--workflow", "await", "--status", "waiting", "--limit", "1000")
        for r in runs or []:
            key = (r.get("input") or {}).get("key")
            if key and time.time() - last_emit.get(key, 0) > 3:
                last_emit[key] = time.time()
                operator.emit(key, r["id"])
        rc, status, _ = triggerctl(daemon.bin, work, "status")
        counts = (status or {}).get("run_counts", {})
        active = sum(counts.get(s, 0) for s in ("pending", "running", "waiting"))
        if status is not None and active == 0 and senders.pending() == 0:
            log.write("drain.done", seconds=round(time.time() - t0, 3))
            return time.time() - t0, True
        time.sleep(0.5)
    log.write("drain.timeout", seconds=round(time.time() - t0, 3))
    return time.time() - t0, False


def parse_utc(text):
    """Seconds since the epoch of an RFC 3339 UTC time such as 2026-11-27T03:33:55.000Z."""
    return calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))


def read_marks(path):
    marks = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 6:
                marks.append({"bad": line})
                continue
            run, step, nonce, start, ppid, tag = parts
            marks.append({"run": run, "step": step, "nonce": nonce, "start": float(start), "ppid": int(ppid), "tag": tag})
    return marks


class Report:
    def __init__(self):
        self.lines = []
        self.results = []  # (name, ok, details)

    def count(self, label, value):
        self.lines.append((label, value))

    def check(self, name, violations):
        self.results.append((name, not violations, violations))


def check(work, daemon, senders, operator, report):
    db = sqlite3.connect(f"file:{work.db}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    q = lambda sql, *a: db.execute(sql, a).fetchall()
    runs = {r["id"]: r for r in q("SELECT id, workflow, status, error, trigger_json, input_json FROM run")}
    steps = {(s["run_id"], s["step_id"]): s for s in q("SELECT * FROM step_run")}
    marks = read_marks(work.marks)
    marks_by_step = defaultdict(list)
    for m in marks:
        if "bad" not in m:
            marks_by_step[(m["run"], m["step"])].append(m)

    # --- deliveries -------------------------------------------------------------------------------------
    stored = {d["dedupe_key"]: d for d in q("SELECT id, dedupe_key, outcome, run_id FROM delivery WHERE workflow = 'hook'")}
    acked = {k: v for k, v in senders.deliveries.items() if v["acked"]}
    kill_times = [h["killed"] for h in daemon.history if h["how"] == "SIGKILL"]
    acked_before_kill = sum(1 for v in acked.values() if any(0 <= k - v["first_ack"] <= 0.25 for k in kill_times))
    retried = sum(1 for v in senders.deliveries.values() if len(v["statuses"]) > 1)
    v = []
    found = finished = 0
    for did, d in acked.items():
        row = stored.get(did)
        if row is None:
            v.append(f"delivery {did} was answered {d['statuses']} but is not stored")
            continue
        found += 1
        if row["id"] != d["delivery_id"] or row["run_id"] != d["run_id"]:
            v.append(f"delivery {did}: answered delivery {d['delivery_id']} run {d['run_id']}, stored {row['id']} run {row['run_id']}")
        run = runs.get(row["run_id"])
        if run is None:
            v.append(f"delivery {did}: run {row['run_id']} does not exist")
        elif run["status"] != "completed":
            v.append(f"delivery {did}: run {row['run_id']} is {run['status']}")
        else:
            finished += 1
    for did, d in senders.deliveries.items():
        if not d["acked"]:
            v.append(f"delivery {did} never got a 2xx (statuses {d['statuses']})")
    for did, status, text in senders.unexpected:
        v.append(f"delivery {did}: unexpected answer {status}: {text!r}")
    per_delivery = Counter(json.loads(r["trigger_json"]).get("dedupe_key") for r in runs.values() if r["workflow"] == "hook")
    dup_runs = {k: n for k, n in per_delivery.items() if n > 1}
    for k, n in dup_runs.items():
        v.append(f"delivery {k} started {n} runs")
    mark_runs = defaultdict(set)
    for m in marks:
        if m.get("step") in ("first", "second") and m["run"] in runs and runs[m["run"]]["workflow"] == "hook":
            mark_runs[m["tag"]].add(m["run"])
    for k, rs in mark_runs.items():
        if len(rs) > 1:
            v.append(f"delivery {k}: steps of {len(rs)} runs ran for it (marks): {sorted(rs)}")
    report.count("deliveries sent", len(senders.deliveries))
    report.count("deliveries re-sent (daemon down or answer lost)", retried)
    report.count("deliveries 2xx", len(acked))
    report.count("  answered <= 250 ms before a SIGKILL", acked_before_kill)
    report.count("deliveries 2xx found in store", found)
    report.count("deliveries 2xx whose run completed", finished)
    report.count("deliveries that started two runs", len(dup_runs))
    report.check("every 2xx delivery is stored and its run completed; none started twice", v)

    # --- cron ---------------------------------------------------------------------------------------------
    v = []
    tick_runs = [r for r in runs.values() if r["workflow"] == "tick"]
    slots = Counter(json.loads(r["trigger_json"])["scheduled_at"] for r in tick_runs)
    dups = {s: n for s, n in slots.items() if n > 1}
    for s, n in dups.items():
        v.append(f"cron slot {s} has {n} runs")
    slot_marks = defaultdict(set)
    for m in marks:
        if m.get("step") == "mark":
            slot_marks[m["tag"]].add(m["run"])
    mark_dups = {s: rs for s, rs in slot_marks.items() if len(rs) > 1}
    for s, rs in mark_dups.items():
        v.append(f"cron slot {s}: marks from {len(rs)} runs {sorted(rs)}")
    ledger = q("SELECT scheduled_at, run_id, outcome FROM schedule_ledger WHERE workflow = 'tick'")
    ledger_runs = {l["run_id"] for l in ledger if l["run_id"]}
    for r in tick_runs:
        if r["id"] not in ledger_runs:
            v.append(f"cron run {r['id']} has no ledger row")
    for l in ledger:
        if l["outcome"] == "started" and l["run_id"] not in runs:
            v.append(f"ledger slot {l['scheduled_at']} names run {l['run_id']}, which does not exist")
    catch_up = sum(1 for r in tick_runs if json.loads(r["trigger_json"]).get("catch_up"))
    first_slot = min(slots) if slots else None
    last_slot = max(slots) if slots else None
    report.count("cron slots fired", len(slots))
    report.count("  of which catch-up fires after a restart", catch_up)
    if slots:
        span = int(parse_utc(last_slot) - parse_utc(first_slot)) + 1
        report.count("  span (first .. last slot)", f"{first_slot} .. {last_slot} ({span} slots, {span - len(slots)} not fired)")
    report.count("cron slots fired twice", len(dups) + len(mark_dups))
    report.check("no cron slot fired twice", v)

    # --- steps --------------------------------------------------------------------------------------------
    v = []
    pids = {h["pid"]: h for h in daemon.history}
    committed = reexec = rerun_before_commit = 0
    for m in marks:
        if "bad" in m:
            v.append(f"unreadable mark line {m['bad']!r}")
        elif m["run"] not in runs:
            v.append(f"mark of run {m['run']} step {m['step']}, a run the store does not have")
    for key, s in steps.items():
        ms = marks_by_step.get(key, [])
        if len(ms) > s["attempts"]:
            v.append(f"run {key[0]} step {key[1]}: {len(ms)} executions marked, {s['attempts']} attempts stored")
        if s["type"] != "command" or s["status"] != "completed":
            if s["status"] == "completed":
                committed += 1
            continue
        committed += 1
        if len(ms) > 1:
            rerun_before_commit += 1
        nonce = (json.loads(s["output_json"] or "{}").get("stdout") or "").strip()
        if nonce not in {m["nonce"] for m in ms}:
            v.append(f"run {key[0]} step {key[1]}: committed output {nonce!r} matches none of its marks")
        for m in ms:
            if m["start"] > s["ended_at"]:
                reexec += 1
                parent = pids.get(m["ppid"])
                who = f"daemon pid {m['ppid']}" if parent else f"pid {m['ppid']} (not a daemon: orphaned before it started)"
                v.append(f"run {key[0]} step {key[1]}: an execution started {m['start'] - s['ended_at']:.3f}s after its "
                         f"completion was committed (ended_at {s['ended_at']:.6f}), spawned by {who}")
    events = q("SELECT seq, run_id, step, type FROM run_event WHERE step IS NOT NULL ORDER BY seq")
    done_at = {}
    completed_events = Counter()
    after_done = 0
    for e in events:
        key = (e["run_id"], e["step"])
        if e["type"] == "step.completed":
            completed_events[key] += 1
        if key in done_at:
            after_done += 1
            v.append(f"run {key[0]} step {key[1]}: event {e['type']} (seq {e['seq']}) after its step.completed (seq {done_at[key]})")
        elif e["type"] == "step.completed":
            done_at[key] = e["seq"]
    report.count("steps committed (completed)", committed)
    report.count("command executions marked", len(marks))
    report.count("  command steps run again before their commit (allowed)", rerun_before_commit)
    report.count("steps re-executed after commit", reexec + after_done)
    report.check("no step that had committed ran again", v)

    # --- event log ------------------------------------------------------------------------------------------
    v = []
    missing_events = [k for k, s in steps.items() if s["status"] == "completed" and completed_events[k] == 0]
    for k in missing_events:
        v.append(f"run {k[0]} step {k[1]}: completed in step_run but no step.completed event")
    run_ends = Counter(e["run_id"] for e in q("SELECT run_id FROM run_event WHERE type IN ('run.completed', 'run.failed', 'run.cancelled')"))
    for r in runs.values():
        if r["status"] in TERMINAL and run_ends[r["id"]] != 1:
            v.append(f"run {r['id']} is {r['status']} with {run_ends[r['id']]} end events")
    report.count("completed steps without a step.completed event", len(missing_events))
    report.check("the event log agrees with the stored steps and runs", v)

    # --- runs ---------------------------------------------------------------------------------------------
    v = []
    by_status = Counter(r["status"] for r in runs.values())
    stuck = [r for r in runs.values() if r["status"] not in TERMINAL]
    for r in stuck:
        st = {k[1]: s["status"] for k, s in steps.items() if k[0] == r["id"]}
        waits = q("SELECT step_id, kind FROM wait WHERE run_id = ?", r["id"])
        v.append(f"run {r['id']} ({r['workflow']}) is stuck {r['status']}: steps {st}, wait rows {[tuple(w) for w in waits]}")
    for r in runs.values():
        if r["status"] in ("failed", "cancelled"):
            v.append(f"run {r['id']} ({r['workflow']}) {r['status']}: {r['error']}")
    for run_id in operator.approve_runs:
        if run_id not in runs:
            v.append(f"approval run {run_id} (answered 201) does not exist")
    for run_id in operator.await_runs:
        if run_id not in runs:
            v.append(f"event run {run_id} (answered 201) does not exist")
    for run_id in operator.approved_ok:
        s = steps.get((run_id, "ask"))
        out = json.loads(s["output_json"] or "{}") if s else {}
        if not s or s["status"] != "completed" or out.get("approved") is not True:
            v.append(f"run {run_id}: approve answered 0 but step ask is {s['status'] if s else 'missing'} {out}")
    stored_events = {e["id"] for e in q("SELECT id FROM event WHERE name = 'torture.go'")}
    emitted = [e for ids in operator.emitted.values() for e in ids]
    for e in emitted:
        if e not in stored_events:
            v.append(f"event {e} (answered) is not stored")
    report.count("runs", f"{len(runs)} ({', '.join(f'{k} {n}' for k, n in sorted(by_status.items()))})")
    report.count("approval runs started / approved (answered 0)", f"{len(operator.approve_runs)} / {len(operator.approved_ok)}")
    report.count("event runs started / events emitted (answered)", f"{len(operator.await_runs)} / {len(emitted)}")
    for crash in daemon.crashes:
        v.append(f"the daemon ended by itself: {crash}")
    queued = q("SELECT id, workflow FROM run WHERE claim_seq = 0")
    for r in queued:
        v.append(f"run {r['id']} ({r['workflow']}) is still in the work queue after the drain")
    starts = Counter(e["run_id"] for e in q("SELECT run_id FROM run_event WHERE type = 'run.started'"))
    for run_id, n in starts.items():
        if n > 1:
            v.append(f"run {run_id} was started {n} times (run.started events)")
    for r in runs.values():
        if r["status"] == "completed" and starts[r["id"]] == 0:
            v.append(f"run {r['id']} completed without a run.started event")
    report.count("runs left in the work queue", len(queued))
    report.count("runs started more than once", sum(1 for n in starts.values() if n > 1))
    report.count("runs stuck", len(stuck))
    report.count("daemon exits nobody asked for", len(daemon.crashes))
    report.check("no run is stuck, queued or started twice, none failed; every answered approve and emit took effect; the daemon never died by itself", v)
    db.close()


def main():
    bin_dir = os.path.abspath(find_bin())
    for tool in ("triggerd", "triggerctl"):
        if not os.access(os.path.join(bin_dir, tool), os.X_OK):
            print(f"torture: no {tool} in {bin_dir} (build with `swift build -c release` or pass BIN)", file=sys.stderr)
            return 2
    root = tempfile.mkdtemp(prefix="triggerd-torture-")
    work = Workload(root)
    # Private copies: a rebuild of the build directory during the run must not swap the daemon between restarts
    # (nor make exec fail with "Text file busy").
    source_bin, bin_dir = bin_dir, os.path.join(root, "bin")
    os.makedirs(bin_dir)
    for tool in ("triggerd", "triggerctl"):
        shutil.copy2(os.path.join(source_bin, tool), os.path.join(bin_dir, tool))
    log = ClientLog(work.client_log)
    rng = random.Random(SEED)
    port = free_port()
    daemon = Daemon(bin_dir, work, port, log)
    senders = Senders(port, log, rng.randrange(1 << 30))
    operator = Operator(bin_dir, work, log, rng.randrange(1 << 30))
    print(f"torture: {KILLS} SIGKILLs, up {MIN_UP}-{MAX_UP}s, {EARLY:.0%} during start-up, {RATE:g} deliveries/s, "
          f"seed {SEED}, bin {source_bin}, dir {root}", flush=True)
    log.write("config", kills=KILLS, min_up=MIN_UP, max_up=MAX_UP, early=EARLY, aimed=AIMED, rate=RATE, seed=SEED, bin=source_bin)
    report = Report()
    t0 = time.time()
    ok = False
    try:
        daemon.start_ready()
        senders.start()
        operator.thread.start()
        kinds = Counter()
        downs = 0
        for k in range(KILLS):
            if k > 0 and k % 10 == 0:
                print(f"  {k} kills, {len(senders.deliveries)} deliveries, {time.time() - t0:.0f}s", flush=True)
            if k > 0:
                if rng.random() < DOWNTIME:
                    # Stay down past the scheduler's 2 s grace: missed slots go through catch_up, senders retry.
                    time.sleep(rng.uniform(2.5, 4.0))
                    downs += 1
                if rng.random() < EARLY:
                    # Kill while it starts: recovery, scheduler catch-up and the listener may be half up.
                    daemon.start()
                    time.sleep(rng.uniform(0.0, 0.3))
                    if daemon.kill():
                        kinds["during start-up"] += 1
                        continue
                    daemon.wait_ready()  # it had exited by itself: records the refusal (or raises)
                daemon.start_ready()
            time.sleep(rng.uniform(MIN_UP, MAX_UP))
            if daemon.exited_by_itself():
                continue
            if rng.random() < AIMED:
                kind = aimed_kill(daemon, operator, senders, work, log, rng)
            else:
                kind = "at a random moment" if daemon.kill() else None
            if kind:
                kinds[kind] += 1
            else:
                daemon.exited_by_itself()
        daemon.start_ready()
        operator.stop.set()
        operator.thread.join(30)
        drained_in, drained = drain(daemon, senders, operator, work, log)
        senders.stop_all.set()
        for t in senders.threads:
            t.join(30)
        daemon.stop()
        time.sleep(0.5)  # orphaned mark.sh children of killed daemons finish within milliseconds
        if THREAD_ERRORS:
            raise HarnessError("; ".join(THREAD_ERRORS))
        report.count("kills (SIGKILL)", sum(1 for h in daemon.history if h["how"] == "SIGKILL"))
        for kind, n in sorted(kinds.items()):
            report.count(f"  {kind}", n)
        report.count("runs seen queued at the kills aimed at the queue", sum(QUEUED_AT_KILL))
        report.count("daemon starts", len(daemon.history))
        report.count("  after 2.5-4 s down", downs)
        report.count("  refused (lock or port still held), retried", len(daemon.refusals))
        report.count("drain", f"{drained_in:.1f}s ({'all runs ended' if drained else 'TIMED OUT'})")
        check(work, daemon, senders, operator, report)
        width = max(len(label) for label, _ in report.lines)
        print("")
        for label, value in report.lines:
            print(f"{label:<{width}}  {value}")
        print("")
        for name, passed, violations in report.results:
            print(f"{'PASS' if passed else 'FAIL'}  {name}")
            for line in violations[:20]:
                print(f"      {line}")
            if len(violations) > 20:
                print(f"      ... {len(violations) - 20} more")
        ok = all(passed for _, passed, _ in report.results)
        print(f"\ntorture: {'PASS' if ok else 'FAIL'} in {time.time() - t0:.0f}s (seed {SEED})")
        return 0 if ok else 1
    except HarnessError as e:
        print(f"torture: harness error: {e}", file=sys.stderr)
        return 2
    finally:
        operator.stop.set()
        senders.stop_all.set()
        daemon.stop(timeout=15)
        log.close()
        shutil.rmtree(bin_dir, ignore_errors=True)  # copies of source_bin
        if ok and not KEEP:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"torture: kept {root} (triggerd.log, client.log, marks, state/triggerd.db)")


if __name__ == "__main__":
    sys.exit(main())

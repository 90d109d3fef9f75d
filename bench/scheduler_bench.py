#!/usr/bin/env python3
"""Cron scheduler benchmark driver (run by bench/scheduler.sh).

Phases, each with its own temp directory and daemon:
  1. idle: SCHEDULES daily workflows whose times are hours away; startup time, idle CPU and RSS.
  2. load: SCHEDULES workflows `S * * * * *` (S = i mod 60): every schedule fires once a minute, spread over
     the seconds, i.e. SCHEDULES fires per minute; lateness (trigger.fired_at - trigger.scheduled_at, read
     from the runs through the control API), CPU and RSS over at least a minute.
  3. peer (optional, --cron): Debian cron with SCHEDULES entries in /etc/cron.d, idle CPU and RSS, then with
     CRON_FIRING of them firing every minute: lateness of each job's start against its minute boundary.

Everything runs on this machine only; every process started is stopped at the end.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

from benchlib import UnixHTTP, free_port
from results import record

CLK_TCK = os.sysconf("SC_CLK_TCK")



def api(sock, path):
    conn = UnixHTTP(sock)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:200]!r}")
        return json.loads(body)
    finally:
        conn.close()



def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat; after the ")" split they are at index 11 and 12.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_percent(pid, seconds):
    start_cpu, start = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return 100 * (cpu_seconds(pid) - start_cpu) / (time.monotonic() - start)


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


class Daemon:
    def __init__(self, bin_dir, workflows, root):
        self.root = root
        self.sock = os.path.join(root, "control.sock")
        self.log = open(os.path.join(root, "daemon.log"), "w")
        args = [
            os.path.join(bin_dir, "triggerd"), "--workflows", workflows, "--state-dir", os.path.join(root, "state"),
            "--socket", self.sock, "--listen", f"127.0.0.1:{free_port()}", "--log-level", "warning",
        ]
        env = {k: v for k, v in os.environ.items() if k not in ("NOTIFY_SOCKET", "TRIGGERD_SOCKET")}
        self.started = time.monotonic()
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def wait_ready(self, schedules, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"triggerd exited: see {self.log.name}")
            try:
                if len(api(self.sock, "/v1/schedules")) >= schedules:
                    return time.monotonic() - self.started
            except (OSError, RuntimeError, ValueError):
                pass
            time.sleep(0.2)
        raise RuntimeError("triggerd did not load the schedules in time")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def write_workflows(directory, count, schedule_of):
    os.makedirs(directory)
    for i in range(count):
        with open(os.path.join(directory, f"w{i:05d}.yaml"), "w") as f:
            f.write(f'triggers:\n  - cron: {{ schedule: "{schedule_of(i)}" }}\nsteps:\n  s: {{ type: transform, with: {{ value: 1 }} }}\n')


def idle_phase(args, root):
    now = datetime.now(timezone.utc)
    base = now.hour * 3600 + now.minute * 60 + now.second + 2 * 3600

    def daily(i):
        t = (base + i) % 86400
        return f"{t % 60} {t // 60 % 60} {t // 3600} * * *"

    workflows = os.path.join(root, "workflows")
    write_workflows(workflows, args.schedules, daily)
    daemon = Daemon(args.bin, workflows, root)
    try:
        ready = daemon.wait_ready(args.schedules)
        time.sleep(5)
        cpu = cpu_percent(daemon.process.pid, args.idle)
        rss = rss_mib(daemon.process.pid)
        return {"startup_s": ready, "idle_cpu_pct": cpu, "rss_mib": rss}
    finally:
        daemon.stop()


def collect_runs(sock):
    runs, before = [], None
    while True:
        path = "/v1/runs?limit=1000" + (f"&before={before}" if before else "")
        page = api(sock, path)
        runs += page
        if len(page) < 1000:
            return runs
        before = page[-1]["id"]


def load_phase(args, root):
    workflows = os.path.join(root, "workflows")
    write_workflows(workflows, args.schedules, lambda i: f"{i % 60} * * * * *")
    daemon = Daemon(args.bin, workflows, root)
    try:
        ready = daemon.wait_ready(args.schedules)
        window_start = time.time()
        cpu = cpu_percent(daemon.process.pid, args.seconds)
        window_end = time.time()
        rss = rss_mib(daemon.process.pid)
        runs = collect_runs(daemon.sock)
        schedules = api(daemon.sock, "/v1/schedules")
    finally:
        daemon.stop()
    lateness, slots = [], []
    for run in runs:
        trigger = run.get("trigger", {})
        scheduled = parse_time(trigger["scheduled_at"])
        if window_start <= scheduled < window_end:
            lateness.append(parse_time(trigger["fired_at"]) - scheduled)
            slots.append((run["workflow"], scheduled))
    # Every slot of the window should have fired exactly once.
    expected = 0
    for i in range(args.schedules):
        second = i % 60
        first = int(window_start) + ((second - int(window_start)) % 60)
        if first < window_start:
            first += 60
        while first < window_end:
            expected += 1
            first += 60
    lateness.sort()
    return {
        "startup_s": ready, "window_s": window_end - window_start, "fires": len(lateness), "expected": expected,
        "duplicates": len(slots) - len(set(slots)), "misses": sum(int(s.get("misses", 0)) for s in schedules),
        "p50_ms": 1000 * percentile(lateness, 0.50), "p99_ms": 1000 * percentile(lateness, 0.99),
        "max_ms": 1000 * (lateness[-1] if lateness else float("nan")), "cpu_pct": cpu, "rss_mib": rss,
    }


def cron_phase(args, root):
    cron = shutil.which("cron")
    if not cron:
        return None
    table = "/etc/cron.d/triggerd-bench"
    marks = os.path.join(root, "cron-fires")
    os.makedirs(marks)
    now = datetime.now(timezone.utc).astimezone()
    idle_minute = (now.minute + 30) % 60
    idle_hour = (now.hour + 3) % 24

    def write_table(firing):
        lines = ["SHELL=/bin/sh"]
        for i in range(args.schedules):
            if i < firing:
                # `%` ends a crontab command line unless escaped.
                lines.append(f"* * * * * root date +\\%s.\\%N >> {marks}/{i % 100}")
            else:
                lines.append(f"{idle_minute} {idle_hour} * * * root true")
        with open(table + ".tmp", "w") as f:
            f.write("\n".join(lines) + "\n")
        os.chmod(table + ".tmp", 0o644)
        os.replace(table + ".tmp", table)

    write_table(0)
    log = open(os.path.join(root, "cron.log"), "w")
    process = subprocess.Popen([cron, "-f", "-L", "0"], stdout=log, stderr=subprocess.STDOUT)
    try:
        time.sleep(3)
        if process.poll() is not None:
            return {"error": f"cron exited at start (see {log.name})"}
        idle = cpu_percent(process.pid, args.idle)
        idle_rss = rss_mib(process.pid)
        # cron notices the changed table at its next minute check; then two full minutes of fires.
        write_table(args.cron_firing)
        time.sleep(60 - time.time() % 60 + 1)
        window_start = time.time()
        busy = cpu_percent(process.pid, 2 * 60 + 20)
        window_end = time.time()
        lateness = []
        for name in os.listdir(marks):
            with open(os.path.join(marks, name)) as f:
                for line in f:
                    t = float(line)
                    if window_start <= t < window_end and int(t // 60) * 60 > window_start:
                        lateness.append(t - int(t // 60) * 60)
        lateness.sort()
        return {
            "idle_cpu_pct": idle, "rss_mib": idle_rss, "fires": len(lateness), "cpu_pct": busy,
            "p50_ms": 1000 * percentile(lateness, 0.5), "p99_ms": 1000 * percentile(lateness, 0.99),
            "max_ms": 1000 * (lateness[-1] if lateness else float("nan")), "window_s": window_end - window_start,
        }
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        for path in (table, table + ".tmp"):
            if os.path.exists(path):
                os.remove(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, help="directory with release triggerd")
    parser.add_argument("--schedules", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=65, help="load window (at least 60)")
    parser.add_argument("--idle", type=float, default=60, help="idle measurement window")
    parser.add_argument("--cron", action="store_true", help="also measure Debian cron")
    parser.add_argument("--cron-firing", type=int, default=1000, help="cron entries that fire every minute")
    parser.add_argument("--phases", default="idle,load", help="comma-separated: idle, load (cron: add --cron)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    root = tempfile.mkdtemp(prefix="triggerd-sched-bench-")
    try:
        phases = args.phases.split(",")
        idle = idle_phase(args, os.path.join(root, "idle")) if "idle" in phases else None
        load = load_phase(args, os.path.join(root, "load")) if "load" in phases else None
        peer = cron_phase(args, os.path.join(root, "cron")) if args.cron else None
    finally:
        shutil.rmtree(root, ignore_errors=True)

    n = f"{args.schedules:,}"
    print()
    print(f"cron scheduler benchmark: {n} schedules, {os.cpu_count()} CPUs")
    print(f"{'':34} {'p50':>8} {'p99':>8} {'max':>8} {'fires':>12} {'CPU':>7} {'RSS':>9}")
    if idle:
        print(f"{'triggerd idle (' + n + ' daily)':34} {'':>8} {'':>8} {'':>8} {'':>12} "
              f"{idle['idle_cpu_pct']:6.2f}% {idle['rss_mib']:7.1f}Mi")
    if load:
        print(f"{'triggerd load (' + n + '/min)':34} {load['p50_ms']:6.0f}ms {load['p99_ms']:6.0f}ms "
              f"{load['max_ms']:6.0f}ms {load['fires']:>5}/{load['expected']:<6} {load['cpu_pct']:6.1f}% "
              f"{load['rss_mib']:7.1f}Mi")
    if peer and "error" not in peer:
        print(f"{'cron idle (' + n + ' entries)':34} {'':>8} {'':>8} {'':>8} {'':>12} "
              f"{peer['idle_cpu_pct']:6.2f}% {peer['rss_mib']:7.1f}Mi")
        print(f"{'cron load (' + format(args.cron_firing, ',') + '/min at :00)':34} {peer['p50_ms']:6.0f}ms "
              f"{peer['p99_ms']:6.0f}ms {peer['max_ms']:6.0f}ms {peer['fires']:>12} {peer['cpu_pct']:6.1f}%")
    elif peer:
        print(f"cron: {peer['error']}")
    print()
    if idle and load:
        print(f"triggerd: startup with {n} files {idle['startup_s']:.1f}s; load window {load['window_s']:.0f}s; "
              f"duplicates {load['duplicates']}; misses {load['misses']}. Lateness = trigger.fired_at - "
              f"trigger.scheduled_at (ms resolution).")
    if peer and "error" not in peer:
        print("cron: minute granularity; lateness = job start (date +%s.%N) - minute boundary, including fork/exec; "
              "cron's CPU excludes its jobs.")
    if load:
        record("cron", f"fire lateness p50 ({n} schedules)", load["p50_ms"], "ms",
               peer=peer["p50_ms"] if peer and "error" not in peer else None, peer_name="Debian cron")
        record("cron", "fire lateness p99", load["p99_ms"], "ms",
               peer=peer["p99_ms"] if peer and "error" not in peer else None, peer_name="Debian cron")
        record("cron", "fire lateness max", load["max_ms"], "ms",
               peer=peer["max_ms"] if peer and "error" not in peer else None, peer_name="Debian cron",
               note=f"duplicates {load['duplicates']}, misses {load['misses']}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"idle": idle, "load": load, "cron": peer}, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())

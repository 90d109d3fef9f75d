#!/usr/bin/env python3
"""Writes the link order file build/triggerd.order.gz: the functions triggerd executes while starting and
idling first, then those a first webhook delivery, manual run and status request add, each group in address
order. scripts/release-build.sh links the shipped binary with it.

Why: the kernel maps a page of a cached file together with up to 15 neighbours ("fault-around", 64 KiB), so
start-up code scattered over 26 MiB of .text kept ~19 MiB of it resident at idle although ~2 MiB of it ever
runs. Laid out next to each other (lld --symbol-ordering-file, every function in its own section), the
neighbours fault-around maps are mostly code that runs too.

How the set is found, in two passes:
1. exactly: the daemon runs under valgrind's callgrind with --dump-instr, and every executed instruction
   address of the binary is mapped to the function holding it (by address, so code entered by tail calls,
   as Swift's async functions are, counts too). A dump after idling separates the idle group from the rest;
2. by pages: valgrind's slow clock changes what runs a little (timers, signal handling), so the binary is
   linked with pass 1's order and run normally with the disk's readahead off and the binary dropped from the
   page cache; every page fault then maps exactly its own page, and the resident text pages outside the
   ordered region name the functions pass 1 missed.

Needs root (readahead is restored afterwards) and valgrind (`make order-file` installs it).

    sudo python3 scripts/order-file.py [--out build/triggerd.order.gz]        (or: make order-file)

A stale order file is harmless: the linker skips names the code no longer has; the layout is only less compact.
"""
import argparse
import bisect
import gzip
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from benchlib import UnixHTTP, free_port, write_footprint_workflows  # noqa: E402


def build(order=None):
    """Links triggerd through scripts/release-build.sh (with `order`, a plain list, when given); its path."""
    env = dict(os.environ)
    if order:
        env["TRIGGERD_ORDER_FILE"] = order
    out = subprocess.run(["bash", os.path.join(ROOT, "scripts", "release-build.sh"), "triggerd"], env=env,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"order-file: the release build failed:\n{out.stderr[-2000:]}")
    return os.path.realpath(os.path.join(out.stdout.strip(), "triggerd"))


class Functions:
    """The function symbols of a binary by address, with their sizes."""

    def __init__(self, binary):
        self.syms = []
        nm = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True)
        for line in nm.stdout.splitlines():
            parts = line.split()
            if len(parts) == 4 and parts[2] in "tTwW":
                self.syms.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
        self.syms.sort()
        self.starts = [s[0] for s in self.syms]

    def at(self, address):
        """The function holding `address`, or None."""
        i = bisect.bisect_right(self.starts, address) - 1
        if i >= 0 and self.syms[i][0] <= address < self.syms[i][0] + max(self.syms[i][1], 1):
            return self.syms[i]
        return None

    def overlapping(self, lo, hi):
        """Functions overlapping [lo, hi)."""
        i = max(bisect.bisect_right(self.starts, lo) - 1, 0)
        while i < len(self.syms) and self.syms[i][0] < hi:
            if self.syms[i][0] + max(self.syms[i][1], 1) > lo:
                yield self.syms[i]
            i += 1


def write_workflows(directory):
    """The workflows idle RSS is measured with (bench/foundation.py) plus a webhook workflow."""
    write_footprint_workflows(directory)
    with open(os.path.join(directory, "hook.yaml"), "w") as f:
        f.write("triggers: [{ webhook: { path: /hooks/order } }]\n"
                "steps:\n  note: { type: transform, with: { value: '{{ trigger.body.n }}' } }\n")


def scenario(command, tmp, at_idle, at_end):
    """Starts `command` + daemon arguments, waits until it answers, idles 3 s, calls `at_idle(pid)`, sends a
    webhook delivery, a manual run and a status request, calls `at_end(pid)`, and stops it."""
    workflows, sock, port = os.path.join(tmp, "workflows"), os.path.join(tmp, "control.sock"), free_port()
    state = tempfile.mkdtemp(prefix="state-", dir=tmp)
    daemon = subprocess.Popen(
        command + ["--workflows", workflows, "--state-dir", state, "--socket", sock,
                   "--listen", f"127.0.0.1:{port}", "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "daemon.log"), "a"))
    try:
        client = UnixHTTP(sock, timeout=30)
        for _ in range(1200):
            if daemon.poll() is not None:
                sys.exit(f"order-file: the daemon exited with {daemon.returncode} while starting "
                         f"(see {tmp}/daemon.log)")
            try:
                client.request("GET", "/v1/status")
                client.getresponse().read()
                break
            except OSError:
                client.close()
                time.sleep(0.1)
        else:
            sys.exit("order-file: the daemon did not answer on its control socket within 120 s")
        time.sleep(3)
        at_idle(daemon.pid)
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            body = '{"n": 1}'
            s.sendall(f"POST /hooks/order HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}".encode())
            if s.recv(4096).split(b" ", 2)[1] != b"202":
                sys.exit("order-file: the webhook delivery was not accepted")
        client.request("POST", "/v1/workflows/five/runs", body=b'{"input": {}}',
                       headers={"Content-Type": "application/json"})
        client.getresponse().read()
        client.request("GET", "/v1/status")
        client.getresponse().read()
        time.sleep(2)
        at_end(daemon.pid)
    finally:
        daemon.terminate()
        daemon.wait(60)


def executed_functions(binary, tmp):
    """Pass 1: (idle, later) sets of function names executed under callgrind."""
    # valgrind 3.19 cannot read the DWARF 5 our toolchain writes; the symbol table is all it needs here.
    copy = os.path.join(tmp, "triggerd-symbols")
    shutil.copy(binary, copy)
    subprocess.run(["strip", "--strip-debug", copy], check=True)
    out = os.path.join(tmp, "callgrind.out")
    command = ["valgrind", "--tool=callgrind", "--dump-instr=yes", "--compress-pos=no", "--compress-strings=no",
               f"--callgrind-out-file={out}", copy]
    scenario(command, tmp,
             at_idle=lambda pid: subprocess.run(["callgrind_control", "-d", str(pid)], capture_output=True),
             at_end=lambda pid: None)
    time.sleep(1)
    functions = Functions(copy)

    def names(path):
        found, current = set(), None
        with open(path, errors="replace") as f:
            for line in f:
                if line.startswith("ob="):
                    current = line[3:].strip()
                elif line.startswith("0x") and current == copy:
                    symbol = functions.at(int(line.split()[0], 16))
                    if symbol:
                        found.add(symbol[2])
        return found

    if not os.path.exists(out + ".1"):
        sys.exit("order-file: callgrind wrote no dump at idle (is callgrind_control working?)")
    idle = names(out + ".1")
    return idle, names(out) - idle


def readahead_file(path):
    """The sysfs read_ahead_kb file of the block device holding `path`."""
    dev = os.stat(path).st_dev
    base = f"/sys/dev/block/{os.major(dev)}:{os.minor(dev)}"
    for candidate in (f"{base}/queue/read_ahead_kb", f"{base}/../queue/read_ahead_kb"):
        if os.path.exists(candidate):
            return candidate
    sys.exit(f"order-file: no read_ahead_kb for device {os.major(dev)}:{os.minor(dev)} of {path}")


def resident_text(pid, binary):
    """Link-time addresses of the binary's executable pages resident in `pid`."""
    segments = []
    for line in subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "LOAD":
            segments.append((int(parts[1], 16), int(parts[2], 16)))
    pages = set()
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for line in maps:
            parts = line.split()
            if len(parts) <= 5 or parts[5] != binary or "x" not in parts[1]:
                continue
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            offset = int(parts[2], 16)
            file_offset, vaddr = max(s for s in segments if s[0] <= offset)
            count = (hi - lo) // 4096
            pagemap.seek(lo // 4096 * 8)
            data = pagemap.read(count * 8)
            for i in range(count):
                if struct.unpack_from("<Q", data, i * 8)[0] >> 63:
                    pages.add(offset + i * 4096 - file_offset + vaddr)
    return pages


def missed_functions(binary, ordered, tmp):
    """Pass 2: (idle, later) names of functions in text pages touched outside the ordered region."""
    functions = Functions(binary)
    end = max((a + s for a, s, n in functions.syms if n in ordered), default=0)
    setting = readahead_file(binary)
    with open(setting) as f:
        saved = f.read().strip()
    seen = {}
    try:
        with open(setting, "w") as f:
            f.write("0")
        fd = os.open(binary, os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
        scenario([binary], tmp, at_idle=lambda pid: seen.update(idle=resident_text(pid, binary)),
                 at_end=lambda pid: seen.update(end=resident_text(pid, binary)))
    finally:
        with open(setting, "w") as f:
            f.write(saved)

    def outside(pages):
        names = set()
        for page in pages:
            if page >= end:
                names.update(n for a, s, n in functions.overlapping(page, page + 4096) if n not in ordered)
        return names

    idle = outside(seen["idle"])
    return idle, outside(seen["end"] - seen["idle"]) - idle, sum(1 for p in seen["idle"] if p >= end)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "triggerd.order.gz"))
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("order-file: needs root (it sets the block device's readahead to 0 while it measures)")
    for tool in ("valgrind", "callgrind_control", "nm", "readelf", "strip"):
        if not shutil.which(tool):
            sys.exit(f"order-file: needs {tool} (make order-file installs valgrind)")
    tmp = tempfile.mkdtemp(prefix="triggerd-order-")
    try:
        write_workflows(os.path.join(tmp, "workflows"))
        binary = build()
        by_address = {n: a for a, s, n in Functions(binary).syms}
        idle, later = executed_functions(binary, tmp)
        first = sorted(idle & by_address.keys(), key=by_address.get)
        then = sorted(later & by_address.keys(), key=by_address.get)
        candidate = os.path.join(tmp, "pass1.order")
        with open(candidate, "w") as f:
            f.write("\n".join(first + then) + "\n")
        linked = build(candidate)
        missed_idle, missed_later, pages = missed_functions(linked, set(first) | set(then), tmp)
        order = first + sorted(missed_idle) + then + sorted(missed_later - set(then))
        # mtime 0: the same order gives the same bytes, so regenerating without a change leaves git clean.
        with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
            f.write(("\n".join(order) + "\n").encode())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"order-file: {len(first)} functions executed at idle and {len(then)} more by a delivery and a run "
          f"(callgrind); {pages} idle text pages outside them added {len(missed_idle)} + {len(missed_later)} "
          f"functions -> {os.path.relpath(args.out, ROOT)}")
    print("order-file: run `bash scripts/release-build.sh` (or make install / make bench) to link with it")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the link order file (build/triggerd.order.gz): the functions triggerd touches while starting and idling
first, then those a first webhook delivery and manual run add, each group in address order.

Why: the kernel maps a file-backed page with up to 15 neighbours ("fault-around", 64 KiB) and reads ahead
around every fault, so start-up code scattered over a 26 MiB .text keeps ~19 MiB resident at idle although a
few MiB of it ever run. Linking the touched functions next to each other (lld --symbol-ordering-file, with
every function in its own section) keeps the neighbours mapped by fault-around mostly code that runs too.

How the touched set is found exactly: readahead of the binary's block device is set to 0 for the measurement
and the binary's pages are dropped from the page cache, so every page fault reads just its own page and
fault-around finds no cached neighbours to map; the daemon's resident text pages are then exactly the pages
it executed or read. Needs root (the readahead setting is restored afterwards).

    sudo python3 scripts/order-file.py BINARY [--out build/triggerd.order.gz]     (or: make order-file)

BINARY must be built with function sections (see scripts/release-build.sh); a stale order file is harmless:
the linker ignores names it no longer finds, the layout is only less compact.
"""
import argparse
import gzip
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from benchlib import UnixHTTP, free_port  # noqa: E402


def readahead_file(path):
    """The sysfs read_ahead_kb file of the block device holding `path`."""
    dev = os.stat(path).st_dev
    base = f"/sys/dev/block/{os.major(dev)}:{os.minor(dev)}"
    for candidate in (f"{base}/queue/read_ahead_kb", f"{base}/../queue/read_ahead_kb"):
        if os.path.exists(candidate):
            return candidate
    sys.exit(f"order-file: no read_ahead_kb for device {os.major(dev)}:{os.minor(dev)} of {path}")


def drop_from_page_cache(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def text_mappings(pid, binary):
    """(start, end, file offset) of each executable mapping of `binary` in `pid`."""
    out = []
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) > 5 and parts[5] == binary and "x" in parts[1]:
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                out.append((lo, hi, int(parts[2], 16)))
    return out


def resident_file_pages(pid, binary):
    """File offsets (page-aligned) of the binary's executable pages resident in `pid`."""
    pages = set()
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for lo, hi, offset in text_mappings(pid, binary):
            count = (hi - lo) // 4096
            pagemap.seek(lo // 4096 * 8)
            data = pagemap.read(count * 8)
            for i in range(count):
                if struct.unpack_from("<Q", data, i * 8)[0] >> 63:
                    pages.add(offset + i * 4096)
    return pages


def functions(binary):
    """(file offset, size, name) of every function symbol, by address; file offset = vaddr - segment delta."""
    segments = []
    for line in subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "LOAD":
            offset, vaddr, filesz = int(parts[1], 16), int(parts[2], 16), int(parts[4], 16)
            segments.append((vaddr, vaddr + filesz, vaddr - offset))
    result = []
    nm = subprocess.run(["nm", "-S", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) != 4 or parts[2] not in "tTwW":
            continue
        vaddr, size = int(parts[0], 16), int(parts[1], 16)
        for lo, hi, delta in segments:
            if lo <= vaddr < hi:
                result.append((vaddr - delta, size, parts[3]))
                break
    result.sort()
    return result


def touching(funcs, pages):
    """Names of functions that overlap any of `pages`, in address order."""
    names = []
    for offset, size, name in funcs:
        first, last = offset // 4096 * 4096, (offset + max(size, 1) - 1) // 4096 * 4096
        if any(p in pages for p in range(first, last + 4096, 4096)):
            names.append(name)
    return names


def write_workflows(directory):
    """The idle benchmark's 100 workflows (bench/foundation.py) plus a webhook workflow."""
    with open(os.path.join(directory, "five.yaml"), "w") as f:
        f.write("steps:\n" + "".join(
            f"  s{i}: {{ type: transform{', needs: [s%d]' % (i - 1) if i > 1 else ''}, with: {{ value: {i} }} }}\n"
            for i in range(1, 6)))
    for i in range(98):
        with open(os.path.join(directory, f"idle-{i:03}.yaml"), "w") as f:
            f.write(f"triggers: [{{ cron: {{ schedule: '{i % 60} 3 * * *' }} }}, {{ manual: {{}} }}]\n"
                    f"steps:\n  a: {{ type: transform, with: {{ value: {i} }} }}\n")
    with open(os.path.join(directory, "hook.yaml"), "w") as f:
        f.write("triggers: [{ webhook: { path: /hooks/order } }]\n"
                "steps:\n  note: { type: transform, with: { value: '{{ trigger.body.n }}' } }\n")


def post(port, path, body):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}".encode())
        return s.recv(4096).split(b" ", 2)[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "triggerd.order.gz"))
    args = parser.parse_args()
    binary = os.path.realpath(args.binary)
    if os.geteuid() != 0:
        sys.exit("order-file: needs root (it sets the block device's readahead to 0 while it measures)")
    funcs = functions(binary)
    setting = readahead_file(binary)
    with open(setting) as f:
        saved = f.read().strip()
    tmp = tempfile.mkdtemp(prefix="triggerd-order-")
    daemon = None
    try:
        os.makedirs(os.path.join(tmp, "workflows"))
        write_workflows(os.path.join(tmp, "workflows"))
        with open(setting, "w") as f:
            f.write("0")
        drop_from_page_cache(binary)
        port, sock = free_port(), os.path.join(tmp, "control.sock")
        daemon = subprocess.Popen(
            [binary, "--workflows", os.path.join(tmp, "workflows"), "--state-dir", os.path.join(tmp, "state"),
             "--socket", sock, "--listen", f"127.0.0.1:{port}", "--log-level", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2.5)
        if daemon.poll() is not None:
            sys.exit(f"order-file: {binary} exited with {daemon.returncode} while starting")
        idle = resident_file_pages(daemon.pid, binary)
        status = post(port, "/hooks/order", '{"n": 1}')
        client = UnixHTTP(sock)
        client.request("POST", "/v1/workflows/five/runs", body=b'{"input": {}}',
                       headers={"Content-Type": "application/json"})
        client.getresponse().read()
        client.request("GET", "/v1/status")
        client.getresponse().read()
        time.sleep(1)
        busy = resident_file_pages(daemon.pid, binary) - idle
    finally:
        if daemon:
            daemon.terminate()
            daemon.wait(10)
        with open(setting, "w") as f:
            f.write(saved)
        shutil.rmtree(tmp, ignore_errors=True)
    if status != b"202":
        sys.exit(f"order-file: the webhook delivery answered {status!r}, not 202")
    first = touching(funcs, idle)
    seen = set(first)
    then = [n for n in touching(funcs, busy) if n not in seen]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    # mtime 0: the same order gives the same bytes, so regenerating without a change leaves git clean.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(("\n".join(first + then) + "\n").encode())
    print(f"order-file: {len(idle) * 4 // 1024} MiB of text touched at idle ({len(first)} functions), "
          f"{len(busy) * 4 // 1024} MiB more by a first delivery and run ({len(then)} functions) -> {args.out}")


if __name__ == "__main__":
    main()

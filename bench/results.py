#!/usr/bin/env python3
"""The one table `make bench` ends with.

Each benchmark records its headline figures with `record(...)` (Python) or `python3 bench/results.py add ...`
(shell). Records go, one JSON object per line, to the file named by $BENCH_RESULTS; without it nothing is
written, so every benchmark still runs alone. `python3 bench/results.py table FILE` prints the collected rows.

    record("webhook ingest", "req/s", 9000, peer=3000, peer_name="adnanh/webhook", target=">= 3x")
"""
import json, os, sys


def record(area, metric, value, unit="", peer=None, peer_name="", target="", note="", lower_is_better=None):
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    if lower_is_better is None:
        # Times and memory: smaller is better; rates: larger is better.
        lower_is_better = unit in ("ms", "s", "MiB")
    row = {"area": area, "metric": metric, "value": value, "unit": unit, "peer": peer, "peer_name": peer_name,
           "target": target, "note": note, "lower_is_better": lower_is_better}
    with open(path, "a") as f:
        f.write(json.dumps(row) + "\n")


def number(value):
    if isinstance(value, (int, float)):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:.2f}"
    return str(value)


def table(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            rows = [json.loads(line) for line in f if line.strip()]
    if not rows:
        print("no benchmark recorded a figure")
        return
    # "advantage": how many times better triggerd is than the peer (below 1: worse), whichever way is better.
    head = ("area", "metric", "triggerd", "peer", "advantage", "target", "note")
    lines = []
    for r in rows:
        value = f"{number(r['value'])} {r['unit']}".strip()
        peer = ratio = ""
        if r.get("peer") is not None:
            peer = f"{number(r['peer'])} {r['unit']} ({r['peer_name']})".strip()
            if isinstance(r["peer"], (int, float)) and r["peer"] and r["value"]:
                times = r["peer"] / r["value"] if r.get("lower_is_better") else r["value"] / r["peer"]
                ratio = f"{times:.2f}x" if times < 10 else f"{times:,.0f}x"
        lines.append((r["area"], r["metric"], value, peer, ratio, r.get("target", ""), r.get("note", "")))
    widths = [max(len(head[i]), *(len(l[i]) for l in lines)) for i in range(len(head))]
    def show(cells):
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    show(head)
    show(["-" * w for w in widths])
    for l in lines:
        show(l)


def main(argv):
    if len(argv) >= 2 and argv[1] == "table":
        table(argv[2] if len(argv) > 2 else os.environ.get("BENCH_RESULTS", ""))
    elif len(argv) >= 5 and argv[1] == "add":
        # add AREA METRIC VALUE [UNIT] [PEER] [PEER_NAME] [TARGET] [NOTE]
        args = argv[2:] + [""] * 8
        value = float(args[2])
        peer = float(args[4]) if args[4] not in ("", "-") else None
        record(args[0], args[1], value, args[3], peer, args[5], args[6], args[7])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

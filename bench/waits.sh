#!/usr/bin/env bash
# Parks up to 100,000 runs on wait_for_event (distinct keys, started through an event trigger over
# POST /v1/events), then emits single events and measures emit→resume latency p50/p99 and the daemon's RSS
# with everything parked. Release build. Prints a table; setup is capped by PARK_BUDGET seconds.
#
#   bash bench/waits.sh                      # 100,000 parked, at most 240 s of parking
#   PARKED=20000 bash bench/waits.sh
#   PARK_BUDGET=600 SAMPLES=1000 CLIENTS=16 bash bench/waits.sh
#
# The driver is bench/waits.py (Python 3 standard library only).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
    swift build -c release >/dev/null
    BIN="$(swift build -c release --show-bin-path)"
fi
python3 bench/waits.py "$BIN" "${PARKED:-100000}"

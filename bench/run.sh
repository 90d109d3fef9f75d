#!/usr/bin/env bash
# `make bench`: builds release binaries and runs every benchmark in bench/, printing one section each.
set -uo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null || exit 1
BIN=$(swift build -c release --show-bin-path)
echo "== foundation: durable transitions, start latency, idle RSS (issue 2)"
python3 bench/foundation.py "$BIN" "${BENCH_RUNS:-10000}"
for script in bench/scheduler.sh bench/webhook.sh bench/http_steps.sh bench/waits.sh; do
    if [ -x "$script" ] || [ -f "$script" ]; then
        echo ""
        echo "== $(basename "$script" .sh)"
        BIN="$BIN" bash "$script" || echo "($script failed)"
    fi
done

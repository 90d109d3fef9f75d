#!/usr/bin/env bash
# Cron scheduler benchmark: 10,000 loaded schedules; fire lateness p50/p99/max over a minute of load (every
# schedule fires once a minute, spread over the seconds), idle CPU and RSS; Debian cron as a peer when present.
#
#   bash bench/scheduler.sh                 # builds release binaries, runs about 3 minutes (5 with --cron)
#   bash bench/scheduler.sh --cron          # also Debian cron (apt-get install cron; needs root for /etc/cron.d)
#   SCHEDULES=2000 SECONDS_LOAD=60 bash bench/scheduler.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product triggerd >/dev/null
BIN=$(swift build -c release --show-bin-path)
exec python3 bench/scheduler_bench.py --bin "$BIN" --schedules "${SCHEDULES:-10000}" \
    --seconds "${SECONDS_LOAD:-65}" --idle "${SECONDS_IDLE:-60}" "$@"

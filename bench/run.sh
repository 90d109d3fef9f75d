#!/usr/bin/env bash
# `make bench`: builds the binaries we ship (scripts/release-build.sh: static Swift runtime, start-up order,
# the same as `make install`), runs every benchmark in bench/ against them (each prints its own section), then
# prints one table of the headline figures with ratios against the peers measured in the same run. The idle
# RSS of the development build (.build/release, dynamic) is printed next to the shipped one.
# Peers (adnanh/webhook, wrk, Debian cron) are installed from Debian packages when missing.
#
#   make bench                       # everything, about 12 minutes on 2 cores plus the console bench (writing
#                                    # its million runs alone takes minutes; CONSOLE_RUNS=100000 for a quick look)
#   BENCH_RUNS=5000 PARKED=20000 CONSOLE_RUNS=100000 make bench
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=$(bash scripts/release-build.sh) || exit 1
export BIN
swift build -c release --product triggerd >/dev/null && DEV_BIN=$(swift build -c release --show-bin-path) && export DEV_BIN
results="$(mktemp /tmp/triggerd-bench-results.XXXXXX)"
export BENCH_RESULTS="$results"
trap 'rm -f "$results"' EXIT

missing=()
command -v cron >/dev/null || missing+=(cron)
if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

section() { echo ""; echo "== $1"; }
section "foundation: durable transitions, trigger -> first step, idle RSS"
python3 bench/foundation.py "$BIN" "${BENCH_RUNS:-10000}" || echo "(foundation failed)"
section "webhook gateway vs adnanh/webhook"
bash bench/webhook.sh || echo "(webhook failed)"
section "cron scheduler vs Debian cron"
cron_flag=()
[ "$(id -u)" = 0 ] && command -v cron >/dev/null && cron_flag=(--cron)
python3 bench/scheduler_bench.py --bin "$BIN" --schedules "${SCHEDULES:-10000}" --seconds "${SECONDS_LOAD:-65}" \
    --idle "${SECONDS_IDLE:-30}" "${cron_flag[@]}" || echo "(scheduler failed)"
section "wait_for_event: event -> resume with parked waits"
python3 bench/waits.py "$BIN" "${PARKED:-100000}" || echo "(waits failed)"
section "console budgets: pages with ${CONSOLE_RUNS:-1000000} runs stored"
python3 bench/console.py "$BIN" "${CONSOLE_RUNS:-1000000}" || echo "(console: a budget was missed or the bench failed)"
if [ -n "${BENCH_HTTP_STEPS:-}" ]; then
    section "http_request steps (debug build)"
    bash bench/http_steps.sh || echo "(http_steps failed)"
fi

section "summary ($(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ))"
python3 bench/results.py table "$results"

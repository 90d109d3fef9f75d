#!/usr/bin/env bash
# Instruction profile of webhook deliveries: the shipped build under valgrind's callgrind, with wrk posting the
# same body as bench/webhook.sh to a one-transform workflow. Prints the instructions per delivery and the
# heaviest functions by inclusive cost; keeps the callgrind file for callgrind_annotate.
#
#   bash bench/profile-webhook.sh                   # 20 s of load, 8 connections
#   SECONDS_LOAD=60 OUT=/tmp/hook.cg bash bench/profile-webhook.sh
#   WORKFLOW=my.yaml bash bench/profile-webhook.sh  # another workflow (its webhook path must be /hooks/bench)
#
# Uses .build-static (scripts/release-build.sh builds it when missing): valgrind crashes inside libdispatch on
# the dynamically linked build, and version 3.19 cannot read this toolchain's DWARF 5, so a copy with the debug
# info stripped is profiled (the symbol table is all callgrind needs). Installs valgrind and wrk when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/webhooklib.sh
SECONDS_LOAD="${SECONDS_LOAD:-20}"
CONNECTIONS="${CONNECTIONS:-8}"
OUT="${OUT:-$PWD/.build-static/webhook.callgrind}"

install_missing valgrind:valgrind wrk:wrk

work="$(mktemp -d /tmp/triggerd-profile.XXXXXX)"
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

bin="$(bash scripts/release-build.sh triggerd 2>"$work/build.log" | tail -1)" || { cat "$work/build.log" >&2; exit 1; }
cp "$bin/triggerd" "$work/triggerd"
strip --strip-debug "$work/triggerd"
mkdir -p "$work/workflows" "$work/state"
if [ -n "${WORKFLOW:-}" ]; then
    cp "$WORKFLOW" "$work/workflows/bench.yaml"
else
    write_bench_workflow "$work/workflows/bench.yaml"
fi
write_post_lua "$work/post.lua"
port="$(free_port)"
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/out" "$work/triggerd" \
    --workflows "$work/workflows" --state-dir "$work/state" --socket "$work/control.sock" \
    --listen "127.0.0.1:$port" --log-level warning >"$work/log" 2>&1 &
pid=$!
for _ in $(seq 300); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
# Instrument, warm up (first-use caches, statement preparation), then count only the measured load.
callgrind_control -i on "$pid" >/dev/null 2>&1
wrk -t1 -c"$CONNECTIONS" -d5s -s "$work/post.lua" "http://127.0.0.1:$port/hooks/bench" >/dev/null
callgrind_control -z "$pid" >/dev/null 2>&1
requests="$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_LOAD}s" -s "$work/post.lua" "http://127.0.0.1:$port/hooks/bench" \
    | awk '/^RESULT/ { print $2 }')"
sleep 2
callgrind_control -d "$pid" >/dev/null 2>&1
sleep 1
kill "$pid"; wait "$pid" 2>/dev/null || true
pid=""
cp "$work/out.1" "$OUT"
total="$(callgrind_annotate "$OUT" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')"
python3 -c "print(f'{$requests} deliveries, {$total:,} instructions, {$total / max($requests, 1):,.0f} per delivery')"
echo "heaviest functions of triggerd by inclusive instructions (callgrind_annotate --inclusive=yes $OUT):"
callgrind_annotate --inclusive=yes "$OUT" 2>/dev/null | grep -E "Engine|Triggerd|sqlite3_step" | grep -v "'2" \
    | awk '!seen[$1]++' | head -"${TOP:-25}" | cut -c1-160

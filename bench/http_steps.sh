#!/usr/bin/env bash
# 10,000 http_request steps at concurrency 100 against a local keep-alive server, through the real engine
# (store on disk, the step library's executors, one libcurl transport), compared with raw requests on the
# same transport. Prints a table: requests/s, p99 step overhead over the raw request, memory, open fds.
#
#   bash bench/http_steps.sh                 # debug build (what `swift build --build-tests` makes)
#   CONFIG=release bash bench/http_steps.sh  # optimised build (slower to build)
#   STEPS=20000 CONCURRENCY=200 bash bench/http_steps.sh
#
# The driver is Tests/StepsTests/Benchmarks/HTTPStepsBenchmark.swift (skipped in normal test runs);
# the server is bench/http_bench_server.py.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${STEPS:-10000}"
CONCURRENCY="${CONCURRENCY:-100}"
CONFIG="${CONFIG:-debug}"
build=(--build-tests)
[ "$CONFIG" = release ] && build=(-c release --build-tests -Xswiftc -enable-testing)

log="$(mktemp)"
swift build "${build[@]}" >"$log" 2>&1 || { cat "$log"; exit 1; }

out="$(mktemp)"
fifo="$(mktemp -u)"
mkfifo "$fifo"
# The server exits when its stdin (the fifo, held open by fd 3) closes.
python3 bench/http_bench_server.py <"$fifo" >"$out.port" &
server=$!
exec 3>"$fifo"
trap 'exec 3>&-; wait "$server" 2>/dev/null || true; rm -f "$fifo" "$out" "$out.port" "$log"' EXIT
for _ in $(seq 50); do [ -s "$out.port" ] && break; sleep 0.1; done
port="$(head -1 "$out.port")"

TRIGGERD_BENCH_URL="http://127.0.0.1:$port/item" TRIGGERD_BENCH_STEPS="$STEPS" \
TRIGGERD_BENCH_CONCURRENCY="$CONCURRENCY" TRIGGERD_BENCH_OUT="$out" \
	swift test --skip-build $([ "$CONFIG" = release ] && echo "-c release") --filter HTTPStepsBenchmark >"$log" 2>&1 \
	|| { cat "$log"; exit 1; }

echo "http_request benchmark ($CONFIG build, $(nproc) CPUs, server: bench/http_bench_server.py)"
cat "$out"

#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/) and runs each for FUZZ_SECONDS, then prints executions and exec/s per
# target. Usage: scripts/fuzz.sh [TARGET...]   (default: all four; see docs/proof.md, "Fuzzing").
#
# - The targets exist only when TRIGGERD_FUZZ=1 (Package.swift) and are built into .build-fuzz with
#   -sanitize=fuzzer,address, so .build (swift build, make test) is never touched.
# - Each run starts from a temporary copy of Fuzz/corpus/<target>, so the seeds in the repo stay as written.
# - -timeout=5 turns a hang into a finding, -rss_limit_mb=1024 and -malloc_limit_mb an unbounded allocation.
# - Findings are kept in .build-fuzz/artifacts/<target>/; replay one with `<binary> <file>`.
# Exit status: 0 when no target found anything, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."

SWIFT="${SWIFT:-swift}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
ALL_TARGETS=(FuzzWorkflowLoader FuzzCron FuzzExpressions FuzzWebhook)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")
BUILD=(env TRIGGERD_FUZZ=1 "$SWIFT" build --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address)

for target in "${TARGETS[@]}"; do
    [ -d "Fuzz/corpus/$target" ] || { echo "fuzz: unknown target $target (one of: ${ALL_TARGETS[*]})" >&2; exit 2; }
    echo "fuzz: building $target"
    "${BUILD[@]}" --product "$target" 2>&1 | grep -E "error:|warning: unre|Compiling Fuzz|complete" || true
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: building $target failed" >&2; exit 2; }
done
BIN="$("${BUILD[@]}" --show-bin-path)"

work="$(mktemp -d /tmp/triggerd-fuzz.XXXXXX)"
trap 'rm -rf "$work"' EXIT
summary=()
failed=0
for target in "${TARGETS[@]}"; do
    artifacts=".build-fuzz/artifacts/$target"
    mkdir -p "$work/$target" "$artifacts"
    cp -R "Fuzz/corpus/$target/." "$work/$target/"
    dict=()
    [ -f "Fuzz/dict/$target.dict" ] && dict=(-dict="Fuzz/dict/$target.dict")
    log="$work/$target.log"
    echo "fuzz: running $target for ${SECONDS_PER_TARGET}s (log: $artifacts/last.log)"
    # SWIFT_BACKTRACE=enable=no: the Swift backtracer would otherwise wait on a crashing fuzzer process;
    # libFuzzer and ASan print the stack. No leak checks (-detect_leaks=0 per input, ASAN_OPTIONS at exit):
    # LeakSanitizer cannot see pointers Swift keeps with tag bits in enum payloads, so it reports long-lived
    # values (a global Template) as leaked; growth per input still trips -rss_limit_mb, and one huge
    # allocation -malloc_limit_mb.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=0:${ASAN_OPTIONS:-}" "$BIN/$target" "$work/$target" "${dict[@]}" \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=5 -rss_limit_mb=1024 -malloc_limit_mb=1024 -detect_leaks=0 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    status=$?
    cp "$log" "$artifacts/last.log"
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    units=$(find "$work/$target" -type f | wc -l)
    verdict="ok"
    if [ "$status" -ne 0 ]; then
        failed=1
        finding=$(grep -m1 -E "^==[0-9]+== ?ERROR|^ERROR: libFuzzer|Fatal error|fuzz property violated" "$log" || echo "exit status $status")
        verdict="FOUND: ${finding} -> $(grep -o "Test unit written to .*" "$log" | tail -1 | sed 's/Test unit written to //')"
        tail -40 "$log"
    fi
    summary+=("$(printf '%-20s %10s execs %8s exec/s  corpus %5s  peak RSS %5s MB  %s' \
        "$target" "${runs:-?}" "${rate:-?}" "$units" "${rss:-?}" "$verdict")")
done
echo
echo "fuzz summary (${SECONDS_PER_TARGET}s per target):"
printf '  %s\n' "${summary[@]}"
exit $failed

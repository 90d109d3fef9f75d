#!/usr/bin/env bash
# Runs the already built tests under a time limit, in two phases: unit and integration tests first, then the
# end-to-end tests. The end-to-end tests wait on real processes with blocking calls; run alongside the
# others on a 2-core machine they can hold every thread of the concurrency pool and starve timing-sensitive
# async tests. When a phase fails or hangs, the run ends by naming the tests that started but never
# finished, so a CI log that only keeps its tail still says which test to look at.
set -o pipefail
limit="${TEST_TIMEOUT:-900}"
swift="${SWIFT:-swift}"
log="$(mktemp /tmp/triggerd-tests.XXXXXX)"
trap 'rm -f "$log"' EXIT

summarize() { # LOG STATUS PHASE
    echo
    echo "=== $3: swift test exited with status $2$([ "$2" -eq 124 ] && echo " (timed out after ${limit}s)")"
    python3 - "$1" <<'PY'
import re, sys
started, finished, failed = [], set(), []
for line in open(sys.argv[1], errors="replace"):
    # "◇ Test name(args:) started." / "✘ Test name(args:) with 3 test cases failed after ..."
    m = re.match(r"^\S+ Test ([^\s(]+\([^)]*\))(?: with \d+ test cases?)? (started|passed|failed|skipped)\b", line)
    if not m:
        continue
    name, what = m.groups()
    if what == "started":
        started.append(name)
    else:
        finished.add(name)
        if what == "failed":
            failed.append(name)
unfinished = [n for n in started if n not in finished]
print("=== failed: " + (", ".join(failed) if failed else "none"))
print("=== started but never finished: " + (", ".join(unfinished) if unfinished else "none"))
PY
}

status=0
for phase in "unit and integration:--skip EndToEndTests" "end to end:--filter EndToEndTests"; do
    name="${phase%%:*}"
    # shellcheck disable=SC2086 # the selector is two words on purpose
    timeout --kill-after=30 "$limit" "$swift" test --skip-build ${phase#*:} "$@" 2>&1 | tee "$log"
    phase_status=${PIPESTATUS[0]}
    if [ "$phase_status" -ne 0 ]; then
        summarize "$log" "$phase_status" "$name"
        status=$phase_status
    fi
done
exit "$status"

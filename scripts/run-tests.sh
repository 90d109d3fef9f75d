#!/usr/bin/env bash
# Runs the already built tests under a time limit. When the run fails or hangs, it ends by naming the tests
# that started but never finished, so a CI log that only keeps its tail still says which test to look at.
set -o pipefail
limit="${TEST_TIMEOUT:-900}"
log="$(mktemp /tmp/triggerd-tests.XXXXXX)"
timeout --kill-after=30 "$limit" "${SWIFT:-swift}" test --skip-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
    echo
    echo "=== swift test exited with status $status$([ "$status" -eq 124 ] && echo " (timed out after ${limit}s)")"
    python3 - "$log" <<'PY'
import re, sys
started, finished, failed = [], set(), []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^\S+ Test (?!case |run )(.+?) (started|passed|failed|skipped)\b", line)
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
fi
rm -f "$log"
exit "$status"

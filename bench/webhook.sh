#!/usr/bin/env bash
# Webhook gateway benchmark: wrk against triggerd and against adnanh/webhook in the same run, with the same body,
# connections and duration. triggerd answers 202 only after the delivery and its run are committed (fsync);
# webhook answers 200 and runs its command in the background. Afterwards each side's executions are counted:
# triggerd's completed runs through the control API, webhook's through a hook command that appends a line to a file.
#
#   bash bench/webhook.sh                        # release build, 64 connections, 15 s per target
#   CONNECTIONS=128 DURATION=30s bash bench/webhook.sh
#   BIN=.build/release bash bench/webhook.sh     # use binaries already built (bench/run.sh does this)
#
# Installs the Debian packages wrk and webhook when they are missing (needs root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/webhooklib.sh
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-15s}"
THREADS="${THREADS:-2}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-300}"

install_missing wrk:wrk webhook:webhook

if [ -z "${BIN:-}" ]; then
    swift build -c release --product triggerd >/dev/null
    swift build -c release --product triggerctl >/dev/null
    BIN="$(swift build -c release --show-bin-path)"
fi

work="$(mktemp -d /tmp/triggerd-webhook-bench.XXXXXX)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

wait_http() { # URL: until it answers at all
    for _ in $(seq 100); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "nothing answers at $1" >&2
    return 1
}

# The same body for both (bench/webhooklib.sh).
write_post_lua "$work/post.lua"

# The same report for a plain GET (the listener's ceiling: /healthz stores nothing).
sed -e '/^wrk.method/d' -e '/^wrk.body/d' -e '/^wrk.headers/d' "$work/post.lua" >"$work/get.lua"

# Runs wrk; prints "requests ok rps p50ms p99ms". SCRIPT picks the request (post.lua by default).
load() {
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$work/${SCRIPT:-post.lua}" "$1" \
        | awk '/^RESULT/ { print $2, $3, $4, $5, $6 }'
}

# --- triggerd: no verification, one transform step, state on disk.
mkdir -p "$work/workflows" "$work/state"
write_bench_workflow "$work/workflows/bench.yaml"
write_signed_workflow "$work/workflows/signed.yaml"
tport="$(free_port)"
socket="$work/control.sock"
"$BIN/triggerd" --workflows "$work/workflows" --state-dir "$work/state" --socket "$socket" \
    --listen "127.0.0.1:$tport" --log-level warning >"$work/triggerd.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$tport/healthz"

completed_runs() {
    "$BIN/triggerctl" status --json --socket "$socket" \
        | python3 -c 'import json,sys; c=json.load(sys.stdin)["run_counts"]; print(c.get("completed",0), c.get("failed",0))'
}

tpid=${pids[0]}
# Each triggerd row also reports the daemon's own CPU time per request (user + system, from /proc): the part of
# the machine the daemon needs for one request, whatever wrk and the kernel's loopback take besides.
ticks_per_s=$(getconf CLK_TCK)
cpu_us() { # TICKS_BEFORE REQUESTS
    python3 -c "print(f'{($(cpu_ticks "$tpid") - $1) * 1e6 / $ticks_per_s / max($2, 1):.1f}')"
}
c0=$(cpu_ticks "$tpid")
read -r t_req t_ok t_rps t_p50 t_p99 <<<"$(load "http://127.0.0.1:$tport/hooks/bench")"
t_cpu=$(cpu_us "$c0" "$t_req")
drain_start=$(date +%s.%N)
read -r t_done t_failed <<<"$(completed_runs)"
for _ in $(seq $((DRAIN_TIMEOUT * 10))); do
    [ "$((t_done + t_failed))" -ge "$t_ok" ] && break
    sleep 0.1
    read -r t_done t_failed <<<"$(completed_runs)"
done
drain=$(python3 -c "import time; print(f'{time.time() - $drain_start:.1f}')")
# Context for the ratio: what the same listener answers when a request stores nothing at all, and when the
# same POST is read, routed and verified but refused (401, nothing stored).
c0=$(cpu_ticks "$tpid")
read -r h_req h_ok h_rps h_p50 h_p99 <<<"$(SCRIPT=get.lua load "http://127.0.0.1:$tport/healthz")"
h_cpu=$(cpu_us "$c0" "$h_req")
c0=$(cpu_ticks "$tpid")
read -r r_req r_ok r_rps r_p50 r_p99 <<<"$(load "http://127.0.0.1:$tport/hooks/signed")"
r_cpu=$(cpu_us "$c0" "$r_req")
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true

# --- adnanh/webhook: /bin/true (its fastest case), then a hook that appends a line per execution.
cat >"$work/count.sh" <<EOF
#!/bin/sh
echo x >>"$work/executions"
EOF
chmod +x "$work/count.sh"
printf '[{"id":"bench","execute-command":"/bin/true","response-message":"ok"}]\n' >"$work/true.json"
printf '[{"id":"bench","execute-command":"%s","response-message":"ok"}]\n' "$work/count.sh" >"$work/count.json"

run_webhook() { # HOOKS_FILE -> "requests ok rps p50 p99"
    local port
    port="$(free_port)"
    webhook -hooks "$1" -ip 127.0.0.1 -port "$port" >"$work/webhook.log" 2>&1 &
    local pid=$!
    wait_http "http://127.0.0.1:$port/"
    load "http://127.0.0.1:$port/hooks/bench"
    # Let background commands finish: wait until the execution count stops growing.
    local last=-1 now
    touch "$work/executions"
    for _ in $(seq 300); do
        now=$(wc -l <"$work/executions" 2>/dev/null || echo 0)
        [ "$now" = "$last" ] && break
        last=$now
        sleep 1
    done
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
}
read -r w_req w_ok w_rps w_p50 w_p99 <<<"$(run_webhook "$work/true.json")"
: >"$work/executions"
read -r c_req c_ok c_rps c_p50 c_p99 <<<"$(run_webhook "$work/count.json")"
c_exec=$(wc -l <"$work/executions")

ratio=$(python3 -c "print(f'{$t_rps / $w_rps:.2f}')")
pct() { python3 -c "print(f'{100 * $1 / max($2, 1):.1f}%')"; }
echo "webhook gateway: wrk -t$THREADS -c$CONNECTIONS -d$DURATION, same JSON body, no verification, $(nproc) CPUs"
row() { printf '%-42s %10s %9s %9s %10s %10s %8s %11s\n' "$@"; }
row "target" "req/s" "p50 ms" "p99 ms" "2xx" "executed" "of 2xx" "CPU us/req"
row "triggerd (stored before 202)" "$t_rps" "$t_p50" "$t_p99" "$t_ok" "$t_done" "$(pct "$t_done" "$t_ok")" "$t_cpu"
row "triggerd GET /healthz (stores nothing)" "$h_rps" "$h_p50" "$h_p99" "$h_ok" "n/a" "n/a" "$h_cpu"
row "triggerd unsigned POST to a github hook" "$r_rps" "$r_p50" "$r_p99" "$r_ok" "n/a" "n/a" "$r_cpu"
row "webhook, hook /bin/true" "$w_rps" "$w_p50" "$w_p99" "$w_ok" "n/a" "n/a" ""
row "webhook, hook appends a line" "$c_rps" "$c_p50" "$c_p99" "$c_ok" "$c_exec" "$(pct "$c_exec" "$c_ok")" ""
echo "ratio triggerd / webhook(/bin/true) accept rate: ${ratio}x; triggerd runs drained ${drain}s after the load" \
    "(${t_failed} failed)"
echo "triggerd CPU per request: ${t_cpu} us stored and run, ${r_cpu} us read and refused (401), ${h_cpu} us /healthz;" \
    "storing and running a delivery costs $(python3 -c "print(f'{$t_cpu - $r_cpu:.1f}')") us of the ${t_cpu}"
python3 bench/results.py add "webhook ingest" "accepted req/s (stored before 2xx)" "$t_rps" "/s" "$w_rps" "adnanh/webhook /bin/true" ">= 3x" \
    "executed $(pct "$t_done" "$t_ok") of 2xx; peer executed $(pct "$c_exec" "$c_ok") with a real hook"
python3 bench/results.py add "webhook ingest" "p99 latency" "$t_p99" "ms" "$w_p99" "adnanh/webhook /bin/true"
# No peer on this row: a refusal is not an acceptance, so a ratio against webhook's accept rate would mislead.
python3 bench/results.py add "webhook ingest" "unsigned POST refused (401, nothing stored) req/s" "$r_rps" "/s" "" "" "" \
    "triggerd CPU ${r_cpu} us/req refused, ${t_cpu} us/req stored and run"

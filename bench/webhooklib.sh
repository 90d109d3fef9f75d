# Shared by bench/webhook.sh and bench/profile-webhook.sh (sourced, not run): the one webhook workload both
# measure, so a throughput figure and an instruction profile always describe the same request and workflow.

# Installs the Debian packages named for each missing command: `install_missing wrk:wrk webhook:webhook`.
install_missing() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    [ "${#missing[@]}" -gt 0 ] || return 0
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Writes the wrk script: a small GitHub-like JSON document POSTed as application/json, ending with one line
# "RESULT requests ok rps p50ms p99ms".
write_post_lua() { # FILE
    cat >"$1" <<'LUA'
wrk.method = "POST"
wrk.body = '{"action":"opened","number":42,"repository":{"full_name":"acme/widgets"},"sender":{"login":"octocat"}}'
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
    local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.timeout
    io.write(string.format("RESULT %d %d %.1f %.3f %.3f\n", summary.requests, summary.requests - bad,
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
}

# Writes the measured workflow: /hooks/bench, no verification, one transform step reading the body.
write_bench_workflow() { # FILE
    cat >"$1" <<'YAML'
name: bench
triggers:
  - webhook: { path: /hooks/bench }
steps:
  note:
    type: transform
    with: { value: "{{ trigger.body.number }}" }
YAML
}

# Writes a second workflow, /hooks/signed, that verifies GitHub signatures: the benchmark POSTs to it unsigned, so
# every request is read, routed, verified and refused with 401, and nothing is stored (the cost of a forgery).
write_signed_workflow() { # FILE
    cat >"$1" <<'YAML'
name: bench-signed
triggers:
  - webhook: { path: /hooks/signed, verify: { scheme: github, secret: bench-secret } }
steps:
  note:
    type: transform
    with: { value: "{{ trigger.body.number }}" }
YAML
}

# CPU seconds (user + system, in clock ticks) a process has used so far.
cpu_ticks() { # PID
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

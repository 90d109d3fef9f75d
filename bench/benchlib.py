"""What the benchmark and proof scripts share: the control-socket client, a free port, /proc figures,
percentiles and the footprint workflows. Scripts run as `python3 bench/NAME.py`, so this directory is on
their import path."""
import http.client, os, socket


class UnixHTTP(http.client.HTTPConnection):
    """HTTP/1.1 over triggerd's control socket (keep-alive). `timeout` bounds connect and every read."""

    def __init__(self, path, timeout=60):
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_kib(pid, field="VmRSS:"):
    """A `kB` field of /proc/PID/status (VmRSS:, RssAnon:, VmHWM:), 0 when absent."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def pct(values, p):
    """The p-th percentile (0-100) of `values`, nearest rank."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def write_footprint_workflows(directory):
    """The 100 workflows idle RSS is measured with (bench/foundation.py) and the start-up order is derived from
    (scripts/order-file.py): a 5-step chain `five` and 99 with a daily cron and a manual trigger.

    The chain's steps are `function_call`s, which the engine launches, so every step start and end is a commit of
    its own (pure `transform` steps would all settle in the run's first commit and measure something else)."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "five.yaml"), "w") as f:
        f.write("steps:\n  s1: { type: function_call, with: { function: abs, args: [1] } }\n" + "".join(
            f"  s{i}: {{ type: function_call, needs: [s{i - 1}], "
            f"with: {{ function: abs, args: [\"{{{{ steps.s{i - 1}.output + 1 }}}}\"] }} }}\n"
            for i in range(2, 6)))
    for i in range(99):
        with open(os.path.join(directory, f"idle-{i:03}.yaml"), "w") as f:
            f.write(f"triggers: [{{ cron: {{ schedule: '{i % 60} 3 * * *' }} }}, {{ manual: {{}} }}]\n"
                    f"steps:\n  a: {{ type: transform, with: {{ value: {i} }} }}\n")

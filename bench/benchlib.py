"""What the benchmark and proof scripts share: the control-socket client, a free port, /proc figures and
percentiles. Scripts run as `python3 bench/NAME.py`, so this directory is on their import path."""
import http.client, socket


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

import CTriggerd

#if canImport(Glibc)
    import Glibc
#endif

/// `sd_notify(3)` written by hand: state lines sent as one datagram to `$NOTIFY_SOCKET` (a path, or an abstract
/// name starting with `@`). Without the variable every call does nothing, so the daemon runs the same outside
/// systemd.
///
/// Failures are reported as `false`, never thrown: systemd notifications are advisory and must not stop the daemon.
struct SystemdNotifier: Sendable {
    /// Where notifications go; nil when `$NOTIFY_SOCKET` is unset, empty, or not a usable socket address.
    let notifySocket: String?
    private let address: UnixSocketAddress?

    /// A notifier for the value of `$NOTIFY_SOCKET` (read once, in `main`).
    init(notifySocket: String?) {
        let address = notifySocket.flatMap { UnixSocketAddress($0) }
        self.address = address
        self.notifySocket = address == nil ? nil : notifySocket
    }

    /// A notifier for `environment["NOTIFY_SOCKET"]`.
    init(environment: [String: String]) {
        self.init(notifySocket: environment["NOTIFY_SOCKET"])
    }

    /// True when notifications are sent somewhere.
    var isEnabled: Bool { self.address != nil }

    /// Sends `assignments` (`"READY=1"`, `"STATUS=..."`) as one datagram, one per line. Returns whether it was sent.
    @discardableResult
    func notify(_ assignments: [String]) -> Bool {
        guard let address = self.address, !assignments.isEmpty else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let message = Array(assignments.joined(separator: "\n").utf8)
        let sent = address.withSockaddr { sockaddr, length in
            message.withUnsafeBytes { bytes in
                sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), sockaddr, length)
            }
        }
        return sent == message.count
    }

    /// `READY=1`, with a `STATUS=` line when `status` is given.
    @discardableResult
    func ready(status: String? = nil) -> Bool {
        self.notify(["READY=1"] + (status.map { ["STATUS=\($0)"] } ?? []))
    }

    /// `STATUS=<text>`: the line `systemctl status` shows.
    @discardableResult
    func status(_ text: String) -> Bool {
        self.notify(["STATUS=\(text)"])
    }

    /// `WATCHDOG=1`: the keep-alive ping `WatchdogService` sends.
    @discardableResult
    func watchdog() -> Bool {
        self.notify(["WATCHDOG=1"])
    }

    /// `STOPPING=1`: shutdown has begun.
    @discardableResult
    func stopping() -> Bool {
        self.notify(["STOPPING=1"])
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (required by `Type=notify-reload`); send `ready()` when done.
    @discardableResult
    func reloading(monotonicMicroseconds: UInt64 = SystemdNotifier.monotonicMicroseconds()) -> Bool {
        self.notify(["RELOADING=1", "MONOTONIC_USEC=\(monotonicMicroseconds)"])
    }

    /// `CLOCK_MONOTONIC` in microseconds, the clock systemd compares `MONOTONIC_USEC` with.
    static func monotonicMicroseconds() -> UInt64 {
        ctriggerd_monotonic_usec()
    }
}

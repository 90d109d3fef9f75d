import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// Pings systemd's watchdog (`WATCHDOG=1`) at half of `WatchdogSec=` until graceful shutdown.
///
/// Exists only when systemd asked for it: `$WATCHDOG_USEC` set to a positive number and `$WATCHDOG_PID` unset or
/// equal to this process. Services stop in reverse order, so list it first to keep pinging while others drain.
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    /// Time between pings: half the watchdog timeout.
    let interval: Duration

    /// A watchdog for the raw values of `$WATCHDOG_USEC` and `$WATCHDOG_PID`; nil when systemd did not ask for
    /// one, when it asked another process, or when `watchdogMicroseconds` is not a positive number.
    init?(notifier: SystemdNotifier, watchdogMicroseconds: String?, watchdogPID: String?, ownPID: Int32) {
        guard let text = watchdogMicroseconds, let usec = UInt64(text), usec > 0 else { return nil }
        if let watchdogPID, !watchdogPID.isEmpty, Int32(watchdogPID) != ownPID { return nil }
        self.notifier = notifier
        self.interval = .microseconds(Int64(clamping: usec / 2))
    }

    /// A watchdog for `environment` (the daemon's environment, read once in `main`).
    init?(notifier: SystemdNotifier, environment: [String: String], ownPID: Int32 = getpid()) {
        self.init(
            notifier: notifier,
            watchdogMicroseconds: environment["WATCHDOG_USEC"],
            watchdogPID: environment["WATCHDOG_PID"],
            ownPID: ownPID
        )
    }

    /// Pings at once, then every `interval`, until graceful shutdown or cancellation.
    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            self.notifier.watchdog()
            do {
                try await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: self.interval)
                }
            } catch {
                // Cancelled by shutdown: stop pinging.
                return
            }
        }
    }
}

import Engine
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// What the webhook listener allows one connection and all of them together, against slow or crowding clients
/// (`ingest.idle_timeout`, `ingest.max_connections`; docs/webhooks.md, "Hostile clients").
///
/// ```swift
/// let limits = ListenerLimits(configuration: config)   // 30 s, half the open-file limit (at most 4096)
/// ```
struct ListenerLimits: Sendable, Equatable {
    /// Seconds a connection may take for its request head, sit idle between requests, or take for a body after
    /// its head. Hummingbird's idle timer counts decoded request parts, not bytes, so a head trickled one byte at
    /// a time is closed after this long as well.
    var idleTimeout: Double
    /// Open connections beyond which the listener stops accepting (the rest wait in the kernel's backlog).
    var maxConnections: Int

    init(idleTimeout: Double = 30, maxConnections: Int = Self.defaultMaxConnections()) {
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    init(configuration: DaemonConfiguration) {
        self.init(
            idleTimeout: configuration.listenerIdleTimeout,
            maxConnections: configuration.listenerMaxConnections ?? Self.defaultMaxConnections()
        )
    }

    /// Half the soft open-file limit, at most 4096: the other half stays for the control socket, the database
    /// and outbound steps, so a crowd of webhook clients can never take every descriptor.
    static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 512 }
        return max(16, min(4096, Int(min(limit.rlim_cur, 1 << 20)) / 2))
    }

    /// The HTTP/1.1 child-channel configuration with the idle timer.
    var http1: HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(idleTimeout: .nanoseconds(Int64(self.idleTimeout * 1_000_000_000)))
    }

    /// Hummingbird's connection cap as a delegate of the listening channel.
    func connectionsDelegate(logger: Logger) -> MaximumAvailableConnections {
        MaximumAvailableConnections(self.maxConnections, logger: logger)
    }
}

public import Foundation

/// Everything `triggerd.yaml` can set, with the defaults of a system install. Decoded once at start and
/// passed down; flags override it (SPEC §2).
public struct DaemonConfiguration: Sendable, Equatable {
    public var workflows = "/etc/triggerd/workflows.d"
    public var stateDir = "/var/lib/triggerd"
    public var socket = "/run/triggerd/control.sock"
    /// Members of this group may use the control socket.
    public var socketGroup: String?
    public var listen = "127.0.0.1:8780"
    public var secrets: String?
    public var timezone = "UTC"
    public var logFormat = "text"
    public var logLevel = "info"
    public var envAllow: [String] = []
    public var smtp: SMTPConfiguration?
    public var llm: [String: LLMProviderConfiguration] = [:]
    public var databases: [String: DatabaseConfiguration] = [:]
    public var retention = RetentionConfiguration()
    /// Deliveries accepted but not yet committed beyond this many answer 429.
    public var ingestQueue = 10_000
    /// Webhook listener: seconds a connection may take to send a complete request head, sit idle between
    /// requests, or take to deliver a body after its head, before it is closed (slowloris).
    public var listenerIdleTimeout = 30.0
    /// Webhook listener: open connections beyond which it stops accepting; nil means
    /// `ListenerLimits.defaultMaxConnections()` (half the open-file limit, at most 4096).
    public var listenerMaxConnections: Int?
    /// Seconds in-flight steps get to finish on SIGTERM.
    public var shutdownGrace = 10.0
    /// Webhook dedupe ids are kept at least this long (seconds).
    public var dedupeWindow = 3.0 * 86_400
    /// `console:` — the console and remote API over TCP (SPEC §11); nil (no `listen`) means off.
    public var console: ConsoleListenerConfiguration?

    public init() {}

    /// The database file inside the state directory.
    public var databasePath: String { self.stateDir + "/triggerd.db" }
}

/// `smtp:` — where `send_email` sends.
public struct SMTPConfiguration: Sendable, Equatable {
    public var url: String
    public var username: String?
    public var password: String?
    public var from: String?
    /// `auto` (use STARTTLS when offered), `always`, `never`.
    public var starttls = "auto"

    public init(url: String) { self.url = url }
}

/// `llm.<provider>:` — defaults for `llm_call`.
public struct LLMProviderConfiguration: Sendable, Equatable {
    public var baseURL: String?
    public var apiKey: String?
    public var model: String?

    public init(baseURL: String? = nil, apiKey: String? = nil, model: String? = nil) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
    }
}

/// `databases.<name>:` — a SQLite file `database_query` may use.
public struct DatabaseConfiguration: Sendable, Equatable {
    public var path: String
    public var readOnly = false

    public init(path: String, readOnly: Bool = false) {
        self.path = path
        self.readOnly = readOnly
    }
}

/// `retention:` — how long finished records are kept (seconds).
public struct RetentionConfiguration: Sendable, Equatable {
    public var runs = 30.0 * 86_400
    public var deliveries = 7.0 * 86_400
    public var events = 7.0 * 86_400

    public init() {}
}

/// `console:` — the web console and the `/v1/` API on a TCP port, for people with tokens or behind a proxy.
public struct ConsoleListenerConfiguration: Sendable, Equatable {
    /// How a TCP request says who it is.
    public enum Auth: String, Sendable, Equatable, CaseIterable {
        /// `Authorization: Bearer TOKEN`, or a session cookie got at `/login` with a token.
        case tokens
        /// A header set by a reverse proxy, trusted only from `proxyFrom`.
        case proxy
    }

    /// `HOST:PORT` to listen on.
    public var listen: String
    public var auth = Auth.tokens
    /// The header carrying the user's name (`auth: proxy`).
    public var proxyHeader = "X-Forwarded-User"
    /// Peer addresses the header is accepted from (`auth: proxy`).
    public var proxyFrom: [String] = ["127.0.0.1"]
    /// The role of a proxy-authenticated user (`auth: proxy`).
    public var proxyRole = ConsoleToken.Role.operator

    public init(listen: String) { self.listen = listen }
}

/// The SMTP server `send_email` talks to, from the daemon configuration's `smtp:` block.
public struct SMTPSettings: Sendable {
    /// Whether to upgrade a plain `smtp://` connection with STARTTLS.
    public enum StartTLS: String, Sendable, CaseIterable {
        /// Use STARTTLS when the server offers it, else continue in plain text.
        case auto
        /// Require STARTTLS; fail if the server does not offer it.
        case always
        /// Never upgrade (a local relay on 127.0.0.1).
        case never
    }

    /// `smtp://host:port` (STARTTLS per `starttls`) or `smtps://host:port` (TLS from the start).
    public var url: String
    /// The login name, when the server needs authentication.
    public var username: String?
    /// The password for `username`.
    public var password: String?
    /// STARTTLS policy for `smtp://` URLs; ignored for `smtps://`.
    public var starttls: StartTLS
    /// Total time allowed for one message, in seconds.
    public var timeout: Double
    /// Time allowed to connect, in seconds.
    public var connectTimeout: Double

    /// Creates settings with the defaults of the configuration file.
    public init(
        url: String,
        username: String? = nil,
        password: String? = nil,
        starttls: StartTLS = .auto,
        timeout: Double = 60,
        connectTimeout: Double = 10
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}

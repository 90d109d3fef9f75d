/// Why an HTTP or SMTP exchange failed before a response could be returned.
///
/// The message names the request (method and URL, with credentials and the query string removed) and
/// what went wrong, e.g. `GET https://api.example.com/slow: no response within 10s (timeout)`.
/// Two errors compare equal when their codes are equal.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, for callers that branch (retry on `.timeout` and `.connect`, not on `.tooLarge`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case timeout, connect, tls, tooLarge, tooManyRedirects, cancelled, invalidRequest, other
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The total or connect timeout expired.
        public static let timeout = Code(.timeout)
        /// No connection could be made: refused, unreachable, or the host name did not resolve.
        public static let connect = Code(.connect)
        /// The TLS handshake failed or the server's certificate was not trusted.
        public static let tls = Code(.tls)
        /// The response was larger than `maxResponseBytes`.
        public static let tooLarge = Code(.tooLarge)
        /// More than `HTTPStepRequest.maxRedirects` redirects, usually a redirect loop.
        public static let tooManyRedirects = Code(.tooManyRedirects)
        /// The transport shut down while the transfer was running. (A cancelled task throws
        /// `CancellationError` instead.)
        public static let cancelled = Code(.cancelled)
        /// The request could not be sent as given: bad URL, unsupported scheme, bad header.
        public static let invalidRequest = Code(.invalidRequest)
        /// Any other failure; the message carries libcurl's explanation.
        public static let other = Code(.other)

        /// The code's name, e.g. `timeout`.
        public var description: String { self.base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for people: which request, and what happened.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { self.message }

    /// Equal when the codes are equal; the message is for people.
    public static func == (lhs: TransportError, rhs: TransportError) -> Bool { lhs.code == rhs.code }

    /// `url` fit for messages and logs: user name, password, query string and fragment removed, since
    /// they often carry tokens (`https://user:pw@host/p?token=x` → `https://host/p?…`).
    public static func redacted(_ url: String) -> String {
        var rest = Substring(url)
        var prefix = ""
        if let schemeEnd = rest.firstRange(of: "://") {
            prefix = String(rest[..<schemeEnd.upperBound])
            rest = rest[schemeEnd.upperBound...]
        }
        var suffix = ""
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            suffix = rest[cut] == "?" ? "?…" : ""
            rest = rest[..<cut]
        }
        // The authority ends at the first "/"; an "@" before it separates credentials.
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        if let at = rest[..<authorityEnd].lastIndex(of: "@") {
            rest = rest[rest.index(after: at)...]
        }
        return prefix + rest + suffix
    }
}

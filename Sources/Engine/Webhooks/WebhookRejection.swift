/// Why an inbound delivery was refused (the gateway answers 401 and records only a counter).
///
/// The reason is short and safe to log: it never contains a secret or a full signature.
public struct WebhookRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// For example "missing X-Hub-Signature-256 header" or "signature does not match".
    public let reason: String

    /// Creates a rejection with a reason that must not quote secrets or signatures.
    public init(reason: String) { self.reason = reason }

    public var description: String { self.reason }
}

extension WebhookRejection {
    static func missing(_ header: String) -> WebhookRejection {
        WebhookRejection(reason: "missing \(header) header")
    }

    static func malformed(_ header: String, _ detail: String? = nil) -> WebhookRejection {
        WebhookRejection(reason: "malformed \(header) header" + (detail.map { " (\($0))" } ?? ""))
    }

    static let mismatch = WebhookRejection(reason: "signature does not match")
    static let noSecret = WebhookRejection(reason: "no webhook secret configured")

    static func stale(tolerance: Double) -> WebhookRejection {
        // Whole seconds print without a fraction: "300 s", not "300.0 s".
        let text = tolerance.rounded() == tolerance && abs(tolerance) < 1e15 ? "\(Int(tolerance))" : "\(tolerance)"
        return WebhookRejection(reason: "timestamp outside the \(text) s tolerance")
    }
}

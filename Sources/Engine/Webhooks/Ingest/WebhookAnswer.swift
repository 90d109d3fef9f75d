/// What the listener answers to one webhook request: a status, extra headers and a JSON body.
///
/// Engine decides answers by number so it needs no HTTP types; the listener only serialises them.
public struct WebhookAnswer: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// Extra response headers (`Retry-After`, `Allow`), by canonical name.
    public var headers: [String: String]
    /// The JSON body.
    public var body: JSONValue
    /// How the delivery is counted in `triggerd_webhook_deliveries_total`.
    public var outcome: String

    /// Creates an answer.
    public init(status: Int, body: JSONValue, outcome: String, headers: [String: String] = [:]) {
        self.status = status
        self.body = body
        self.outcome = outcome
        self.headers = headers
    }

    /// The error shape of the control API (SPEC §8): `{"error": {"code", "message"}}`.
    static func error(_ status: Int, code: String, _ message: String, outcome: String, headers: [String: String] = [:])
        -> WebhookAnswer
    {
        WebhookAnswer(
            status: status,
            body: ["error": ["code": .string(code), "message": .string(message)]],
            outcome: outcome,
            headers: headers
        )
    }

    /// 404 for a path no workflow serves.
    static func notFound(_ path: String) -> WebhookAnswer {
        .error(404, code: "not_found", "no webhook is served at \(path)", outcome: "not_found")
    }

    /// 413 for a body over the endpoint's `max_body`.
    public static func tooLarge(limit: Int) -> WebhookAnswer {
        .error(413, code: "too_large", "request body is larger than the limit of \(limit) bytes", outcome: "too_large")
    }

    /// 408: the body did not arrive within `seconds` of the request head (a slow-body client).
    public static func tooSlow(seconds: Double) -> WebhookAnswer {
        let within = DurationText.format(seconds)
        return .error(408, code: "timeout", "request body did not arrive within \(within)", outcome: "timeout")
    }

    /// 503 while the daemon shuts down.
    static let shuttingDown = WebhookAnswer.error(
        503, code: "unavailable", "triggerd is shutting down; retry later", outcome: "unavailable",
        headers: ["Retry-After": "5"])
}

/// One inbound HTTP request to the webhook listener, as the ingest sees it: no HTTP library types.
public struct WebhookRequest: Sendable {
    /// Upper-case method, e.g. `POST`.
    public var method: String
    /// The path without the query, as received (not percent-decoded).
    public var path: String
    /// Header values by lower-cased name; repeated headers joined with `", "`.
    public var headers: [String: String]
    /// Query parameters, percent-decoded; a repeated name keeps its first value.
    public var query: [String: String]
    /// The exact body bytes (at most the endpoint's `max_body`).
    public var body: [UInt8]
    /// The peer's address, for logs (`nil` when unknown).
    public var remoteAddress: String?

    /// Creates a request; names in `headers` must already be lower-cased.
    public init(
        method: String,
        path: String,
        headers: [String: String] = [:],
        query: [String: String] = [:],
        body: [UInt8] = [],
        remoteAddress: String? = nil
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.query = query
        self.body = body
        self.remoteAddress = remoteAddress
    }
}

extension WebhookRequest {
    /// Query parameters of a raw query string (`a=1&b=x+y`): `+` is a space, `%XX` decoded, first value kept.
    public static func parseQuery(_ raw: String?) -> [String: String] {
        guard let raw, !raw.isEmpty else { return [:] }
        var query: [String: String] = [:]
        for pair in raw.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = WebhookPayload.formDecode(parts[0])
            if query[name] == nil { query[name] = parts.count > 1 ? WebhookPayload.formDecode(parts[1]) : "" }
        }
        return query
    }
}

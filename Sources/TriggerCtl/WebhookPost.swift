import Steps

/// One webhook delivery as `webhook send` makes it: a POST of `body` with the signed `headers` to `url`.
struct WebhookPost: Equatable, Sendable {
    /// One header field.
    struct Field: Equatable, Sendable {
        var name: String
        var value: String
    }

    var url: String
    /// Header fields in the order they are sent.
    var headers: [Field]
    var body: [UInt8]

    /// The value of the first header called `name` (any case).
    func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Sends it over TCP with libcurl (no redirects followed) and returns the status and body.
    ///
    /// - Throws: `TransportError` when no answer came (refused, timeout).
    func send() async throws -> ControlReply {
        let request = HTTPStepRequest(
            method: "POST",
            url: self.url,
            headers: self.headers.map { HTTPHeader(name: $0.name, value: $0.value) },
            body: self.body,
            timeout: 60
        )
        let response = try await CurlTransport(maxConnectionsPerHost: 1, userAgent: "triggerctl").send(request)
        return ControlReply(status: response.status, body: response.body)
    }
}

/// What came back for an `HTTPStepRequest`, whatever the status code.
public struct HTTPStepResponse: Sendable {
    /// The status code of the final response (after redirects, when they were followed).
    public var status: Int
    /// The final response's header fields, names lower-cased, in the order received.
    public var headers: [HTTPHeader]
    /// The body bytes (decoded from chunked transfer encoding, otherwise as sent).
    public var body: [UInt8]
    /// The URL the final response came from; differs from the request's when redirects were followed.
    public var effectiveURL: String?

    /// Creates a response; used by transports and by fakes in tests.
    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = [], effectiveURL: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.effectiveURL = effectiveURL
    }

    /// The value of the first header field called `name` (case-insensitive), or `nil`.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return self.headers.first { $0.name == wanted }?.value
    }

    /// Every value of the header fields called `name` (case-insensitive), e.g. each `set-cookie`.
    public func headers(named name: String) -> [String] {
        let wanted = name.lowercased()
        return self.headers.filter { $0.name == wanted }.map(\.value)
    }
}

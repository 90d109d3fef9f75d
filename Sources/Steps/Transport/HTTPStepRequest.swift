/// One outgoing HTTP request, as an `http_request`, `webhook` or `llm_call` step builds it.
///
/// Every request has a total `timeout`, a `connectTimeout` and a cap on the response size, so that one
/// slow or huge answer cannot hold a run forever or fill the daemon's memory.
public struct HTTPStepRequest: Sendable {
    /// The default cap on a response body: 10 MiB.
    public static let defaultMaxResponseBytes = 10 * 1024 * 1024
    /// How many redirects are followed at most when `followRedirects` is on.
    public static let maxRedirects = 10

    /// The request method, e.g. `GET`, `POST`, `PATCH`. Sent as given.
    public var method: String
    /// The absolute `http://` or `https://` URL, query included. With `unixSocketPath`, the host part
    /// only fills the `Host` header (use `http://localhost/...`).
    public var url: String
    /// Header fields in the order they are sent. A field given here replaces the transport's default
    /// of the same name (`User-Agent`, `Content-Type`).
    public var headers: [HTTPHeader]
    /// The request body, sent with a `Content-Length`; `nil` sends none.
    public var body: [UInt8]?
    /// Total time allowed for the exchange in seconds, including connecting and waiting for a free
    /// connection. 0 means no limit, which only makes sense for streams.
    public var timeout: Double
    /// Time allowed to establish the connection (and TLS handshake) in seconds.
    public var connectTimeout: Double
    /// Whether 3xx answers with a `Location` are followed (at most `maxRedirects` times). When off, the
    /// 3xx response itself is returned.
    public var followRedirects: Bool
    /// The largest response body accepted; a larger one aborts the transfer with `TransportError.Code.tooLarge`.
    public var maxResponseBytes: Int
    /// When set, the request goes over this Unix-domain socket instead of TCP (the control API).
    public var unixSocketPath: String?

    /// Creates a request; every limit has a default that suits an outgoing API call.
    public init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8]? = nil,
        timeout: Double = 30,
        connectTimeout: Double = 10,
        followRedirects: Bool = false,
        maxResponseBytes: Int = HTTPStepRequest.defaultMaxResponseBytes,
        unixSocketPath: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.followRedirects = followRedirects
        self.maxResponseBytes = maxResponseBytes
        self.unixSocketPath = unixSocketPath
    }
}

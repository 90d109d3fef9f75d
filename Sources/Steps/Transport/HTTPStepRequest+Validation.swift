extension HTTPStepRequest {
    /// `METHOD url` with secrets removed (plus the socket, if any), the way errors name this request.
    var label: String {
        let target = "\(self.method) \(TransportError.redacted(self.url))"
        guard let socket = self.unixSocketPath else { return target }
        return "\(target) (unix socket \(socket))"
    }

    /// Refuses what would be sent wrongly or not at all, before libcurl sees it: header injection
    /// through CR/LF, a method that is not a token, a scheme other than http(s), nonsense limits.
    func validate() throws(TransportError) {
        func refuse(_ what: String) -> TransportError {
            TransportError(.invalidRequest, "\(self.label): \(what)")
        }
        guard !self.method.isEmpty, self.method.utf8.allSatisfy(Self.isTokenByte) else {
            throw refuse("method '\(self.method)' is not a valid HTTP method")
        }
        let lowered = self.url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            throw refuse("only http:// and https:// URLs are supported")
        }
        guard !self.url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw refuse("the URL contains a space or control character; percent-encode it")
        }
        for header in self.headers {
            guard !header.name.isEmpty, header.name.utf8.allSatisfy(Self.isTokenByte) else {
                throw refuse("header name '\(header.name)' is not a valid field name")
            }
            guard !header.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw refuse("header '\(header.name)' has a line break in its value")
            }
        }
        guard self.timeout >= 0, self.timeout.isFinite, self.connectTimeout >= 0, self.connectTimeout.isFinite else {
            throw refuse("timeouts must be finite and not negative")
        }
        guard self.maxResponseBytes > 0 else {
            throw refuse("max response size must be positive, got \(self.maxResponseBytes)")
        }
    }

    /// RFC 9110 `tchar`: what a method or a field name may contain.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

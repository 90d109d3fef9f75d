/// The head of one HTTP/1.1 request as the console proxy reads it from a browser: request line and headers.
struct ConsoleRequestHead: Equatable, Sendable {
    var method: String
    /// The request target as sent (path and query).
    var target: String
    var version: String
    /// Headers in order, names as sent.
    var headers: [(name: String, value: String)]

    static func == (lhs: ConsoleRequestHead, rhs: ConsoleRequestHead) -> Bool {
        lhs.method == rhs.method && lhs.target == rhs.target && lhs.version == rhs.version
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// Parses the bytes before the blank line; nil when they are not an HTTP/1.x request head.
    static func parse(_ bytes: [UInt8]) -> ConsoleRequestHead? {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last == "" { lines.removeLast() }
        guard let first = lines.first else { return nil }
        let parts = first.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), parts[1].hasPrefix("/") else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = String(line[..<colon]).trimmingSpaces
            guard !name.isEmpty, !name.contains(" ") else { return nil }
            headers.append((name, String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        return ConsoleRequestHead(method: parts[0], target: parts[1], version: parts[2], headers: headers)
    }

    /// The first value of header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The value of cookie `name` from the `Cookie` headers.
    func cookie(_ name: String) -> String? {
        for header in self.headers where header.name.lowercased() == "cookie" {
            for pair in header.value.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
                if parts.count == 2, parts[0] == name { return parts[1] }
            }
        }
        return nil
    }

    /// The path without its query.
    var path: String { String(self.target.split(separator: "?", maxSplits: 1).first ?? "") }

    /// The value of query parameter `name` (not percent-decoded: the proxy's own parameters are hex).
    func queryParameter(_ name: String) -> String? {
        guard let query = self.target.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.first == name { return parts.count > 1 ? parts[1] : "" }
        }
        return nil
    }

    /// The head to send on to the daemon: the proxy's cookie and hop-by-hop headers removed, `Connection: close`
    /// added (one request per connection keeps the forwarding a plain byte copy).
    func forwarded() -> [UInt8] {
        let dropped: Set<String> = ["cookie", "connection", "keep-alive", "proxy-connection", "upgrade", "te"]
        var text = "\(self.method) \(self.target) \(self.version)\r\n"
        for header in self.headers where !dropped.contains(header.name.lowercased()) {
            text += "\(header.name): \(header.value)\r\n"
        }
        text += "Connection: close\r\n\r\n"
        return Array(text.utf8)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}

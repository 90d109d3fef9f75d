import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One TCP connection to 127.0.0.1 driven byte by byte, for clients that misbehave on purpose (slowloris,
/// oversized requests, a body announced and never sent). Every call is bounded: connect and send time out
/// (`SO_SNDTIMEO`), reads wait with `poll` and a deadline, and the descriptor is closed by `close()` or on deinit.
/// Shared by the listener tests (TriggerdTests) and the end-to-end tests against the real binary.
public final class RawConnection: @unchecked Sendable {
    // @unchecked: each instance is used by one thread at a time (the test hands connections over, never shares).
    public private(set) var fd: Int32

    /// Connects, or returns nil when the connection was refused or did not complete within `timeout` seconds.
    public init?(port: Int, timeout: Int = 5) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        // Linux applies SO_SNDTIMEO to connect(): a listener whose backlog is full cannot block us for long.
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return nil
        }
        self.fd = fd
    }

    deinit { self.close() }

    public func close() {
        if self.fd >= 0 { Glibc.close(self.fd) }
        self.fd = -1
    }

    /// Sends everything; false when the peer closed or reset the connection (or the send timed out).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    @discardableResult
    public func send(_ text: String) -> Bool { self.send(Array(text.utf8)) }

    /// True when the peer has closed (EOF or reset) within `timeout` seconds; data it sent first is read and
    /// dropped. False when the connection is still open at the deadline.
    public func closedByPeer(within timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var pollfd = Glibc.pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollfd, 1, Int32(min(left, 1) * 1000) + 1)
            guard ready > 0 else { continue }
            let count = recv(self.fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count == 0 { return true }
            if count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR { return true }
        }
    }

    /// Reads until the peer closes or `timeout` seconds pass and returns the answer's status and body, or nil
    /// when nothing that looks like an HTTP answer arrived. A reset after the answer still returns the answer.
    public func readAnswer(timeout: Double) -> (status: Int, headers: String, body: String)? {
        let deadline = Date().addingTimeInterval(timeout)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        reading: while deadline.timeIntervalSinceNow > 0 {
            var pollfd = Glibc.pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollfd, 1, Int32(min(deadline.timeIntervalSinceNow, 1) * 1000) + 1)
            guard ready > 0 else { continue }
            let count = recv(self.fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            switch count {
            case 0: break reading
            case ..<0 where errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR: continue
            case ..<0: break reading
            default: received += buffer[0..<count]
            }
            if let answer = Self.parse(received), answer.complete {
                return (answer.status, answer.headers, answer.body)
            }
        }
        return Self.parse(received).map { ($0.status, $0.headers, $0.body) }
    }

    /// Status, head and body of an HTTP/1.1 answer; `complete` once `Content-Length` bytes of body are there.
    public static func parse(_ bytes: [UInt8]) -> (status: Int, headers: String, body: String, complete: Bool)? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 "), let status = Int(text.dropFirst(9).prefix(3)),
            let split = text.range(of: "\r\n\r\n")
        else { return nil }
        let head = String(text[..<split.lowerBound])
        let body = String(text[split.upperBound...])
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
        return (status, head, body, length.map { body.utf8.count >= $0 } ?? false)
    }

    /// One request on a new connection (`Connection: close`): its answer, or nil when none came in `timeout`.
    public static func request(
        port: Int,
        _ method: String,
        _ path: String,
        headers: [String] = [],
        body: [UInt8] = [],
        timeout: Double = 5
    ) -> (status: Int, headers: String, body: String)? {
        guard let connection = RawConnection(port: port, timeout: Int(timeout.rounded(.up))) else { return nil }
        defer { connection.close() }
        var head =
            "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for header in headers { head += header + "\r\n" }
        guard connection.send(Array((head + "\r\n").utf8) + body) else { return nil }
        return connection.readAnswer(timeout: timeout)
    }
}

extension RawConnection {
    /// Sends `total` bytes of chunked body in `chunk`-sized pieces without ever blocking, and stops as soon as
    /// the server answers, closes, or stops reading for `stall` seconds. Returns the body bytes handed to the
    /// kernel (what the server could at most have read).
    public func sendChunkedUntilAnswered(total: Int, chunk: Int = 64 * 1024, stall: Double = 3) -> Int {
        let piece =
            Array(String(chunk, radix: 16).utf8) + [13, 10] + [UInt8](repeating: 0x78, count: chunk) + [13, 10]
        var sent = 0
        var pending = piece[...]
        while sent < total {
            var pollfd = Glibc.pollfd(fd: self.fd, events: Int16(POLLIN | POLLOUT), revents: 0)
            guard poll(&pollfd, 1, Int32(stall * 1000)) > 0 else { return sent }
            if pollfd.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { return sent }
            let count = pending.withUnsafeBytes {
                Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return sent
            }
            pending = pending.dropFirst(count)
            if pending.isEmpty {
                sent += chunk
                pending = piece[...]
            }
        }
        return sent
    }
}

extension RawConnection {
    /// Runs blocking socket work on a Dispatch thread, so an async test does not hold a cooperative thread.
    public static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}

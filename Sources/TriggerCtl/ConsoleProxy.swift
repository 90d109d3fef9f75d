import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The loopback listener of `triggerctl console`: each browser connection is checked by `ConsoleGate`, then its
/// one request is sent on over the daemon's Unix socket (so the daemon sees this process's uid through
/// SO_PEERCRED) and the answer is copied back byte for byte, streams included, until either side closes.
///
/// Plain blocking sockets, one thread per connection: a console has one user and a handful of connections, and
/// triggerctl does not link an event loop.
final class ConsoleProxy: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let socketPath: String
    let gate: ConsoleGate
    private let listener: Int32

    /// Binds 127.0.0.1:`port` (0 picks a free port) and listens; throws when the port cannot be had.
    init(socketPath: String, port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "cannot create a socket: \(Self.errorText())") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = Self.errorText()
            close(fd)
            throw Failure(description: "cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.listener = fd
        self.socketPath = socketPath
        self.gate = ConsoleGate(port: Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Accepts connections until the process ends, each on its own thread.
    func serve() {
        signal(SIGPIPE, SIG_IGN)
        while true {
            let client = accept(self.listener, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            Thread.detachNewThread { [self] in
                self.handle(client)
                close(client)
            }
        }
    }

    /// One browser connection: read the head, ask the gate, forward or answer.
    func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let (headBytes, rest) = Self.readHead(client), let head = ConsoleRequestHead.parse(headBytes) else {
            Self.answer(client, status: 400, message: "This is not an HTTP/1.1 request.")
            return
        }
        switch self.gate.verdict(for: head) {
        case .refuse(let status, let message):
            Self.answer(client, status: status, message: message)
        case .grant(let location, let cookie):
            let text =
                "HTTP/1.1 303 See Other\r\nLocation: \(location)\r\nSet-Cookie: \(cookie)\r\n"
                + "Referrer-Policy: same-origin\r\nCache-Control: no-store\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            Self.writeAll(client, Array(text.utf8))
        case .forward:
            if head.header("Transfer-Encoding") != nil {
                Self.answer(client, status: 411, message: "Send a Content-Length, not a chunked body.")
                return
            }
            self.forward(head, rest: rest, client: client)
        }
    }

    private func forward(_ head: ConsoleRequestHead, rest: [UInt8], client: Int32) {
        let daemon = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard daemon >= 0 else { return Self.answer(client, status: 502, message: "cannot create a socket") }
        defer { close(daemon) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(self.socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
            return Self.answer(client, status: 502, message: "the socket path is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(daemon, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            return Self.answer(
                client,
                status: 502,
                message: "triggerd does not answer on \(self.socketPath): \(Self.errorText())"
            )
        }
        guard Self.writeAll(daemon, head.forwarded()), rest.isEmpty || Self.writeAll(daemon, rest) else { return }
        // The rest of the body (Content-Length), then the answer until the daemon closes.
        var remaining = max(0, (Int(head.header("Content-Length") ?? "0") ?? 0) - rest.count)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while remaining > 0 {
            let n = read(client, &buffer, min(buffer.count, remaining))
            guard n > 0, Self.writeAll(daemon, Array(buffer[0..<n])) else { return }
            remaining -= n
        }
        var fds = [
            pollfd(fd: daemon, events: Int16(POLLIN), revents: 0), pollfd(fd: client, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            guard poll(&fds, 2, -1) >= 0 else {
                if errno == EINTR { continue }
                return
            }
            if fds[1].revents != 0 {
                // The browser closed (or sent more, which a one-request connection does not do): stop.
                let n = recv(client, &buffer, buffer.count, Int32(MSG_PEEK | MSG_DONTWAIT))
                if n <= 0 { return }
            }
            if fds[0].revents != 0 {
                let n = read(daemon, &buffer, buffer.count)
                guard n > 0, Self.writeAll(client, Array(buffer[0..<n])) else { return }
            }
        }
    }

    /// Reads until the blank line ending the head (at most 64 KiB): the head and any body bytes read past it.
    static func readHead(_ fd: Int32) -> ([UInt8], [UInt8])? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < 65536 {
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { return nil }
            data += buffer[0..<n]
            if let end = Self.headEnd(data) { return (Array(data[0..<end]), Array(data[(end + 4)...])) }
        }
        return nil
    }

    private static func headEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4)
        where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// A small HTML answer from the proxy itself.
    static func answer(_ fd: Int32, status: Int, message: String) {
        let reasons = [400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 411: "Length Required",
                       421: "Misdirected Request", 502: "Bad Gateway"]
        let escaped = message.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        let body = "<!doctype html><title>triggerctl console</title><p>\(escaped)</p>\n"
        let text =
            "HTTP/1.1 \(status) \(reasons[status] ?? "Error")\r\nContent-Type: text/html; charset=utf-8\r\n"
            + "Content-Length: \(body.utf8.count)\r\nContent-Security-Policy: default-src 'none'\r\n"
            + "Connection: close\r\n\r\n\(body)"
        Self.writeAll(fd, Array(text.utf8))
    }

    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

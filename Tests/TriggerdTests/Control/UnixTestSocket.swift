import Foundation

@testable import Triggerd

#if canImport(Glibc)
    import Glibc
#endif

/// Blocking Unix-socket helpers for tests that talk to real sockets: a one-shot HTTP/1.1 client, datagram
/// receivers, and temporary directories. Every read has a timeout so a broken server fails the test, not hangs it.
enum UnixTestSocket {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Seconds any blocking read or write may take.
    static let timeoutSeconds = 10

    /// Runs blocking socket calls on a Dispatch thread: blocking one of the few cooperative-pool threads would
    /// starve the server or service under test, which runs on that pool.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// A fresh directory under /tmp (short, so socket paths fit in `sun_path`).
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/triggerd-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(description: "mkdtemp: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// Sends one request with `Connection: close` and reads the answer to EOF: (status code, body).
    static func http(socket path: String, method: String, target: String, body: String = "") throws -> (Int, String) {
        let fd = try self.open(type: SOCK_STREAM)
        defer { close(fd) }
        guard let address = UnixSocketAddress(path), address.withSockaddr({ connect(fd, $0, $1) }) == 0 else {
            throw Failure(description: "connect \(path): \(String(cString: strerror(errno)))")
        }
        let request =
            "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw Failure(description: "send: \(String(cString: strerror(errno)))")
        }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
            answer += chunk.prefix(count)
        }
        let text = String(decoding: answer, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n"), let statusLine = text.split(separator: "\r\n").first else {
            throw Failure(description: "not an HTTP answer: \(text)")
        }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw Failure(description: "bad status line: \(statusLine)")
        }
        return (status, String(text[split.upperBound...]))
    }

    /// A datagram socket bound to `address` (a path or an `@abstract` name), as systemd's notify socket is.
    static func bindDatagram(_ address: String) throws -> Int32 {
        let fd = try self.open(type: SOCK_DGRAM)
        guard let unixAddress = UnixSocketAddress(address), unixAddress.withSockaddr({ bind(fd, $0, $1) }) == 0 else {
            close(fd)
            throw Failure(description: "bind \(address): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// The next datagram on `fd` as text.
    static func receive(_ fd: Int32) throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    private static func open(type: __socket_type) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: self.timeoutSeconds, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, size)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, size)
        return fd
    }
}

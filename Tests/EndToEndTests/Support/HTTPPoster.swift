import Foundation
import SocketSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking one-request HTTP/1.1 client over TCP (`Connection: close`), for load from plain threads.
enum HTTPPoster {
    /// The answer's status and body, or `nil` when the connection failed (refused, reset, timed out). Unlike
    /// `RawConnection.request`, an answer counts only when the server closed the connection cleanly after it: a
    /// reset (the daemon killed mid-answer) is a failure, as a real sender would see it.
    static func post(port: Int, path: String, headers: [(name: String, value: String)], body: [UInt8]) -> (status: Int, body: String)? {
        // Connect, send and every read time out after 10 s (SO_SNDTIMEO / SO_RCVTIMEO).
        guard let connection = RawConnection(port: port, timeout: 10) else { return nil }
        defer { connection.close() }
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        guard connection.send(Array((head + "\r\n").utf8) + body) else { return nil }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = recv(connection.fd, &buffer, buffer.count, 0)
            if count == 0 { break }
            guard count > 0 else { return nil }
            received += buffer[0..<count]
        }
        return RawConnection.parse(received).map { ($0.status, $0.body) }
    }
}

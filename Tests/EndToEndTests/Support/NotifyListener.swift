import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Plays systemd's side of `sd_notify`: a datagram socket the test binds and points `NOTIFY_SOCKET` at, and
/// the messages the daemon sent to it, in order.
final class NotifyListener: Sendable {
    let path: String
    private let fd: Int32
    private let received = Mutex<[String]>([])

    /// Binds a datagram socket at `path` (which must not exist).
    init(path: String) throws {
        self.path = path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw E2EError("socket(AF_UNIX, SOCK_DGRAM) failed") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw E2EError("notify path too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            close(fd)
            throw E2EError("cannot bind the notify socket \(path): \(String(cString: strerror(errno)))")
        }
        // Short receive timeouts keep `waitFor` polling without blocking forever.
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.fd = fd
    }

    deinit {
        close(self.fd)
        unlink(self.path)
    }

    /// Every message so far (one datagram each, lines joined by `\n`).
    var messages: [String] { self.received.withLock { $0 } }

    /// Reads datagrams until one satisfies `predicate` (returned) or `timeout` seconds pass (nil).
    func waitFor(timeout: Double = 20, _ predicate: (String) -> Bool) -> String? {
        if let seen = self.messages.first(where: predicate) { return seen }
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { continue }
            let message = String(decoding: buffer[0..<count], as: UTF8.self)
            self.received.withLock { $0.append(message) }
            if predicate(message) { return message }
        }
        return nil
    }

    /// How many messages so far contain `line` as one of their lines.
    func count(_ line: String) -> Int {
        self.messages.filter { $0.split(separator: "\n").contains(Substring(line)) }.count
    }
}

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
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
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

/// A process started in the background through `sh -c 'ARGV &'`, so it is not a child of the test process.
///
/// Foundation's `Process` loses track of a child that replaces itself with another program (as
/// `systemd-socket-activate` and the MDWE launcher do with `exec`): it stops reaping the test's other
/// children. Detached, the process is watched through `/proc` instead, and its output goes to `log`.
final class DetachedProcess {
    let pid: Int32
    /// Set once `stop` saw the process exit, so a later `stop` never signals a reused pid.
    private var exited = false

    private init(pid: Int32) { self.pid = pid }

    /// Starts `argv` with `environment` added, stdout and stderr appended to `log`.
    static func start(_ argv: [String], environment: [String: String] = [:], log: String) throws -> DetachedProcess {
        func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let assignments = environment.map { quote("\($0.key)=\($0.value)") }.joined(separator: " ")
        let command = "env \(assignments) \(argv.map(quote).joined(separator: " ")) >>\(quote(log)) 2>&1 </dev/null & echo $!"
        let result = CommandResult.run(["/bin/sh", "-c", command])
        guard result.status == 0, let pid = Int32(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw E2EError("cannot start \(argv.first ?? "?") in the background: \(result.stderr)")
        }
        return DetachedProcess(pid: pid)
    }

    /// True until the process has exited (a zombie counts as exited).
    var isRunning: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(self.pid)/stat", encoding: .utf8) else { return false }
        // The state follows the parenthesised command name: "PID (comm) S ...".
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Sends `signal`, then waits up to `timeout` seconds for the process to exit; returns whether it did.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM, timeout: Double = 20) -> Bool {
        if self.exited || !self.isRunning {
            self.exited = true
            return true
        }
        kill(self.pid, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !self.isRunning {
                self.exited = true
                return true
            }
            usleep(20_000)
        }
        kill(self.pid, SIGKILL)
        return false
    }
}

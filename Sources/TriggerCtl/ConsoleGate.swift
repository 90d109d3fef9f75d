import Engine
import Synchronization

/// Who may use a `triggerctl console` port: whoever opened the one-time link. The link's token is exchanged,
/// once, for a session cookie (HttpOnly, SameSite=Strict); every later request must carry that cookie. The
/// `Host` must be the loopback address the console printed (no DNS rebinding) and a cross-origin POST is refused.
final class ConsoleGate: Sendable {
    /// What to do with one request.
    enum Verdict: Equatable {
        /// Forward to the daemon.
        case forward
        /// The link was opened: set the session cookie and redirect to `location` (the token dropped).
        case grant(location: String, cookie: String)
        /// Answer `status` with `message` and forward nothing.
        case refuse(status: Int, message: String)
    }

    static let cookieName = "triggerctl_console"

    let port: Int
    let token: String
    let session: String
    private let spent = Mutex(false)

    init(port: Int, token: String = ConsoleGate.randomHex(), session: String = ConsoleGate.randomHex()) {
        self.port = port
        self.token = token
        self.session = session
    }

    /// The URL to print: `http://127.0.0.1:PORT/?token=TOKEN`.
    var url: String { "http://127.0.0.1:\(self.port)/?token=\(self.token)" }

    func verdict(for head: ConsoleRequestHead) -> Verdict {
        let hosts = ["127.0.0.1:\(self.port)", "localhost:\(self.port)"]
        guard let host = head.header("Host"), hosts.contains(host.lowercased()) else {
            return .refuse(status: 421, message: "This console answers only at http://127.0.0.1:\(self.port)/.")
        }
        if let origin = head.header("Origin"), head.method != "GET", head.method != "HEAD",
            !hosts.map({ "http://" + $0 }).contains(origin.lowercased())
        {
            return .refuse(status: 403, message: "Cross-origin form submissions are refused.")
        }
        if let cookie = head.cookie(Self.cookieName), Self.equal(cookie, self.session) {
            return .forward
        }
        if let offered = head.queryParameter("token") {
            let granted = self.spent.withLock { spent -> Bool in
                guard !spent, Self.equal(offered, self.token) else { return false }
                spent = true
                return true
            }
            if granted {
                let cookie = "\(Self.cookieName)=\(self.session); Path=/; HttpOnly; SameSite=Strict"
                return .grant(location: head.path.isEmpty ? "/" : head.path, cookie: cookie)
            }
            return .refuse(
                status: 403,
                message: "This console link was already used or is wrong. Run triggerctl console again for a new one."
            )
        }
        return .refuse(status: 401, message: "Open the link triggerctl console printed; it works once.")
    }

    /// 32 random bytes as hex (the system generator: getrandom on Linux).
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return HexText.lowercase((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Compares without stopping at the first difference.
    private static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

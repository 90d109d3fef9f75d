import Foundation

/// Server-side console sessions of the TCP listener: a random id (the cookie) mapped to the token it was opened
/// with. The token is checked again on every request, so revoking it ends its sessions at once. Sessions live in
/// memory: a daemon restart logs everyone out.
actor ConsoleSessions {
    /// How long a session lasts after login.
    static let lifetime: TimeInterval = 12 * 3600
    /// The session cookie's name.
    static let cookieName = "triggerd_session"

    private var sessions: [String: (secret: String, expires: Date)] = [:]

    /// Opens a session for `secret` (a token already checked) and returns its id.
    func open(secret: String, now: Date = Date()) -> String {
        self.sessions = self.sessions.filter { $0.value.expires > now }
        var generator = SystemRandomNumberGenerator()
        let id = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        self.sessions[id] = (secret, now.addingTimeInterval(Self.lifetime))
        return id
    }

    /// The token secret of session `id`, or nil when there is no such session or it has expired.
    func secret(of id: String, now: Date = Date()) -> String? {
        guard let session = self.sessions[id] else { return nil }
        guard session.expires > now else {
            self.sessions[id] = nil
            return nil
        }
        return session.secret
    }

    func close(_ id: String) { self.sessions[id] = nil }

    /// The `Set-Cookie` value for session `id` (an empty id with `Max-Age=0` clears it).
    static func cookie(_ id: String, maxAge: Int = Int(lifetime)) -> String {
        "\(self.cookieName)=\(id); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
    }

    /// The session id in a `Cookie` header, if any.
    static func id(inCookieHeader header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0] == self.cookieName, !pair[1].isEmpty { return String(pair[1]) }
        }
        return nil
    }
}

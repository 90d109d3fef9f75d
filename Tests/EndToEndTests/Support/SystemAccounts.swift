import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Throw-away Unix users and groups for end-to-end tests that need real peer identities on the control socket.
///
/// Names carry a random suffix so concurrent test processes never collide; `remove()` deletes every user, then
/// every group, this instance created (call it from a `defer`).
final class SystemAccounts: @unchecked Sendable {
    // @unchecked: one test owns one instance and uses it from one task; nothing is shared across tasks.
    private(set) var users: [String] = []
    private(set) var groups: [String] = []
    let suffix = String(UUID().uuidString.lowercased().prefix(6))

    /// True when this process may create accounts (root with useradd/groupadd/runuser available).
    static var available: Bool {
        getuid() == 0
            && ["/usr/sbin/useradd", "/usr/sbin/groupadd", "/usr/sbin/runuser"].allSatisfy {
                FileManager.default.isExecutableFile(atPath: $0)
            }
    }

    /// Creates group `prefix-SUFFIX` and returns its name.
    func group(_ prefix: String) throws -> String {
        let name = "\(prefix)-\(self.suffix)"
        let result = CommandResult.run(["/usr/sbin/groupadd", name])
        guard result.status == 0 else { throw E2EError("groupadd \(name) failed: \(result.stderr)") }
        self.groups.append(name)
        return name
    }

    /// Creates user `prefix-SUFFIX` (no home, no own group) in the supplementary `groups`; returns its name.
    func user(_ prefix: String, groups: [String]) throws -> String {
        let name = "\(prefix)-\(self.suffix)"
        var argv = ["/usr/sbin/useradd", "-M", "-N", "-s", "/usr/sbin/nologin"]
        if !groups.isEmpty { argv += ["-G", groups.joined(separator: ",")] }
        let result = CommandResult.run(argv + [name])
        guard result.status == 0 else { throw E2EError("useradd \(name) failed: \(result.stderr)") }
        self.users.append(name)
        return name
    }

    /// The uid of `user`.
    func uid(of user: String) -> Int? {
        getpwnam(user).map { Int($0.pointee.pw_uid) }
    }

    func remove() {
        for user in self.users.reversed() { _ = CommandResult.run(["/usr/sbin/userdel", user]) }
        for group in self.groups.reversed() { _ = CommandResult.run(["/usr/sbin/groupdel", group]) }
        self.users = []
        self.groups = []
    }
}

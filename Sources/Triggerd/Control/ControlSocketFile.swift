import Engine

#if canImport(Glibc)
    import Glibc
#endif

/// The file-system side of the control socket: checks before binding, permissions right after, removal at exit.
struct ControlSocketFile: Sendable {
    let path: String

    /// Refuses paths the kernel cannot bind, and a socket another live process is serving (Hummingbird removes
    /// an existing socket file before binding, which would silently take the socket from a running daemon).
    func checkBeforeBinding() throws {
        guard !self.path.isEmpty else { throw EngineError(.invalidInput, "the control socket path is empty") }
        guard self.path.utf8.count < UnixSocketAddress.capacity else {
            throw EngineError(
                .invalidInput,
                "control socket path \(self.path) is \(self.path.utf8.count) bytes; Unix sockets allow at most \(UnixSocketAddress.capacity - 1)"
            )
        }
        let directory = self.directory
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw EngineError(
                .invalidInput,
                "the control socket's directory \(directory) does not exist (create it, or set socket: elsewhere)"
            )
        }
        if self.isServed() {
            throw EngineError(.conflict, "another process is already serving the control socket \(self.path)")
        }
    }

    /// Sets mode 0660 and, when `groupID` is given, the socket's group, so the admin group can connect.
    /// Returns a description of what failed, if anything.
    func restrict(groupID: gid_t?) -> [String] {
        var failures: [String] = []
        if chmod(self.path, 0o660) != 0 {
            failures.append("chmod 0660 \(self.path): \(Self.lastError())")
        }
        if let groupID, chown(self.path, uid_t.max, groupID) != 0 {
            // uid_t.max is (uid_t)-1: leave the owner as it is.
            failures.append("chgrp \(groupID) \(self.path): \(Self.lastError())")
        }
        return failures
    }

    /// Removes the socket file (at shutdown; a missing file is fine).
    func remove() {
        _ = unlink(self.path)
    }

    private var directory: String {
        guard let slash = self.path.lastIndex(of: "/") else { return "." }
        let directory = String(self.path[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    // True when something accepts connections on the path; a stale file from a crashed daemon refuses them.
    private func isServed() -> Bool {
        guard let address = UnixSocketAddress(self.path) else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return address.withSockaddr { connect(fd, $0, $1) } == 0
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

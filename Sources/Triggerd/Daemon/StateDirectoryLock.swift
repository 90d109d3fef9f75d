#if canImport(Glibc)
    import Glibc
#endif

/// Keeps a second daemon off a state directory: an exclusive `flock` on `<state_dir>/triggerd.lock`, held while
/// this object lives, with the holder's pid written inside so that the next daemon can say who holds it.
///
/// Take it before binding the control socket: Hummingbird removes an existing socket file when it binds, which
/// would take the socket away from the daemon already running.
final class StateDirectoryLock: Sendable {
    /// The lock file's name inside the state directory.
    static let fileName = "triggerd.lock"

    /// Why the lock could not be taken; `description` is the message for the operator.
    struct Refusal: Error, CustomStringConvertible, Equatable {
        /// The pid written by the daemon holding the lock, when it could be read.
        var holderPID: Int32?
        var description: String
    }

    /// `<state_dir>/triggerd.lock`.
    let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Locks `stateDirectory` for this process (`pid`) or throws a `Refusal` naming the holder's pid.
    static func acquire(stateDirectory: String, pid: Int32 = getpid()) throws -> StateDirectoryLock {
        let directory = stateDirectory.hasSuffix("/") ? String(stateDirectory.dropLast()) : stateDirectory
        let path = "\(directory)/\(Self.fileName)"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Refusal(holderPID: nil, description: "cannot open the lock file \(path): \(Self.lastError())")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let error = errno
            defer { close(fd) }
            guard error == EWOULDBLOCK else {
                throw Refusal(holderPID: nil, description: "cannot lock \(path): \(String(cString: strerror(error)))")
            }
            guard let holder = Self.readPID(fd) else {
                throw Refusal(holderPID: nil, description: "another triggerd holds \(path) (its pid is not recorded)")
            }
            throw Refusal(holderPID: holder, description: "another triggerd (pid \(holder)) holds \(path)")
        }
        let text = Array("\(pid)\n".utf8)
        let written = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard ftruncate(fd, off_t(text.count)) == 0, written == text.count else {
            let message = "cannot write the pid into \(path): \(Self.lastError())"
            close(fd)
            throw Refusal(holderPID: nil, description: message)
        }
        return StateDirectoryLock(path: path, descriptor: fd)
    }

    deinit {
        // Closing the descriptor releases the flock. The file stays: removing it could race a daemon that has
        // just opened it and would then lock an unlinked file.
        close(self.descriptor)
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        return Int32(text.filter { !$0.isWhitespace })
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

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
    ///
    /// When the recorded holder has exited yet the lock is still held, a process it was starting inherited the
    /// descriptor and holds it until its `exec` closes it (a restart right after `kill -9` can meet this within
    /// milliseconds). Such a lock is retried for up to `orphanGrace` seconds before refusing.
    static func acquire(stateDirectory: String, pid: Int32 = getpid(), orphanGrace: Double = 3) throws -> StateDirectoryLock {
        let directory = stateDirectory.hasSuffix("/") ? String(stateDirectory.dropLast()) : stateDirectory
        let path = "\(directory)/\(Self.fileName)"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Refusal(holderPID: nil, description: "cannot open the lock file \(path): \(Self.lastError())")
        }
        let pause: Double = 0.02
        var retries = Int(max(0, orphanGrace) / pause)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            guard error == EWOULDBLOCK else {
                close(fd)
                throw Refusal(holderPID: nil, description: "cannot lock \(path): \(String(cString: strerror(error)))")
            }
            guard let holder = Self.readPID(fd) else {
                close(fd)
                throw Refusal(holderPID: nil, description: "another triggerd holds \(path) (its pid is not recorded)")
            }
            if Self.isAlive(holder) {
                close(fd)
                throw Refusal(holderPID: holder, description: "another triggerd (pid \(holder)) holds \(path)")
            }
            guard retries > 0 else {
                close(fd)
                throw Refusal(
                    holderPID: holder,
                    description: "\(path) is still locked although triggerd (pid \(holder)) has exited: a process it "
                        + "started holds the lock; find it with 'fuser -v \(path)', stop it, and start again")
            }
            retries -= 1
            usleep(useconds_t(pause * 1_000_000))
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

    /// True while `pid` exists (EPERM: it exists but belongs to someone else).
    private static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

import CTriggerd
import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program in its own process group, feeding stdin and collecting stdout/stderr (bounded), and
/// kills the whole group when the awaiting task is cancelled (timeouts and run cancellation).
struct ChildProcess {
    struct Result {
        var exitCode: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        var stdoutTruncated: Bool
        var stderrTruncated: Bool
    }

    var argv: [String]
    var cwd: String?
    var environment: [String: String]
    var stdin: [UInt8]
    var maxStdout = 1 << 20
    var maxStderr = 64 << 10

    func run() async throws -> Result {
        guard let program = self.argv.first, !program.isEmpty else { throw StepFailure("'argv' is empty", retryable: false) }
        var inPipe: [Int32] = [0, 0]
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard ctriggerd_pipe_cloexec(&inPipe) == 0, ctriggerd_pipe_cloexec(&outPipe) == 0, ctriggerd_pipe_cloexec(&errPipe) == 0 else {
            throw StepFailure("cannot create pipes: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        // Only 0, 1 and 2 reach the program. The daemon's listening sockets, connections and event descriptors
        // are not all close-on-exec, and a child that outlived a killed daemon kept its webhook port and control
        // socket open: the restarted daemon failed with "address already in use" until the child exited.
        _ = ctriggerd_spawn_addclosefrom(&actions, 3)
        if let cwd = self.cwd {
            guard FileManager.default.fileExists(atPath: cwd) else {
                [inPipe, outPipe, errPipe].forEach { close($0[0]); close($0[1]) }
                throw StepFailure("working directory \(cwd) does not exist", retryable: false)
            }
            ctriggerd_spawn_addchdir(&actions, cwd)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group, so a timeout kills the program and everything it started.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let envStrings = self.environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let spawnResult = withCStrings(self.argv) { argvPointers in
            withCStrings(envStrings) { envPointers in
                posix_spawnp(&pid, program, &actions, &attributes, argvPointers, envPointers)
            }
        }
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard spawnResult == 0 else {
            close(inPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw StepFailure("cannot start '\(program)': \(String(cString: strerror(spawnResult)))", retryable: false)
        }
        let child = pid
        let (stdinFD, stdoutFD, stderrFD) = (inPipe[1], outPipe[0], errPipe[0])
        return try await withTaskCancellationHandler {
            async let written: Void = Self.blocking { Self.writeAll(stdinFD, self.stdin) }
            async let out = Self.blocking { Self.readAll(stdoutFD, limit: self.maxStdout) }
            async let err = Self.blocking { Self.readAll(stderrFD, limit: self.maxStderr) }
            async let status = Self.blocking { Self.wait(child) }
            _ = await written
            let (stdout, outTruncated) = await out
            let (stderr, errTruncated) = await err
            let code = await status
            if Task.isCancelled { throw CancellationError() }
            return Result(exitCode: code, stdout: stdout, stderr: stderr, stdoutTruncated: outTruncated, stderrTruncated: errTruncated)
        } onCancel: {
            kill(-child, SIGKILL)
        }
    }

    /// Runs blocking I/O on a thread of its own so the cooperative pool is never blocked.
    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads until EOF, keeping at most `limit` bytes (the rest is drained so the child never blocks).
    private static func readAll(_ fd: Int32, limit: Int) -> ([UInt8], Bool) {
        defer { close(fd) }
        var out: [UInt8] = []
        var truncated = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            let room = limit - out.count
            if room > 0 { out.append(contentsOf: buffer[0..<min(n, room)]) }
            if n > room { truncated = true }
        }
        return (out, truncated)
    }

    private static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        // Exited normally: its code; killed by a signal: 128 + signal, as shells report it.
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    return body(pointers + [nil])
}

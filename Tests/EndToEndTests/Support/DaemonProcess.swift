import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real `triggerd` started from the built binary, with its own temp directory, socket and port.
///
/// End-to-end tests drive it with `triggerctl` (`ctl`) and plain HTTP, kill it (`kill9`), and restart it on the
/// same state (`restart`). Everything it starts is stopped in `stop()`.
final class DaemonProcess: @unchecked Sendable {
    // @unchecked: one test owns one instance and drives it sequentially; nothing is shared across tasks.
    static let binDirectory: String = {
        if let dir = ProcessInfo.processInfo.environment["TRIGGERD_BIN_DIR"] { return dir }
        // Tests/EndToEndTests/Support/DaemonProcess.swift → repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug").path
    }()

    let directory: String
    let workflows: String
    let stateDir: String
    let socket: String
    let port: Int
    var extraArguments: [String]
    var environment: [String: String]
    private(set) var process: Process?
    private(set) var logPath: String

    init(workflows files: [String: String], config: String? = nil, secrets: [String: String]? = nil, extraArguments: [String] = [], environment: [String: String] = [:]) throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("triggerd-e2e-\(UUID().uuidString.prefix(8))").path
        self.workflows = self.directory + "/workflows"
        self.stateDir = self.directory + "/state"
        self.socket = self.directory + "/control.sock"
        self.port = try Self.freePort()
        self.logPath = self.directory + "/daemon.log"
        self.extraArguments = extraArguments
        self.environment = environment
        try FileManager.default.createDirectory(atPath: self.workflows, withIntermediateDirectories: true)
        for (name, text) in files { try self.write(workflow: name, text) }
        if let config {
            try config.write(toFile: self.directory + "/triggerd.yaml", atomically: true, encoding: .utf8)
            self.extraArguments += ["--config", self.directory + "/triggerd.yaml"]
        }
        if let secrets {
            let path = self.directory + "/secrets.env"
            try secrets.map { "\($0.key)=\($0.value)" }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o600)
            self.extraArguments += ["--secrets", path]
        }
    }

    func write(workflow name: String, _ text: String) throws {
        let path = self.workflows + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Starts the daemon and waits until the control socket answers.
    func start(timeout: Double = 20) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binDirectory + "/triggerd")
        p.arguments = [
            "--workflows", self.workflows, "--state-dir", self.stateDir, "--socket", self.socket,
            "--listen", "127.0.0.1:\(self.port)",
        ] + self.extraArguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "TRIGGERD_SOCKET")
        // A CI runner started by systemd passes its own; the daemon would log to the journal, not to `log`.
        env.removeValue(forKey: "JOURNAL_STREAM")
        env.removeValue(forKey: "WATCHDOG_USEC")
        env.removeValue(forKey: "LISTEN_FDS")
        for (k, v) in self.environment { env[k] = v }
        p.environment = env
        FileManager.default.createFile(atPath: self.logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: self.logPath))
        log.seekToEndOfFile()
        p.standardOutput = log
        p.standardError = log
        try p.run()
        self.process = p
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !p.isRunning { throw E2EError("triggerd exited at start: \(self.log)") }
            if self.ctl(["status"]).status == 0 { return }
            usleep(50_000)
        }
        throw E2EError("triggerd did not answer on \(self.socket) within \(timeout)s: \(self.log)")
    }

    var log: String { (try? String(contentsOfFile: self.logPath, encoding: .utf8)) ?? "" }

    /// SIGKILL, as a crash.
    func kill9() {
        guard let p = self.process else { return }
        kill(p.processIdentifier, SIGKILL)
        _ = Self.waitForExit(p, timeout: 10)
        self.process = nil
    }

    /// SIGTERM; returns the exit status. A daemon still running after `timeout` seconds is killed and reported
    /// as -15, so a daemon that ignores SIGTERM fails its test instead of hanging the whole run.
    @discardableResult
    func terminate(timeout: Double = 30) -> Int32 {
        guard let p = self.process else { return -1 }
        kill(p.processIdentifier, SIGTERM)
        self.process = nil
        guard Self.waitForExit(p, timeout: timeout) else {
            kill(p.processIdentifier, SIGKILL)
            _ = Self.waitForExit(p, timeout: 10)
            return -SIGTERM
        }
        return p.terminationStatus
    }

    /// Polls until `p` has exited or `timeout` seconds pass; never blocks longer.
    static func waitForExit(_ p: Process, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning {
            if Date() >= deadline { return false }
            usleep(10_000)
        }
        return true
    }

    func restart() throws {
        self.kill9()
        try self.start()
    }

    /// Stops the daemon (if running) and removes the temp directory.
    func stop() {
        if self.process != nil { self.terminate() }
        try? FileManager.default.removeItem(atPath: self.directory)
    }

    /// Runs `triggerctl ARGS --socket SOCKET`.
    func ctl(_ arguments: [String], user: String? = nil) -> CommandResult {
        var argv = [Self.binDirectory + "/triggerctl"] + arguments + ["--socket", self.socket]
        if let user { argv = ["runuser", "-u", user, "--"] + argv }
        return CommandResult.run(argv)
    }

    /// `triggerctl ... --json` parsed.
    func ctlJSON(_ arguments: [String]) throws -> Any {
        let result = self.ctl(arguments + ["--json"])
        guard result.status == 0 else { throw E2EError("triggerctl \(arguments) failed (\(result.status)): \(result.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8), options: [.fragmentsAllowed])
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes.
    func waitUntil(timeout: Double = 20, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return }
            usleep(20_000)
        }
        throw E2EError("timed out waiting for \(what); daemon log:\n\(self.log)")
    }

    /// A run's JSON (`triggerctl show RUN --json`).
    func run(_ id: String) throws -> [String: Any] {
        guard let run = try self.ctlJSON(["show", id]) as? [String: Any] else { throw E2EError("bad show output") }
        return run
    }

    static func freePort() throws -> Int {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0 else { throw E2EError("no free port") }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// A finished command: exit status and captured output.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs a command to completion; after `timeout` seconds it is killed and reported with status -9.
    static func run(_ argv: [String], stdin: String? = nil, timeout: Double = 60) -> CommandResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0].hasPrefix("/") ? argv[0] : "/usr/bin/env")
        p.arguments = argv[0].hasPrefix("/") ? Array(argv.dropFirst()) : argv
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        if let stdin {
            let input = Pipe()
            p.standardInput = input
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        } else {
            p.standardInput = FileHandle.nullDevice
        }
        do { try p.run() } catch { return CommandResult(status: -1, stdout: "", stderr: "\(error)") }
        let pid = p.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        if !DaemonProcess.waitForExit(p, timeout: 10) { return CommandResult(status: -9, stdout: String(decoding: outData, as: UTF8.self), stderr: "did not exit") }
        return CommandResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

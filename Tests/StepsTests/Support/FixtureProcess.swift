import Foundation

/// A Python fake from Tests/Fixtures, started for one test on 127.0.0.1 with a free port and stopped by
/// `stop()`. The script prints its port on its first line (or `ready` when it serves a Unix socket) and exits
/// when its stdin (a pipe held here) closes, so it never outlives the test process.
final class FixtureProcess: Sendable {
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// The TCP port, or 0 for a Unix-socket server.
    let port: Int
    private let process: Process
    private let stdin: Pipe

    private init(port: Int, process: Process, stdin: Pipe) {
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    /// Starts `Tests/Fixtures/<script>` with `arguments`.
    static func start(_ script: String, _ arguments: [String] = []) async throws -> FixtureProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", self.fixture(script)] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // Read the first line on a plain thread: a blocking read must not hold a cooperative thread.
        let line = await withCheckedContinuation { continuation in
            Thread {
                var bytes: [UInt8] = []
                while true {
                    let next = stdout.fileHandleForReading.readData(ofLength: 1)
                    guard let byte = next.first, byte != UInt8(ascii: "\n") else { break }
                    bytes.append(byte)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }.start()
        }
        if line == "ready" { return FixtureProcess(port: 0, process: process, stdin: stdin) }
        guard let port = Int(line) else {
            process.terminate()
            throw StartFailure(description: "\(script) did not print its port (got '\(line)'); is aiosmtpd installed (make deps)?")
        }
        return FixtureProcess(port: port, process: process, stdin: stdin)
    }

    /// `http://127.0.0.1:PORT` + `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(self.port)\(path)" }

    /// Stops the script and waits for it to exit.
    func stop() {
        try? self.stdin.fileHandleForWriting.close()
        self.process.terminate()
        self.process.waitUntilExit()
    }

    /// Runs `body` with the fixture started, stopping it afterwards whatever happens.
    static func with<T>(
        _ script: String, _ arguments: [String] = [], _ body: (FixtureProcess) async throws -> T
    ) async throws -> T {
        let server = try await self.start(script, arguments)
        defer { server.stop() }
        return try await body(server)
    }
}

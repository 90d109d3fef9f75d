import Foundation
import Steps

/// Tests/Fixtures/http_server.py, started for one test and stopped by `stop()`.
///
/// The script prints its port (or "ready" for a Unix socket) once it listens; the first line of its
/// stdout is read on a plain thread so no cooperative thread blocks. It exits by itself when its stdin
/// (a pipe held by this object) closes, so it never outlives the test process.
final class CurlTransportTestServer: Sendable {
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

    static var fixturePath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/http_server.py").path
    }

    /// Starts the script with `arguments` (none for HTTP on TCP, `--unix PATH`, `--smtp FILE`).
    static func start(_ arguments: [String] = []) async throws -> CurlTransportTestServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.fixturePath] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
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
        if line == "ready" { return CurlTransportTestServer(port: 0, process: process, stdin: stdin) }
        guard let port = Int(line) else {
            process.terminate()
            throw StartFailure(description: "http_server.py did not print its port (got '\(line)')")
        }
        return CurlTransportTestServer(port: port, process: process, stdin: stdin)
    }

    /// `http://127.0.0.1:PORT` + `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(self.port)\(path)" }

    /// Stops the script and waits for it to exit.
    func stop() {
        try? self.stdin.fileHandleForWriting.close()
        self.process.terminate()
        self.process.waitUntilExit()
    }

    /// The server's counters, after waiting (5s at most) until `key` reaches `value` when given.
    func stats(via transport: CurlTransport, waitingFor key: String? = nil, toReach value: Int = 0) async throws
        -> [String: Int]
    {
        let path = key.map { "/wait?key=\($0)&value=\(value)" } ?? "/stats"
        let response = try await transport.send(HTTPStepRequest(url: self.url(path)))
        guard response.status == 200 else {
            throw StartFailure(
                description: "\(path) answered \(response.status): \(String(decoding: response.body, as: UTF8.self))"
            )
        }
        return try JSONDecoder().decode([String: Int].self, from: Data(response.body))
    }
}

/// What `/echo` answers: the request as the server saw it.
struct EchoedRequest: Decodable {
    var method: String
    var path: String
    var headers: [[String]]
    var body: String
    var connection: Int

    init(_ response: HTTPStepResponse) throws {
        self = try JSONDecoder().decode(EchoedRequest.self, from: Data(response.body))
    }

    /// Every value of header `name` (lower-case) as received.
    func header(_ name: String) -> [String] { self.headers.filter { $0.first == name }.map { $0[1] } }
}

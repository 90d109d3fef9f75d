import Foundation
import Steps

/// Tests/Fixtures/http_server.py (a `FixtureProcess`), started for one test and stopped by `stop()`.
final class CurlTransportTestServer: Sendable {
    typealias StartFailure = FixtureProcess.StartFailure

    private let fixture: FixtureProcess

    /// The TCP port, or 0 for a Unix-socket server.
    var port: Int { self.fixture.port }

    private init(fixture: FixtureProcess) {
        self.fixture = fixture
    }

    /// Starts the script with `arguments` (none for HTTP on TCP, `--unix PATH`, `--smtp FILE`).
    static func start(_ arguments: [String] = []) async throws -> CurlTransportTestServer {
        CurlTransportTestServer(fixture: try await FixtureProcess.start("http_server.py", arguments))
    }

    /// `http://127.0.0.1:PORT` + `path`.
    func url(_ path: String) -> String { self.fixture.url(path) }

    /// Stops the script and waits for it to exit.
    func stop() { self.fixture.stop() }

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

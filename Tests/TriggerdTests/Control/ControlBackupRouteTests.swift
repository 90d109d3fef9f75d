import Engine
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

@Suite("Control API: POST /v1/backup")
struct ControlBackupRouteTests {
    @Test(arguments: [
        ("", "'path' is required: the absolute path of the backup file to write"),
        (#"{"path": ""}"#, "'path' is required: the absolute path of the backup file to write"),
        (#"{"path": 7}"#, "'path' in request body must be a string, got a number"),
        (#"{"file": "/tmp/x.db"}"#, "unknown field 'file' in request body (expected: path)"),
    ])
    func badBodiesAre400(body: String, message: String) async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/backup", method: .post, body: ControlTest.body(body)) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains(message))
            }
        }
    }

    @Test func aPlaneWithoutADatabaseAnswers503() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/v1/backup",
                method: .post,
                body: ControlTest.body(#"{"path": "/tmp/x.db"}"#)
            ) {
                response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("this daemon has no database to back up"))
            }
        }
    }
}

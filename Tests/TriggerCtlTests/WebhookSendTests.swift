import Engine
import Foundation
import Synchronization
import Testing

@testable import TriggerCtl

/// `webhook send`: signs like `webhook sign`, POSTs, reports the answer with the exit codes of SPEC §9.
@Suite struct WebhookSendTests {
    /// A listener that records the delivery and answers `reply`.
    final class Listener: Sendable {
        let reply: ControlReply
        private let posts = Mutex<[WebhookPost]>([])

        init(_ reply: ControlReply) { self.reply = reply }

        var received: [WebhookPost] { self.posts.withLock { $0 } }

        func answer(_ post: WebhookPost) -> ControlReply {
            self.posts.withLock { $0.append(post) }
            return self.reply
        }
    }

    static let url = "http://127.0.0.1:8780/hooks/github-push"

    @Test func postsTheSignedBodyAndPrintsTheRunItStarted() async throws {
        let listener = Listener(reply(["delivery_id": "d-9", "run_id": "r-9"], status: 202))
        let outcome = await triggerctl(
            [
                "webhook", "send", Self.url, "--scheme", "github", "--secret", "s", "--body", "hello", "--id", "d-1",
                "-H", "X-GitHub-Event: push",
            ],
            http: { listener.answer($0) }
        )
        #expect(outcome.code == 0)
        #expect(
            outcome.stdout == """
                HTTP 202 {"delivery_id":"d-9","run_id":"r-9"}
                started run r-9; see: triggerctl show r-9

                """
        )
        let post = try #require(listener.received.first)
        #expect(post.url == Self.url)
        #expect(post.body == Array("hello".utf8))
        // The same signature `webhook sign` prints for this secret and body.
        #expect(
            post.header("X-Hub-Signature-256")
                == "sha256=8a06a64224d83d1bf0a2140fab7d5b462cf3f450592c7963910ed331e9031056"
        )
        #expect(post.header("X-GitHub-Delivery") == "d-1")
        #expect(post.header("X-GitHub-Event") == "push")
        #expect(post.header("Content-Type") == "application/json")
    }

    @Test func theSecretMayComeFromASecretsFileByName() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("send-\(UUID().uuidString.prefix(8))")
            .path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "# demo\nOTHER=x\nDEMO_WEBHOOK_SECRET=s\n".write(
            toFile: dir + "/secrets.env",
            atomically: true,
            encoding: .utf8
        )
        chmod(dir + "/secrets.env", 0o600)
        try "s\n".write(toFile: dir + "/secret.txt", atomically: true, encoding: .utf8)
        let listener = Listener(reply(["delivery_id": "d-9", "run_id": "r-9"], status: 202))
        let named = await triggerctl(
            [
                "webhook", "send", Self.url, "--scheme", "github", "--secrets", "secrets.env", "--secret",
                "DEMO_WEBHOOK_SECRET", "--body", "hello", "--id", "d-1",
            ],
            workingDirectory: dir,
            http: { listener.answer($0) }
        )
        #expect(named.code == 0, "\(named.stderr)")
        let file = await triggerctl(
            [
                "webhook", "send", Self.url, "--scheme", "github", "--secret", "@secret.txt", "--body", "hello", "--id",
                "d-1",
            ],
            workingDirectory: dir,
            http: { listener.answer($0) }
        )
        #expect(file.code == 0, "\(file.stderr)")
        let signatures = listener.received.map { $0.header("X-Hub-Signature-256") }
        #expect(
            signatures
                == Array(repeating: "sha256=8a06a64224d83d1bf0a2140fab7d5b462cf3f450592c7963910ed331e9031056", count: 2)
        )

        let unknown = await triggerctl(
            ["webhook", "send", Self.url, "--scheme", "github", "--secrets", "secrets.env", "--secret", "NOPE"],
            workingDirectory: dir,
            http: { listener.answer($0) }
        )
        #expect(unknown.code == 2)
        #expect(
            unknown.stderr
                == "triggerctl: --secret: no secret named 'NOPE' in secrets.env (it has: DEMO_WEBHOOK_SECRET, OTHER)\n"
        )
        #expect(listener.received.count == 2, "nothing is sent when the secret is missing")
    }

    @Test func aRefusalExits1WithTheListenersReasonAndNoAnswerExits3() async {
        let refused = await triggerctl(
            ["webhook", "send", Self.url, "--scheme", "github", "--secret", "wrong", "--body", "{}"],
            http: { _ in ControlReply(status: 401, json: ["error": "bad signature"]) }
        )
        #expect(refused.code == 1)
        #expect(refused.stderr == "triggerctl: the listener answered HTTP 401: bad signature\n")

        let silent = await triggerctl([
            "webhook", "send", Self.url, "--scheme", "github", "--secret", "s", "--body", "{}",
        ])
        #expect(silent.code == 3)
        #expect(silent.stderr.hasPrefix("triggerctl: no answer from the webhook listener: "))

        let badURL = await triggerctl([
            "webhook", "send", "127.0.0.1:8780/hooks/x", "--scheme", "github", "--secret", "s",
        ])
        #expect(badURL.code == 2)
        #expect(badURL.stderr.contains("the URL must start with http:// or https://"))
    }
}

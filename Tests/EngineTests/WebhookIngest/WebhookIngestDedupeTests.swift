import Foundation
import Testing

@testable import Engine

/// Dedupe ids, their window, filters, and what is recorded for each delivery.
@Suite struct WebhookIngestDedupeTests {
    static let github = """
        triggers:
          - webhook:
              path: /hooks/gh
              verify: { scheme: github, secret: "{{ secrets.GH }}" }
        steps:
          a: { type: transform, with: { value: 1 } }
        """

    static let custom = """
        triggers:
          - webhook:
              path: /hooks/orders
              dedupe: "{{ trigger.body.order_id }}"
              filter: "{{ trigger.body.kind != 'ping' }}"
        steps:
          a: { type: transform, with: { value: "{{ trigger.body.order_id }}" } }
        """

    func githubHeaders(_ body: String, id: String) throws -> [String: String] {
        var headers = WebhookTesting.lowercased(
            try WebhookSigner.sign(scheme: .github, secret: "gh-secret", body: Array(body.utf8), timestamp: Date(), id: id))
        headers["content-type"] = "application/json"
        return headers
    }

    @Test func repeatedGitHubDeliveryAnswers200WithTheFirstRun() async throws {
        let h = try await IngestHarness(["gh": Self.github], secrets: ["GH": "gh-secret"])
        let body = #"{"action":"opened"}"#
        let headers = try self.githubHeaders(body, id: "72d3162e-cc78-11e3-81ab-4c9367dc0958")
        let first = await h.post("/hooks/gh", body, headers: headers)
        #expect(first.status == 202)
        let again = await h.post("/hooks/gh", body, headers: headers)
        #expect(again.status == 200)
        #expect(again.body["run_id"] == first.body["run_id"])
        #expect(again.body["delivery_id"] == first.body["delivery_id"])
        #expect(again.body["duplicate"] == true)
        #expect(try await h.runCount() == 1)
        #expect(h.counted("gh", "duplicate") == 1)
        let other = await h.post("/hooks/gh", body, headers: try self.githubHeaders(body, id: "another-delivery"))
        #expect(other.status == 202)
        #expect(try await h.runCount() == 2)
        let rows = try await h.deliveries()
        #expect(rows.count == 2)
        #expect(rows.contains { $0["dedupe_key"] == "72d3162e-cc78-11e3-81ab-4c9367dc0958" })
    }

    @Test func dedupeExpressionAndWindow() async throws {
        let h = try await IngestHarness(["orders": Self.custom])
        let first = await h.post("/hooks/orders", #"{"order_id": "A-1"}"#)
        #expect(first.status == 202)
        #expect(await h.post("/hooks/orders", #"{"order_id": "A-1", "retry": true}"#).status == 200)
        // Still remembered at the edge of the window...
        h.clock.advance(by: DaemonConfiguration().dedupeWindow - 1)
        #expect(await h.post("/hooks/orders", #"{"order_id": "A-1"}"#).status == 200)
        // ...and forgotten after it: a new run, and the old row gives its key up.
        h.clock.advance(by: 2)
        let late = await h.post("/hooks/orders", #"{"order_id": "A-1"}"#)
        #expect(late.status == 202)
        #expect(late.body["run_id"] != first.body["run_id"])
        #expect(try await h.runCount() == 2)
        #expect(await h.post("/hooks/orders", #"{"order_id": "A-1"}"#).body["run_id"] == late.body["run_id"])
    }

    @Test func concurrentRepeatsStartExactlyOneRun() async throws {
        let h = try await IngestHarness(["orders": Self.custom])
        let answers = await withTaskGroup(of: WebhookAnswer.self) { group in
            for _ in 0..<20 { group.addTask { await h.post("/hooks/orders", #"{"order_id": "B-7"}"#) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.filter { $0.status == 202 }.count == 1)
        #expect(answers.filter { $0.status == 200 }.count == 19)
        #expect(Set(answers.compactMap { $0.body["run_id"] }).count == 1)
        #expect(try await h.runCount() == 1)
        #expect(h.ingest.claims.heldCount == 0)
    }

    @Test func falseFilterIsIgnoredAndRecordedAsFiltered() async throws {
        let h = try await IngestHarness(["orders": Self.custom])
        let answer = await h.post("/hooks/orders", #"{"kind": "ping", "order_id": "C-1"}"#)
        #expect(answer.status == 200)
        #expect(answer.body["ignored"] == true)
        #expect(try await h.runCount() == 0)
        let rows = try await h.deliveries()
        #expect(rows.count == 1)
        #expect(rows.first?["outcome"] == "filtered")
        #expect(rows.first?["reason"] == "filter was false")
        #expect(rows.first?["run_id"] == .null)
        #expect(h.counted("orders", "filtered") == 1)
        // A filtered delivery does not hold its dedupe id: the real one later still starts a run.
        #expect(await h.post("/hooks/orders", #"{"kind": "order", "order_id": "C-1"}"#).status == 202)
    }

    @Test func deliveriesListShowsWhatBecameOfEachRun() async throws {
        let h = try await IngestHarness(["orders": Self.custom])
        let answer = await h.post("/hooks/orders", #"{"order_id": "D-1"}"#)
        _ = try await h.finishedRun(answer)
        let row = try #require(try await h.deliveries().first)
        #expect(row["id"] == answer.body["delivery_id"])
        #expect(row["workflow"] == "orders")
        #expect(row["path"] == "/hooks/orders")
        #expect(row["outcome"] == "started")
        #expect(row["run_id"] == answer.body["run_id"])
        #expect(row["run_status"] == "completed")
        #expect(row["dedupe_key"] == "D-1")
        #expect(try await h.ingest.deliveries(workflow: "other", limit: 10).isEmpty)
    }
}

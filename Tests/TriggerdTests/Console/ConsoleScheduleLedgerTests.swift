import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Triggerd

/// `/schedules` links each trigger to its fire ledger, `/schedules/{workflow}/{trigger}`.
@Suite("Console: schedule ledger pages")
struct ConsoleScheduleLedgerTests {
    static let path = "/schedules/nightly/cron%3A0%202%20%2A%20%2A%20%2A%40UTC"

    @Test func theSchedulesPageLinksEachTriggerToItsLedger() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/schedules", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains(#"<a href="\#(Self.path)">ledger</a>"#), "\(html)")
                #expect(html.contains("2 missed while down (catch_up: none)"))
            }
        }
    }

    @Test func theLedgerPageShowsEachSlotWithItsReasonAndTheCommand() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: Self.path, method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains(#"<table id="ledger">"#))
                #expect(html.contains(#"<tr data-slot="2027-01-15T02:00:00.000Z" data-outcome="started">"#))
                #expect(html.contains(#"<a href="/runs/r1"><code>r1</code></a>"#))
                #expect(html.contains(#"<tr data-slot="2027-01-14T02:00:00.000Z" data-outcome="skipped">"#))
                #expect(html.contains("skipped: run r0 still active (overlap: skip)"))
                #expect(html.contains("missed during downtime; catch_up: none fires no missed slot"))
                #expect(html.contains(">7h 0m<"), "the missed slot was found 7 hours after it")
                #expect(html.contains("catch_up: none, overlap: skip"))
                #expect(html.contains("triggerctl schedules ledger nightly &#39;cron:0 2 * * *@UTC&#39;"))
                #expect(!html.contains("rel=\"next\""), "a short page is the last one")
            }
            // A full page links to the next one, keyset by the last slot's time.
            try await client.execute(uri: Self.path + "?limit=2", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains(#"rel="next" href="\#(Self.path)?limit=2&amp;before=2027-01-14T02%3A00%3A00.000Z""#), "\(html)")
                #expect(html.contains("--limit 2"))
            }
            try await client.execute(uri: Self.path + "?limit=2&before=2027-01-14T02%3A00%3A00.000Z", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains(#"data-outcome="missed""#))
                #expect(!html.contains(#"data-outcome="started""#))
                #expect(html.contains("--before 2027-01-14T02:00:00.000Z --limit 2"))
            }
        }
        #expect(await plane.ledgerQueries.map(\.limit) == [50, 2, 2])
    }

    @Test func anUnknownTriggerIsA404Page() async throws {
        let app = try ControlTest.server(FakeControlPlane()).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/schedules/nightly/cron%3Anope", method: .get, headers: ConsoleTest.pageHeaders) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("workflow &#39;nightly&#39; has no cron trigger &#39;cron:nope&#39;"))
            }
        }
    }

    @Test func theRunsPageFiltersByTriggerKindOnTheServerAndShowsTheCommand() async throws {
        let plane = FakeControlPlane()
        let app = try ControlTest.server(plane).makeApplication()
        try await app.test(.router) { client in
            try await client.execute(uri: "/runs?trigger=replay", method: .get) { response in
                let html = String(buffer: response.body)
                #expect(html.contains(#"<option selected value="replay">"#))
                #expect(html.contains("triggerctl runs --trigger replay --limit 50"))
            }
        }
        #expect(await plane.queries.last == RunQuery(limit: 50, triggerType: "replay"))
    }
}

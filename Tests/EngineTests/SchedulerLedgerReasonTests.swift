import Foundation
import GRDB
import Testing

@testable import Engine

/// Every ledger row says why its slot did or did not fire; each test drives the manual clock into one reason.
@Suite("scheduler: ledger reasons")
struct SchedulerLedgerReasonTests {
    /// Runs park on an approval nobody gives, so they stay active until cancelled.
    private func parked(_ overlap: String) -> String {
        cronWorkflow("*/10 * * * * *", extra: "overlap: \(overlap)", steps: "  ask: { type: wait_for_approval, with: { message: hold } }")
    }

    /// Last fired at 00:01:00; back at 01:01:30, so the 60 slots 00:02:00 … 01:01:00 were missed.
    private func afterDowntime(_ extra: String, _ body: (SchedulerHarness) async throws -> Void) async throws {
        let store = try Store.inMemory()
        let yaml = cronWorkflow("0 * * * * *", extra: extra)
        try await store.write { db in
            try ScheduleLedger.insert(
                db, workflow: "d", key: "cron:0 * * * * *@UTC", scheduledAt: SchedulerHarness.at(60), firedAt: SchedulerHarness.at(60),
                runID: nil, outcome: .started, reason: "on time")
        }
        try await SchedulerHarness.with(["d": yaml], store: store, clock: ManualClock(now: SchedulerHarness.at(3690))) { h async throws in
            try await body(h)
        }
    }

    @Test func anOnTimeFireSaysSo() async throws {
        try await SchedulerHarness.with(["t": cronWorkflow("*/10 * * * * *")]) { h async throws in
            try await h.set(SchedulerHarness.at(10))
            let slots = try await h.slots("t")
            let run = try #require(try await h.runs().first?.id)
            #expect(slots.map(\.outcome) == ["started"])
            #expect(slots.first?.reason == "on time")
            #expect(slots.first?.runID == run)
            #expect(slots.first?.json["fired_at"] == .string(utc(10)))
        }
    }

    @Test func catchUpAllNamesHowLateAndThePolicyAndListsTheMissedSlots() async throws {
        try await afterDowntime("catch_up: all, catch_up_limit: 5") { h async throws in
            let slots = try await h.slots("d", limit: 1000)
            // Newest first: the five caught-up slots (01:01:00 back to 00:57:00), then the 55 missed ones, then 00:01.
            #expect(slots.prefix(5).map(\.outcome) == Array(repeating: "started", count: 5))
            #expect(slots[0].reason == "caught up 30s late after downtime (catch_up: all)")
            #expect(slots[4].reason == "caught up 4m30s late after downtime (catch_up: all)")
            let missed = slots.filter { $0.outcome == "missed" }
            #expect(missed.count == 55)
            #expect(Set(missed.map(\.reason)) == ["missed during downtime; catch_up: all fired only the newest 5 (catch_up_limit: 5)"])
            #expect(missed.first?.scheduledAt == SchedulerHarness.at(3360))
            #expect(missed.last?.scheduledAt == SchedulerHarness.at(120))
            #expect(slots.last?.scheduledAt == SchedulerHarness.at(60))
            #expect(slots.count == 61)
        }
    }

    @Test func catchUpLatestSaysWhichSlotItFiredInstead() async throws {
        try await afterDowntime("catch_up: latest") { h async throws in
            let slots = try await h.slots("d", limit: 1000)
            #expect(slots.first?.outcome == "started")
            #expect(slots.first?.reason == "caught up 30s late after downtime (catch_up: latest)")
            let missed = slots.filter { $0.outcome == "missed" }
            #expect(missed.count == 59)
            #expect(missed.first?.reason == "missed during downtime; catch_up: latest fired only the newest slot (\(utc(3660)))")
        }
    }

    @Test func catchUpNoneRecordsEveryMissedSlotAndARestartDoesNotCountThemTwice() async throws {
        let store = try Store.inMemory()
        let clock = ManualClock(now: SchedulerHarness.at(3690))
        let yaml = cronWorkflow("0 * * * * *", extra: "catch_up: none")
        try await store.write { db in
            try ScheduleLedger.insert(
                db, workflow: "d", key: "cron:0 * * * * *@UTC", scheduledAt: SchedulerHarness.at(60), firedAt: SchedulerHarness.at(60),
                runID: nil, outcome: .started)
        }
        try await SchedulerHarness.with(["d": yaml], store: store, clock: clock) { h async throws in
            let slots = try await h.slots("d", limit: 1000)
            #expect(slots.filter { $0.outcome == "missed" }.count == 60)
            #expect(slots.first?.reason == "missed during downtime; catch_up: none fires no missed slot")
            #expect(slots.first?.json["fired_at"] == .null)
            #expect(slots.first?.handledAt == SchedulerHarness.at(3690))
            // The row written before reasons were kept gets one from its outcome.
            #expect(slots.last?.reason == "on time")
            // The schedules listing still shows the last slot that fired, not a missed one.
            #expect(await h.schedule("d")?["last_scheduled_at"] == .string(utc(60)))
        }
        // Back again 30 s later: the missed slots are in the ledger, so they are not missed a second time.
        clock.set(SchedulerHarness.at(3720))
        try await SchedulerHarness.with(["d": yaml], store: store, clock: clock) { h async throws in
            #expect(await h.schedule("d")?["misses"] == 0)
            // 61 rows as before, and 01:02:00, which came due at this start and fired within the grace.
            #expect(try await h.slots("d", limit: 1000).count == 62)
        }
    }

    @Test func aWeekOfMissedSlotsListsTheNewestAndSaysHowManyMore() async throws {
        let store = try Store.inMemory()
        try await store.write { db in
            try ScheduleLedger.insert(
                db, workflow: "s", key: "cron:* * * * * *@UTC", scheduledAt: SchedulerHarness.at(0), firedAt: SchedulerHarness.at(0),
                runID: nil, outcome: .started)
        }
        let week = 7 * 86_400.0
        let yaml = cronWorkflow("* * * * * *", extra: "catch_up: none")
        try await SchedulerHarness.with(["s": yaml], store: store, clock: ManualClock(now: SchedulerHarness.at(week + 0.5))) { h async throws in
            let missed = try await h.slots("s", limit: 1000).filter { $0.outcome == "missed" }
            #expect(missed.count == MissedSlots.listedCap)
            #expect(missed.first?.scheduledAt == SchedulerHarness.at(week - 1))
            let notListed = MissedSlots.countCap - MissedSlots.listedCap
            #expect(missed.last?.reason == "missed during downtime; catch_up: none fires no missed slot; \(notListed) older missed slots are not listed")
        }
    }

    @Test func aSlotJustAfterARestartFiresLateWithinTheGrace() async throws {
        let store = try Store.inMemory()
        let clock = ManualClock()
        let workflows = ["r": cronWorkflow("*/10 * * * * *")]
        let first = try await SchedulerHarness(workflows, store: store, clock: clock)
        try await first.set(SchedulerHarness.at(10))
        await first.stop()
        clock.set(SchedulerHarness.at(21.5))
        let second = try await SchedulerHarness(workflows, store: store, clock: clock)
        #expect(try await second.slots("r").first?.reason == "fired 1.5s late: the daemon started within the 2s grace after it")
        await second.stop()
    }

    @Test func aWallClockJumpIsNamed() async throws {
        try await SchedulerHarness.with(["j": cronWorkflow("*/10 * * * * *", extra: "catch_up: latest")]) { h async throws in
            try await h.set(SchedulerHarness.at(10))
            try await h.set(SchedulerHarness.at(3601))
            let slots = try await h.slots("j", limit: 1000)
            #expect(slots[0].reason == "fired 1s late after a wall-clock jump (within the 2s grace)")
            #expect(slots[1].reason == "caught up 11s late after a wall-clock jump (catch_up: latest)")
            #expect(slots[2].reason == "missed during a wall-clock jump; catch_up: latest fired only the newest slot (\(utc(3590)))")
            #expect(slots.filter { $0.outcome == "missed" }.count == MissedSlots.listedCap)
        }
    }

    @Test func skipNamesTheRunThatWasStillActive() async throws {
        try await SchedulerHarness.with(["o": parked("skip")]) { h async throws in
            try await h.set(SchedulerHarness.at(10))
            try await h.set(SchedulerHarness.at(20))
            let run = try #require(try await h.runs().first?.id)
            let slots = try await h.slots("o")
            #expect(slots.map(\.outcome) == ["skipped", "started"])
            #expect(slots[0].reason == "skipped: run \(run) still active (overlap: skip)")
            #expect(slots[0].runID == nil)
        }
    }

    @Test func queueNamesTheRunAheadAndThenWhenItStarted() async throws {
        try await SchedulerHarness.with(["o": parked("queue")]) { h async throws in
            try await h.set(SchedulerHarness.at(10))
            try await h.set(SchedulerHarness.at(20))
            let first = try #require(try await h.runs().first?.id)
            #expect(try await h.slots("o").first?.reason == "queued behind run \(first) (overlap: queue)")
            #expect(try await h.slots("o").first?.outcome == "queued")
            h.clock.set(SchedulerHarness.at(25))
            try await h.engine.cancel(runID: first)
            let slot = try await h.waitForSlot("o") { $0.outcome == "started" && $0.scheduledAt == SchedulerHarness.at(20) }
            #expect(slot?.reason == "queued behind run \(first) (overlap: queue); started 5s late, when the run ahead of it ended")
        }
    }

    @Test func cancelPreviousNamesTheCancelledRun() async throws {
        try await SchedulerHarness.with(["o": parked("cancel_previous")]) { h async throws in
            try await h.set(SchedulerHarness.at(10))
            let first = try #require(try await h.runs().first?.id)
            try await h.set(SchedulerHarness.at(20))
            #expect(try await h.slots("o").first?.reason == "on time; cancelled run \(first) (overlap: cancel_previous)")
        }
    }

    @Test func aRunThatCannotBeCreatedSaysWhy() async throws {
        let yaml = """
            triggers:
              - cron: { schedule: "*/10 * * * * *" }
            inputs:
              repo: { type: string, required: true }
            steps:
              s: { type: transform, with: { value: 1 } }
            """
        try await SchedulerHarness.with(["f": yaml]) { h async throws in
            try await h.set(SchedulerHarness.at(10))
            let slot = try #require(try await h.slots("f").first)
            #expect(slot.outcome == "failed")
            #expect(slot.reason.hasPrefix("failed: "), "\(slot.reason)")
            #expect(slot.reason.contains("repo"), "\(slot.reason)")
        }
    }

    @Test func aQueuedSlotOfARemovedTriggerIsDropped() async throws {
        try await SchedulerHarness.with(["o": parked("queue")]) { h async throws in
            try await h.set(SchedulerHarness.at(10))
            try await h.set(SchedulerHarness.at(20))
            try await h.reload([:])
            let slot = try await h.waitForSlot("o") { $0.outcome == "dropped" }
            #expect(slot?.reason == "dropped: trigger removed while the slot was queued")
        }
    }

    @Test func rowsFromBeforeReasonsGetOneFromTheirOutcome() async throws {
        let store = try Store.inMemory()
        try await store.write { db in
            for (offset, outcome) in [(0.0, "started"), (10, "skipped"), (20, "failed"), (30, "started")] {
                let slot = SchedulerHarness.at(offset)
                try db.execute(
                    sql: "INSERT INTO schedule_ledger (workflow, trigger_key, scheduled_at, fired_at, outcome) VALUES ('w', 'k', ?, ?, ?)",
                    arguments: [slot.timeIntervalSince1970, slot.timeIntervalSince1970 + (offset == 30 ? 90 : 0.2), outcome])
            }
        }
        let slots = try await store.read { db in try ScheduleLedger.page(db, workflow: "w", key: "k", before: nil, limit: 10) }
        #expect(
            slots.map(\.reason) == [
                "fired 1m30s late (recorded before reasons were kept)",
                "failed: the run could not be created (the error was not recorded)",
                "skipped: a previous run was still active (overlap)",
                "on time",
            ])
        // Keyset pages: before the second row's slot, two more.
        let older = try await store.read { db in
            try ScheduleLedger.page(db, workflow: "w", key: "k", before: SchedulerHarness.at(20), limit: 10)
        }
        #expect(older.map(\.scheduledAt) == [SchedulerHarness.at(10), SchedulerHarness.at(0)])
    }
}

extension SchedulerHarness {
    /// The ledger of the workflow's only cron trigger, newest slot first.
    func slots(_ workflow: String, limit: Int = 50) async throws -> [ScheduleSlot] {
        let key = try #require(await self.schedule(workflow)?["trigger"]?.stringValue)
        return try await self.store.read { db in try ScheduleLedger.page(db, workflow: workflow, key: key, before: nil, limit: limit) }
    }

    /// Polls (yielding) until a slot of the workflow matches; the scheduler reacts to run ends asynchronously.
    func waitForSlot(_ workflow: String, key: String? = nil, _ matches: (ScheduleSlot) -> Bool) async throws -> ScheduleSlot? {
        let key = key ?? "cron:*/10 * * * * *@UTC"
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let slots = try await self.store.read { db in try ScheduleLedger.page(db, workflow: workflow, key: key, before: nil, limit: 50) }
            if let slot = slots.first(where: matches) { return slot }
            await Task.yield()
        }
        Issue.record("no matching slot")
        return nil
    }
}

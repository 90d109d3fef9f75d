import Foundation
import Testing

@testable import Engine

/// The scheduler fires each slot at its time, with the trigger fields of SPEC §5, and records it in the ledger.
@Suite("scheduler: firing")
struct SchedulerFiringTests {
    @Test func firesAtTheDueTimeWithTriggerFields() async throws {
        try await SchedulerHarness.with(["tick": cronWorkflow("*/10 * * * * *", extra: "timezone: Europe/Berlin")]) { h in
            #expect(await h.scheduler.sleepingUntil == SchedulerHarness.at(10))
            try await h.set(SchedulerHarness.at(9.999))
            #expect(try await h.runs().isEmpty)

            try await h.set(SchedulerHarness.at(10))
            let runs = try await h.runs()
            try #require(runs.count == 1)
            let trigger = runs[0].trigger
            #expect(trigger["type"] == "cron")
            #expect(trigger["scheduled_at"] == .string(utc(10)))
            #expect(trigger["fired_at"] == .string(utc(10)))
            #expect(trigger["schedule"] == "*/10 * * * * *")
            #expect(trigger["timezone"] == "Europe/Berlin")
            #expect(trigger["scheduled_local"] == "2026-01-01T01:00:10+01:00")
            #expect(trigger["catch_up"] == nil)
            #expect(try await h.ledger() == [
                LedgerRow(workflow: "tick", key: "cron:*/10 * * * * *@Europe/Berlin", scheduledAt: utc(10), runID: runs[0].id, outcome: "started")
            ])
            #expect(await h.scheduler.sleepingUntil == SchedulerHarness.at(20))

            try await h.set(SchedulerHarness.at(20.25))
            #expect(try await h.scheduledTimes() == [utc(10), utc(20)])
            let stats = await h.scheduler.statistics()
            #expect(stats.fires == 2)
            #expect(stats.lateness.count == 2)
            #expect(stats.lateness.last == 0.25)
            #expect(stats.lateness.maximum == 0.25)
            let completed = await h.engine.waitForCompletion(runID: runs[0].id)
            #expect(completed?.status == .completed)
        }
    }

    @Test func schedulesListsEveryTriggerWithLastFireAndLateness() async throws {
        try await SchedulerHarness.with([
            "a": cronWorkflow("*/10 * * * * *"),
            "b": """
                triggers:
                  - manual: {}
                  - cron: { schedule: "0 9 * * MON-FRI", timezone: America/New_York, overlap: skip, catch_up: latest }
                steps:
                  s: { type: transform, with: { value: 1 } }
                """,
        ]) { h in
            try await h.set(SchedulerHarness.at(10.5))
            let a = try #require(await h.schedule("a"))
            #expect(a["trigger"] == "cron:*/10 * * * * *@UTC")
            #expect(a["next"] == "2026-01-01T00:00:20+00:00")
            #expect(a["last_scheduled_at"] == .string(utc(10)))
            #expect(a["last_fired_at"] == .string(utc(10.5)))
            #expect(a["lateness_seconds"] == 0.5)
            #expect(a["misses"] == 0)
            let b = try #require(await h.schedule("b"))
            #expect(b["index"] == 1)
            #expect(b["next"] == "2026-01-01T09:00:00-05:00")
            #expect(b["last_fired_at"] == .null)
            #expect(b["overlap"] == "skip")
            #expect(b["catch_up"] == "latest")
            // Status lists the soonest fires first.
            let next = await h.scheduler.nextFires()
            #expect(next.map { $0["workflow"] } == ["a", "b"])
        }
    }

    @Test func tenThousandSchedulesSleepAsOneTask() async throws {
        let base = try WorkflowLoader().load(source: cronWorkflow("0 0 3 * * *"), file: "w.yaml", defaultName: "w")
        var definitions: [String: WorkflowDefinition] = [:]
        for i in 0..<10_000 {
            var definition = base
            definition.name = "w\(i)"
            let schedule = try CronSchedule.parse("\(i % 60) \(i / 60 % 60) 3 * * *")
            definition.triggers = [
                .cron(CronTrigger(schedule: schedule, timezone: "UTC", catchUp: .none, catchUpLimit: 10, overlap: .allow, jitter: 0))
            ]
            definitions[definition.name] = definition
        }
        let h = try await SchedulerHarness(definitions: definitions)
        #expect(await h.scheduler.scheduleCount == 10_000)
        // One sleeper on the clock for all of them, due at the soonest slot (03:00:00).
        // (The sleep is a child task of the loop: give it a moment to reach the clock.)
        for _ in 0..<10_000 where h.clock.sleeperCount == 0 { await Task.yield() }
        #expect(h.clock.sleeperCount == 1)
        #expect(await h.scheduler.sleepingUntil == SchedulerHarness.at(3 * 3600))
        for second in 0..<60 {
            try await h.set(SchedulerHarness.at(Double(3 * 3600 + second)))
        }
        // Minute 0 of 03:00 holds the schedules whose minute field is 0.
        #expect(try await h.runs().count == (0..<10_000).filter { $0 / 60 % 60 == 0 }.count)
        #expect(await h.scheduler.statistics().lateness.maximum == 0)
        #expect(await h.scheduler.sleepingUntil == SchedulerHarness.at(3 * 3600 + 60))
        await h.stop()
    }

    @Test func jitterDelaysWithinTheGapToTheNextSlot() async throws {
        // The random source returns its bound's largest value: the delay must still end before the next slot.
        try await SchedulerHarness.with(
            ["j": cronWorkflow("*/10 * * * * *", extra: "jitter: 1m")], random: { $0.nextDown }) { h in
            let due = try #require(await h.scheduler.sleepingUntil)
            #expect(due > SchedulerHarness.at(19.99))
            #expect(due < SchedulerHarness.at(20))
            try await h.set(due)
            let runs = try await h.runs()
            try #require(runs.count == 1)
            #expect(runs[0].trigger["scheduled_at"] == .string(utc(10)))
            #expect(runs[0].trigger["fired_at"] == .string(Timestamp.format(due)))
            // Lateness is measured from the jittered due time, so a jittered fire on time is 0 late.
            #expect(await h.scheduler.statistics().lateness.last == 0)
        }
    }

    @Test func jitterDrawsStayInsideTheirBound() async throws {
        try await SchedulerHarness.with([:]) { h in
            let trigger = try #require(
                WorkflowLoader().load(source: cronWorkflow("0 * * * * *", extra: "jitter: 45s"), file: "j.yaml", defaultName: "j")
                    .cronTriggers.first)
            let zone = try #require(TimeZone(identifier: "UTC"))
            var delays: [Double] = []
            for i in 0..<500 {
                let pending = try #require(await h.scheduler.nextPending(trigger, zone: zone, after: SchedulerHarness.at(Double(i * 60))))
                #expect(pending.slot == SchedulerHarness.at(Double(i * 60 + 60)))
                delays.append(pending.due.timeIntervalSince(pending.slot))
            }
            #expect(delays.allSatisfy { $0 >= 0 && $0 < 45 })
            // Random, not constant: 500 draws spread over most of the window.
            #expect(delays.max()! - delays.min()! > 30)
        }
    }
}

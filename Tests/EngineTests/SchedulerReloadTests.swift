import Foundation
import Testing

@testable import Engine

/// Hot reload through the real `WorkflowCatalog`: new and edited schedules start from now, an edit never fires
/// the current slot twice, a broken edit keeps the last good version firing, deleted and renamed workflows stop.
@Suite("scheduler: reload")
struct SchedulerReloadTests {
    /// A workflows directory with a catalog over it.
    private final class Directory: @unchecked Sendable {
        // @unchecked: used by one test at a time, sequentially.
        let path: String
        var catalog = WorkflowCatalog()

        init() throws {
            self.path = FileManager.default.temporaryDirectory.appendingPathComponent("sched-reload-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: self.path, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: self.path) }

        func write(_ file: String, _ text: String) throws {
            try text.write(toFile: self.path + "/" + file, atomically: true, encoding: .utf8)
        }

        func remove(_ file: String) throws { try FileManager.default.removeItem(atPath: self.path + "/" + file) }

        func move(_ from: String, _ to: String) throws {
            try FileManager.default.moveItem(atPath: self.path + "/" + from, toPath: self.path + "/" + to)
        }

        @discardableResult
        func reload() -> ReloadReport { self.catalog.reload(directory: self.path, loader: WorkflowLoader()) }
    }

    private func keys(_ h: SchedulerHarness) async -> [String] {
        await h.scheduler.schedules().compactMap { entry in
            guard let workflow = entry["workflow"]?.stringValue, let trigger = entry["trigger"]?.stringValue else { return nil }
            return "\(workflow) \(trigger)"
        }
    }

    @Test func addAndDelete() async throws {
        let dir = try Directory()
        try dir.write("a.yaml", cronWorkflow("*/10 * * * * *"))
        dir.reload()
        let h = try await SchedulerHarness(definitions: dir.catalog.byName)
        try await h.set(SchedulerHarness.at(5))
        try dir.write("b.yaml", cronWorkflow("*/3 * * * * *"))
        dir.reload()
        try await h.reload(dir.catalog.byName)
        #expect(await self.keys(h) == ["a cron:*/10 * * * * *@UTC", "b cron:*/3 * * * * *@UTC"])
        #expect(await h.schedule("b")?["next"] == "2026-01-01T00:00:06+00:00")

        try dir.remove("a.yaml")
        #expect(dir.reload().removed == ["a"])
        try await h.reload(dir.catalog.byName)
        #expect(await self.keys(h) == ["b cron:*/3 * * * * *@UTC"])
        for second in [6.0, 9, 10, 12] { try await h.set(SchedulerHarness.at(second)) }
        #expect(try await h.runs().map(\.workflow) == ["b", "b", "b"])
        await h.stop()
    }

    @Test func anEditedScheduleStartsFromNowWithoutRefiringTheCurrentSlot() async throws {
        let dir = try Directory()
        try dir.write("a.yaml", cronWorkflow("*/10 * * * * *"))
        dir.reload()
        let h = try await SchedulerHarness(definitions: dir.catalog.byName)
        for second in [10.0, 20, 30] { try await h.set(SchedulerHarness.at(second)) }
        // Half a second after the slot at 30 fired, the schedule changes to one that also matches 30.
        try await h.set(SchedulerHarness.at(30.5))
        try dir.write("a.yaml", cronWorkflow("*/15 * * * * *"))
        dir.reload()
        try await h.reload(dir.catalog.byName)
        #expect(await self.keys(h) == ["a cron:*/15 * * * * *@UTC"])
        #expect(await h.scheduler.sleepingUntil == SchedulerHarness.at(45))
        try await h.set(SchedulerHarness.at(40))
        try await h.set(SchedulerHarness.at(45))
        #expect(try await h.scheduledTimes() == [utc(10), utc(20), utc(30), utc(45)])
        #expect(try await h.ledger().map(\.key) == ["cron:*/10 * * * * *@UTC", "cron:*/10 * * * * *@UTC", "cron:*/10 * * * * *@UTC", "cron:*/15 * * * * *@UTC"])
        await h.stop()
    }

    @Test func anEditThatKeepsTheScheduleKeepsTheSlotAndRunsTheNewVersion() async throws {
        let dir = try Directory()
        try dir.write("a.yaml", cronWorkflow("*/10 * * * * *"))
        dir.reload()
        let h = try await SchedulerHarness(definitions: dir.catalog.byName)
        try await h.set(SchedulerHarness.at(3))
        try dir.write("a.yaml", cronWorkflow("*/10 * * * * *", extra: "overlap: skip", steps: "  t: { type: transform, with: { value: 2 } }"))
        dir.reload()
        let version = try #require(dir.catalog.byName["a"]?.version)
        try await h.reload(dir.catalog.byName)
        #expect(await h.scheduler.sleepingUntil == SchedulerHarness.at(10))
        #expect(await h.schedule("a")?["overlap"] == "skip")
        try await h.set(SchedulerHarness.at(10))
        #expect(try await h.runs().map(\.version) == [version])
        await h.stop()
    }

    @Test func aBrokenEditKeepsTheLastGoodVersionFiringUntilFixed() async throws {
        let dir = try Directory()
        try dir.write("a.yaml", cronWorkflow("*/10 * * * * *"))
        dir.reload()
        let good = try #require(dir.catalog.byName["a"]?.version)
        let h = try await SchedulerHarness(definitions: dir.catalog.byName)
        try dir.write("a.yaml", cronWorkflow("*/10 * * * * * *"))
        let report = dir.reload()
        #expect(report.errors.map(\.file) == ["a.yaml"])
        try await h.reload(dir.catalog.byName)
        try await h.set(SchedulerHarness.at(10))
        #expect(try await h.runs().map(\.version) == [good])

        // Fixed with a new schedule: the new one applies from now.
        try dir.write("a.yaml", cronWorkflow("*/4 * * * * *"))
        #expect(dir.reload().errors.isEmpty)
        try await h.reload(dir.catalog.byName)
        #expect(await self.keys(h) == ["a cron:*/4 * * * * *@UTC"])
        try await h.set(SchedulerHarness.at(12))
        try await h.set(SchedulerHarness.at(16))
        try await h.set(SchedulerHarness.at(20))
        #expect(try await h.scheduledTimes() == [utc(10), utc(12), utc(16), utc(20)])
        await h.stop()
    }

    @Test func aRenamedFileMovesTheSchedule() async throws {
        let dir = try Directory()
        try dir.write("old.yaml", cronWorkflow("*/10 * * * * *"))
        dir.reload()
        let h = try await SchedulerHarness(definitions: dir.catalog.byName)
        try await h.set(SchedulerHarness.at(10))
        try await h.set(SchedulerHarness.at(12))
        try dir.move("old.yaml", "new.yaml")
        let report = dir.reload()
        #expect(report.removed == ["old"])
        #expect(report.changed == ["new"])
        try await h.reload(dir.catalog.byName)
        #expect(await self.keys(h) == ["new cron:*/10 * * * * *@UTC"])
        try await h.set(SchedulerHarness.at(20))
        #expect(try await h.runs().map { "\($0.workflow) \($0.trigger["scheduled_at"]?.stringValue ?? "")" } == ["old \(utc(10))", "new \(utc(20))"])
        await h.stop()
    }
}

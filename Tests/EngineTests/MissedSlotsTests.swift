import Foundation
import Testing

@testable import Engine

/// The arithmetic of missed slots: the latest ones without walking the whole downtime, the grace, the policies.
@Suite("scheduler: missed slots")
struct MissedSlotsTests {
    let utcZone = TimeZone(identifier: "UTC")!
    let t0 = SchedulerHarness.t0

    @Test func lastSlotsFindsTheTailOfALongWindow() throws {
        let everySecond = try CronSchedule.parse("* * * * * *")
        let year = 365 * 86_400.0
        let tail = MissedSlots.lastSlots(everySecond, in: self.utcZone, after: self.t0, through: self.t0.addingTimeInterval(year), count: 3)
        #expect(tail == [year - 2, year - 1, year].map { self.t0.addingTimeInterval($0) })
        // Sparse: the last two yearly slots before 2030-06-01, found from a start far back.
        let yearly = try CronSchedule.parse("0 12 29 2 *")
        let leap = MissedSlots.lastSlots(
            yearly, in: self.utcZone, after: Date(timeIntervalSince1970: 0), through: self.t0.addingTimeInterval(4 * year), count: 2)
        #expect(leap.map { Timestamp.format($0) } == ["2024-02-29T12:00:00.000Z", "2028-02-29T12:00:00.000Z"])
        // Fewer slots than asked: all of them.
        #expect(MissedSlots.lastSlots(yearly, in: self.utcZone, after: self.t0, through: self.t0.addingTimeInterval(year), count: 5).isEmpty)
    }

    @Test func resolveSortsSlotsIntoCatchUpCurrentAndMissed() throws {
        let everyMinute = try CronSchedule.parse("* * * * *")
        func resolve(_ policy: CatchUpPolicy, limit: Int = 10, now: Double) -> MissedSlots {
            MissedSlots.resolve(
                everyMinute, in: self.utcZone, after: self.t0, through: self.t0.addingTimeInterval(now), policy: policy, limit: limit, grace: 2)
        }
        let at = { (minutes: Int) in self.t0.addingTimeInterval(Double(minutes * 60)) }
        #expect(resolve(.none, now: 600.5) == MissedSlots(catchUp: [], current: at(10), missed: 9))
        #expect(resolve(.none, now: 603) == MissedSlots(catchUp: [], current: nil, missed: 10))
        #expect(resolve(.latest, now: 603) == MissedSlots(catchUp: [at(10)], current: nil, missed: 9))
        #expect(resolve(.all, limit: 4, now: 600) == MissedSlots(catchUp: (6...9).map(at), current: at(10), missed: 5))
        #expect(resolve(.all, limit: 40, now: 603) == MissedSlots(catchUp: (1...10).map(at), current: nil, missed: 0))
        #expect(resolve(.all, now: 30) == MissedSlots())
    }

    @Test func fixedTimeSchedulesCatchUpAcrossADSTGap() throws {
        // 02:30 New York does not exist on 2026-03-08; the fixed-time rule fires it at 03:00 EDT.
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let daily = try CronSchedule.parse("30 2 * * *")
        let after = try #require(Timestamp.parse("2026-03-06T12:00:00Z"))
        let now = try #require(Timestamp.parse("2026-03-09T12:00:00Z"))
        let resolved = MissedSlots.resolve(daily, in: zone, after: after, through: now, policy: .all, limit: 10, grace: 2)
        #expect(resolved.catchUp.map { CronPreview.rfc3339($0, in: zone) } == [
            "2026-03-07T02:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00",
        ])
    }
}

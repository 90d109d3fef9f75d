import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SPEC §5 live: the real daemon fires a `* * * * * *` workflow every second, each slot once, on time; the
/// schedule shows in `triggerctl schedules` and `status`; a restart does not fire a slot twice.
@Suite("end to end: cron", .serialized)
struct CronEndToEndTests {
    /// `(scheduled_at, fired_at)` of every cron run, oldest slot first.
    private func fires(_ daemon: DaemonProcess) throws -> [(scheduled: Date, fired: Date)] {
        let runs = try #require(try daemon.ctlJSON(["runs", "--workflow", "tick", "--limit", "500"]) as? [[String: Any]])
        return try runs.map { run in
            let trigger = try #require(run["trigger"] as? [String: Any])
            #expect(trigger["type"] as? String == "cron")
            let scheduled = try #require((trigger["scheduled_at"] as? String).flatMap(Self.parse))
            let fired = try #require((trigger["fired_at"] as? String).flatMap(Self.parse))
            return (scheduled, fired)
        }.sorted { $0.scheduled < $1.scheduled }
    }

    private static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    @Test func everySecondScheduleFiresEachSlotOnceAndOnTime() throws {
        let daemon = try DaemonProcess(workflows: [
            "tick.yaml": """
                triggers:
                  - cron: { schedule: "* * * * * *" }
                steps:
                  s: { type: transform, with: { value: "{{ trigger.scheduled_at }}" } }
                """
        ])
        defer { daemon.stop() }
        try daemon.start()
        try daemon.waitUntil(timeout: 30, "six cron fires") { try self.fires(daemon).count >= 6 }

        let fires = try self.fires(daemon)
        let slots = fires.map(\.scheduled.timeIntervalSince1970)
        #expect(Set(slots).count == slots.count, "a slot fired twice: \(slots)")
        for (a, b) in zip(slots, slots.dropFirst()) {
            #expect(b - a == 1, "slots are not consecutive seconds: \(slots)")
        }
        for slot in slots { #expect(slot == slot.rounded(), "slot \(slot) is not a whole second") }
        let lateness = fires.map { $0.fired.timeIntervalSince($0.scheduled) }.sorted()
        #expect(lateness.allSatisfy { $0 >= 0 && $0 < 0.5 }, "lateness (s): \(lateness)")
        let median = lateness[lateness.count / 2]
        let ms = { (seconds: Double) in String(format: "%.1f ms", seconds * 1000) }
        print("cron e2e: \(fires.count) fires, lateness median \(ms(median)), max \(ms(lateness.last ?? 0))")

        // triggerctl schedules: the trigger with its last fire; status: the next fire.
        let schedules = try #require(try daemon.ctlJSON(["schedules"]) as? [[String: Any]])
        let tick = try #require(schedules.first { $0["workflow"] as? String == "tick" })
        #expect(tick["schedule"] as? String == "* * * * * *")
        #expect(tick["last_fired_at"] is String)
        #expect((tick["lateness_seconds"] as? Double).map { $0 < 0.5 } == true)
        #expect(tick["misses"] as? Int == 0)
        let table = daemon.ctl(["schedules"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("tick") && table.stdout.contains("* * * * * *"), "\(table.stdout)")
        let status = try #require(try daemon.ctlJSON(["status"]) as? [String: Any])
        let next = try #require(status["next_fires"] as? [[String: Any]])
        #expect(next.first?["workflow"] as? String == "tick")

        // A crash and restart: every slot still appears at most once.
        daemon.kill9()
        try daemon.start()
        let before = try self.fires(daemon).count
        try daemon.waitUntil(timeout: 30, "fires after the restart") { try self.fires(daemon).count >= before + 2 }
        let after = try self.fires(daemon).map(\.scheduled.timeIntervalSince1970)
        #expect(Set(after).count == after.count, "a slot fired twice across the restart: \(after)")
    }
}

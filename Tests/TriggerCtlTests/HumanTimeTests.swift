import Foundation
import Testing

@testable import TriggerCtl

@Suite struct HumanTimeTests {
    @Test(arguments: [
        (0.0, "0ms"), (-3, "0ms"), (0.4209, "421ms"), (0.9996, "1.0s"), (4.24, "4.2s"), (9.96, "10s"), (42.9, "43s"),
        (59.7, "1m00s"), (184, "3m04s"),
        (7500, "2h05m"), (273_600, "3d04h"), (Double.nan, "0ms"),
    ])
    func durationsAreShortAndStable(seconds: Double, text: String) {
        #expect(HumanTime.duration(seconds) == text)
    }

    @Test func timestampsAreShownInUTCToTheSecond() {
        #expect(HumanTime.timestamp("2026-11-26T09:00:00.123Z") == "2026-11-26T09:00:00Z")
        #expect(HumanTime.timestamp("2026-11-26T10:00:00+01:00") == "2026-11-26T09:00:00Z")
        #expect(HumanTime.timestamp("not a time") == "not a time")
    }

    @Test func elapsedRunsToNowWhileSomethingIsStillGoing() {
        let now = Date(timeIntervalSince1970: 1_795_683_610)  // 2026-11-26T09:00:10Z
        #expect(HumanTime.elapsed(from: "2026-11-26T09:00:00Z", to: "2026-11-26T09:00:04.500Z", now: now) == 4.5)
        #expect(HumanTime.elapsed(from: "2026-11-26T09:00:00Z", to: nil, now: now) == 10)
        #expect(HumanTime.elapsed(from: nil, to: nil, now: now) == nil)
    }
}

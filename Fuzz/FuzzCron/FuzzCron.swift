import Engine
import Foundation
import FuzzSupport

// Input: `expression`, then optionally `---` lines followed by a time zone and a start time (Unix seconds).
// Properties: parsing either succeeds or throws a CronError with a message and a column inside the text;
// a fire time is a whole second strictly after the start; fire times are strictly increasing.

/// Zones with unusual rules, used when the input does not name a zone Foundation knows.
let zones = [
    "UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata",
    "America/St_Johns", "Pacific/Chatham", "Antarctica/Troll", "Africa/Casablanca", "Pacific/Kiritimati",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let parts = FuzzInput(FuzzDriver.bytes(data, size)).parts(3)
    let text = parts[0]
    let schedule: CronSchedule
    do {
        schedule = try CronSchedule.parse(text)
    } catch {
        fuzzCheck(!error.message.isEmpty, "empty cron error for \(text.debugDescription)")
        fuzzCheck(error.column >= 1, "cron error column \(error.column) for \(text.debugDescription)")
        return 0
    }
    let zoneName = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespacesAndNewlines) : ""
    let zone =
        TimeZone(identifier: zoneName)
        ?? TimeZone(identifier: zones[FuzzInput.pick(zoneName, among: zones.count)])!
    let startSeconds = parts.count > 2 ? Int64(parts[2].trimmingCharacters(in: .whitespacesAndNewlines)) : nil
    // Keep the start within the range the daemon can meet (years 1900 to 2500); beyond it `next` is nil.
    let clamped = min(max(startSeconds ?? 1_700_000_000, -2_208_988_800), 16_725_225_600)
    let start = Date(timeIntervalSince1970: Double(clamped))

    _ = schedule.isFixedTime
    guard let first = schedule.next(after: start, in: zone) else { return 0 }
    fuzzCheck(first > start, "next(after:) \(first) is not after \(start) for \(text.debugDescription)")
    let seconds = first.timeIntervalSince1970
    fuzzCheck(seconds == seconds.rounded(.down), "fire time \(seconds) is not a whole second")
    _ = CronPreview.rfc3339(first, in: zone)

    let end = start.addingTimeInterval(400 * 86_400)
    let fires = schedule.fireTimes(after: start, through: end, in: zone, limit: 8)
    fuzzCheck(fires.first == (first <= end ? first : nil), "fireTimes starts at \(String(describing: fires.first)), next is \(first)")
    for (earlier, later) in zip(fires, fires.dropFirst()) {
        fuzzCheck(earlier < later, "fire times not increasing: \(earlier), \(later) for \(text.debugDescription)")
    }
    return 0
}

@_cdecl("FuzzCron_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Globals are made before fuzzing starts, so the leak check does not count them against the first input.
    _ = zones
    return FuzzDriver.run(argc, argv, fuzzOne)
}

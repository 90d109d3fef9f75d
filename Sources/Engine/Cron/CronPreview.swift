public import Foundation

/// Formats fire times for people and scripts (`triggerctl next --json`).
public enum CronPreview {
    /// RFC 3339 with seconds and the zone's offset at that instant: `2026-03-08T03:00:00-04:00`.
    ///
    /// UTC prints as `+00:00`, never `Z`. Fractions of a second are dropped. Historical offsets with seconds
    /// (local mean time) are cut to whole minutes and the wall time follows, so the text names the same instant.
    public static func rfc3339(_ date: Date, in tz: TimeZone) -> String {
        let raw = date.timeIntervalSince1970
        guard raw.isFinite, abs(raw) < 1e13 else { return "invalid date" }
        let instant = Int64(raw.rounded(.down))
        let offset = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant)))) / 60 * 60
        let local = instant + offset
        let date = CivilDate(dayNumber: local.floorDivided(by: CivilDate.secondsPerDay))
        let time = local.floorModulo(CivilDate.secondsPerDay)
        let sign = offset < 0 ? "-" : "+"
        let offsetMinutes = abs(offset) / 60
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
            + "T\(pad(time / 3600, 2)):\(pad(time / 60 % 60, 2)):\(pad(time % 60, 2))"
            + "\(sign)\(pad(offsetMinutes / 60, 2)):\(pad(offsetMinutes % 60, 2))"
    }

    private static func pad(_ value: some BinaryInteger, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}

internal import Foundation

/// A time zone seen as whole-second offsets and the instants where they change.
///
/// Instants are Unix seconds; a local time is an instant plus the offset in force, i.e. wall-clock seconds
/// counted as if the zone were UTC.
struct ZoneTimeline {
    let timeZone: TimeZone

    init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// Seconds east of UTC in force at `instant`.
    func offset(at instant: Int64) -> Int64 {
        Int64(self.timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
    }

    /// The first instant after `instant` where the offset may change (nil when the zone has no more changes).
    ///
    /// Foundation reports every transition of the tz database, including changes of standard offset such as
    /// Pacific/Apia skipping 2011-12-30; a reported transition that changes nothing is harmless to the search.
    func transition(after instant: Int64) -> Int64? {
        let from = Date(timeIntervalSince1970: Double(instant))
        guard let next = self.timeZone.nextDaylightSavingTimeTransition(after: from) else { return nil }
        let seconds = next.timeIntervalSince1970.rounded(.up)
        // Guard the search loop against an answer that does not move forward.
        guard seconds.isFinite, seconds > Double(instant) else { return nil }
        return Int64(seconds)
    }
}

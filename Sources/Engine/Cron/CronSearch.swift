/// The next-fire search of a calendar cron expression in one time zone.
///
/// The instant line is cut at the zone's transitions into intervals of constant offset. Within an interval a
/// local time L maps to exactly one instant, L - offset, so the search asks the fields for the first matching
/// local time at or after the interval's lowest local time, and accepts it if it falls before the interval's
/// end; otherwise it moves to the next interval. Only the lowest local time differs between the two DST rules:
///
/// - absolute: an interval covers the local times it shows, so after a fall-back the repeated hour is searched
///   again and fires a second time, and a gap's local times belong to no interval;
/// - fixed-time: an interval starts at the local time where the previous one ended. After a fall-back the
///   repeated hour is skipped (it fired in its first occurrence); after a spring-forward the gap's local times
///   belong to the new interval and fire at its first instant.
struct CronSearch {
    let fields: CronFields
    let fixedTime: Bool
    let zone: ZoneTimeline

    /// Enough for any real zone's transitions in the horizon; only a broken time zone would exhaust it.
    private static let maximumIntervals = 10_000
    /// How far back to look for a transition that shapes the first interval (larger than any real fall-back).
    private static let lookback: Int64 = 2 * CivilDate.secondsPerDay

    /// The first fire instant at or after `earliest`, within `horizonDays` local days.
    func firstFire(atOrAfter earliest: Int64, horizonDays: Int64) -> Int64? {
        var start = earliest
        var offset = self.zone.offset(at: start)
        let lastDay = (earliest + offset).floorDivided(by: CivilDate.secondsPerDay) + horizonDays

        var end = self.zone.transition(after: earliest - Self.lookback)
        var previous: Int64?
        while let transition = end, transition <= start {
            previous = transition
            end = self.zone.transition(after: transition)
        }
        var low = start + offset
        if self.fixedTime, let transition = previous {
            let before = self.zone.offset(at: transition - 1)
            // Starting exactly at a transition includes a gap that just closed (its times fire now); starting
            // inside the repeat of a fall-back skips to where the first pass ended.
            low = transition == start ? transition + before : max(low, transition + before)
        }

        var cached: (from: Int64, match: Int64?)?
        for _ in 0..<Self.maximumIntervals {
            let match: Int64?
            // The last answer still holds if it was searched from no later than `low` and is not before it.
            if let cached, cached.from <= low, (cached.match ?? .max) >= low {
                match = cached.match
            } else {
                match = self.fields.nextMatch(from: low, throughDay: lastDay)
                cached = (low, match)
            }
            guard let local = match else { return nil }
            guard let boundary = end, local >= boundary + offset else {
                // Gap times of a fixed-time expression (local - offset < start) fire at the interval's start.
                return self.fixedTime ? max(start, local - offset) : local - offset
            }
            let offsetBefore = offset
            start = boundary
            offset = self.zone.offset(at: start)
            end = self.zone.transition(after: start)
            low = self.fixedTime ? start + offsetBefore : start + offset
        }
        return nil
    }
}

public import Foundation

extension CronScheduler {
    /// Every cron trigger, by workflow and trigger position: `{"workflow", "trigger", "index", "schedule",
    /// "timezone", "next", "last_scheduled_at", "last_fired_at", "last_run_id", "lateness_seconds", "misses",
    /// "skipped", "queued", "overlap", "catch_up", "jitter_seconds"}` (what `GET /v1/schedules` answers).
    ///
    /// `next` is RFC 3339 with the zone's offset; the other times are UTC. `lateness_seconds` is how long after
    /// its nominal time the last fire happened (jitter included).
    public func schedules() -> [JSONValue] {
        let sorted = self.entries.values.sorted { ($0.workflow, $0.index, $0.key) < ($1.workflow, $1.index, $1.key) }
        return sorted.map { entry in
            var lateness: JSONValue = .null
            if let scheduled = entry.lastScheduledAt, let fired = entry.lastFiredAt {
                lateness = .number((fired.timeIntervalSince(scheduled) * 1000).rounded() / 1000)
            }
            return [
                "workflow": .string(entry.workflow), "trigger": .string(entry.key), "index": .number(Double(entry.index)),
                "schedule": .string(entry.trigger.schedule.text), "timezone": .string(entry.trigger.timezone),
                "next": entry.pending.map { .string(CronPreview.rfc3339($0.slot, in: entry.zone)) } ?? .null,
                "last_scheduled_at": entry.lastScheduledAt.map { .string(Timestamp.format($0)) } ?? .null,
                "last_fired_at": entry.lastFiredAt.map { .string(Timestamp.format($0)) } ?? .null,
                "last_run_id": entry.lastRunID.map { .string($0) } ?? .null,
                "lateness_seconds": lateness, "misses": .number(Double(entry.misses)),
                "skipped": .number(Double(entry.skipped)), "queued": .number(Double(entry.queued.count)),
                "overlap": .string(entry.trigger.overlap.rawValue), "catch_up": .string(entry.trigger.catchUp.rawValue),
                "jitter_seconds": .number(entry.trigger.jitter),
            ]
        }
    }

    /// The soonest upcoming fires (`Options.nextFiresLimit` of them) for `GET /v1/status`:
    /// `[{"workflow", "trigger", "schedule", "timezone", "next"}]`, soonest first.
    public func nextFires() -> [JSONValue] {
        let upcoming = self.entries.values.compactMap { entry in entry.pending.map { (entry, $0.slot) } }
            .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
            .prefix(self.options.nextFiresLimit)
        return upcoming.map { entry, slot in
            [
                "workflow": .string(entry.workflow), "trigger": .string(entry.key),
                "schedule": .string(entry.trigger.schedule.text), "timezone": .string(entry.trigger.timezone),
                "next": .string(CronPreview.rfc3339(slot, in: entry.zone)),
            ]
        }
    }

    /// Counters and the lateness histogram since start.
    public func statistics() -> SchedulerStats { self.stats }
}

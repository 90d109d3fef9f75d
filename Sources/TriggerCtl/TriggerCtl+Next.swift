import ArgumentParser
import Engine
import Foundation

extension TriggerCtl {
    /// `triggerctl next (NAME | --cron EXPR) [--tz ZONE] [--after TIME] [-n N]`.
    struct Next: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the next fire times of a workflow's cron triggers, or of a cron expression (offline).",
            discussion: """
                With --cron no daemon is needed: times are computed in --tz (default UTC). With NAME the \
                daemon is asked for the workflow's cron triggers; each is computed in its own zone and \
                printed in --tz when given. --json prints a list of RFC 3339 timestamps with offset.
                """
        )

        @Argument(help: ArgumentHelp("A workflow whose cron triggers to preview.", valueName: "name")) var name: String?

        @Option(help: ArgumentHelp("A cron expression to preview, e.g. '30 2 * * 1-5'.", valueName: "expr"))
        var cron: String?

        @Option(help: ArgumentHelp("IANA time zone, e.g. Europe/Berlin.", valueName: "zone")) var tz: String?

        @Option(help: ArgumentHelp("Start after this RFC 3339 time (default now).", valueName: "time"))
        var after: String?

        @Option(
            name: [.customShort("n"), .customLong("count")],
            help: ArgumentHelp("How many fire times (1-1000).", valueName: "n")
        )
        var count = 5

        @OptionGroup var options: GlobalOptions

        func validate() throws {
            if (self.name == nil) == (self.cron == nil) {
                throw ValidationError("give either a workflow NAME or --cron EXPR")
            }
            if !(1...1000).contains(self.count) {
                throw ValidationError("-n must be between 1 and 1000, got \(self.count)")
            }
            if let tz, TimeZone(identifier: tz) == nil { throw ValidationError("unknown time zone '\(tz)'") }
            if let after, Timestamp.parse(after) == nil {
                throw ValidationError("--after must be an RFC 3339 time such as 2026-01-01T09:00:00Z, got '\(after)'")
            }
        }

        func run() async throws {
            let context = CtlContext.current
            let start = self.after.flatMap { Timestamp.parse($0) } ?? context.now()
            let display = self.tz.flatMap { TimeZone(identifier: $0) }
            let fires: [Fire]
            if let expression = self.cron {
                let zone = display ?? TimeZone(identifier: "UTC") ?? .current
                let schedule = try Self.parse(expression)
                for warning in schedule.warnings {
                    context.warn("triggerctl: warning: column \(warning.column): \(warning.message)")
                }
                fires = try Self.fires(
                    of: schedule,
                    label: expression,
                    in: zone,
                    after: start,
                    count: self.count
                )
            } else {
                let workflow = try await self.options.connection().json(.workflow(self.name ?? ""))
                fires = try Self.fires(
                    of: workflow,
                    after: start,
                    count: self.count,
                    defaultsToDaemon: self.after == nil
                )
            }
            let texts = fires.map { CronPreview.rfc3339($0.date, in: display ?? $0.zone) }
            if self.options.json { return self.options.printJSON(.array(texts.map { .string($0) })) }
            if Set(fires.map(\.label)).count > 1 {
                var table = TextTable(["NEXT", "TRIGGER"])
                for (fire, text) in zip(fires, texts) { table.add([text, fire.label]) }
                context.console.out(table.render(context.palette))
            } else {
                for text in texts { context.say(text) }
            }
        }

        /// One upcoming fire: when, which trigger, and the zone it is computed in.
        struct Fire: Equatable {
            var date: Date
            var label: String
            var zone: TimeZone
        }

        /// Parses `expression`, turning a refusal into exit 1 with the column.
        static func parse(_ expression: String) throws(CtlFailure) -> CronSchedule {
            do {
                return try CronSchedule.parse(expression)
            } catch {
                throw .failed("bad cron expression '\(expression)': column \(error.column): \(error.message)")
            }
        }

        /// The first `count` fires of `schedule` strictly after `start`.
        static func fires(of schedule: CronSchedule, label: String, in zone: TimeZone, after start: Date, count: Int)
            throws(CtlFailure) -> [Fire]
        {
            var fires: [Fire] = []
            var cursor = start
            while fires.count < count, let date = schedule.next(after: cursor, in: zone) {
                fires.append(Fire(date: date, label: label, zone: zone))
                cursor = date
            }
            if fires.isEmpty {
                // Parsing refuses expressions that match no date; what is left has no fire time after `start`.
                throw .failed("'\(schedule.text)' has no fire time after \(CronPreview.rfc3339(start, in: zone))")
            }
            return fires
        }

        /// The first `count` fires across a workflow's cron triggers (`GET /v1/workflows/{name}` answer).
        ///
        /// Each trigger is computed in its own `timezone`; a schedule this build cannot parse falls back to the
        /// daemon's own `next` field (only when `defaultsToDaemon`, i.e. no `--after` was given).
        static func fires(of workflow: JSONValue, after start: Date, count: Int, defaultsToDaemon: Bool)
            throws(CtlFailure) -> [Fire]
        {
            let name = workflow["name"]?.stringValue ?? "?"
            let crons = (workflow["triggers"]?.arrayValue ?? []).filter { $0["type"]?.stringValue == "cron" }
            if crons.isEmpty { throw .failed("workflow '\(name)' has no cron triggers") }
            var fires: [Fire] = []
            for trigger in crons {
                let zoneName = trigger["timezone"]?.stringValue ?? "UTC"
                let zone = TimeZone(identifier: zoneName) ?? TimeZone(identifier: "UTC") ?? .current
                let text = trigger["schedule"]?.stringValue ?? ""
                if let schedule = try? CronSchedule.parse(text) {
                    var cursor = start
                    for _ in 0..<count {
                        guard let date = schedule.next(after: cursor, in: zone) else { break }
                        fires.append(Fire(date: date, label: text, zone: zone))
                        cursor = date
                    }
                } else if defaultsToDaemon, let next = trigger["next"]?.stringValue, let date = Timestamp.parse(next) {
                    fires.append(Fire(date: date, label: text, zone: zone))
                }
            }
            if fires.isEmpty { throw .failed("workflow '\(name)' has no upcoming cron fires") }
            // Stable order: by time, then by trigger as listed.
            let ordered = fires.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }
            return Array(ordered.map(\.element).prefix(count))
        }
    }
}

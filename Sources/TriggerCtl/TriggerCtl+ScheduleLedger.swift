import ArgumentParser
import Engine
import Foundation

extension TriggerCtl.Schedules {
    /// `triggerctl schedules ledger WORKFLOW [KEY] [--before TIME] [--limit N]`: one cron trigger's slots, newest
    /// first, with what became of each and why.
    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a cron trigger's fire ledger: every slot, what became of it and why.",
            discussion: """
                KEY is the trigger key `triggerctl schedules --json` lists (cron:SCHEDULE@ZONE); it may be left out \
                when the workflow has one cron trigger. When a page is full, its last line is the command for the \
                next one.
                """
        )

        @Argument(help: ArgumentHelp("The workflow.", valueName: "workflow")) var workflow: String

        @Argument(help: ArgumentHelp("The trigger key (cron:SCHEDULE@ZONE).", valueName: "key")) var key: String?

        @Option(help: ArgumentHelp("Only slots scheduled before this RFC 3339 time (the next page).", valueName: "time"))
        var before: String?

        @Option(help: ArgumentHelp("At most this many slots (1-1000, default 50).", valueName: "n")) var limit: Int?

        @OptionGroup var options: GlobalOptions

        /// The daemon's page size when `--limit` is not given.
        static let defaultLimit = 50

        func validate() throws {
            if let before, Timestamp.parse(before) == nil {
                throw ValidationError("--before must be an RFC 3339 time such as 2026-01-15T08:00:00Z, got '\(before)'")
            }
            if let limit, !(1...1000).contains(limit) {
                throw ValidationError("--limit must be between 1 and 1000, got \(limit)")
            }
        }

        func run() async throws {
            let connection = self.options.connection()
            var key = self.key ?? ""
            if self.key == nil { key = try Self.onlyKey(of: self.workflow, in: try await connection.json(.schedules)) }
            let slots = try await connection.json(
                .scheduleLedger(workflow: self.workflow, trigger: key, before: self.before, limit: self.limit)
            )
            if self.options.json { return self.options.printJSON(slots) }
            let list = slots.arrayValue ?? []
            var text = Self.render(list, palette: CtlContext.current.palette)
            if list.count >= (self.limit ?? Self.defaultLimit), let last = list.last?["scheduled_at"]?.stringValue {
                text += "next page: \(Self.command(workflow: self.workflow, key: key, before: last, limit: self.limit))\n"
            }
            CtlContext.current.console.out(text)
        }

        /// The key of the workflow's only cron trigger, from a `GET /v1/schedules` answer.
        static func onlyKey(of workflow: String, in schedules: JSONValue) throws(CtlFailure) -> String {
            let keys = (schedules.arrayValue ?? []).filter { $0["workflow"]?.stringValue == workflow }
                .compactMap { $0["trigger"]?.stringValue }
            switch keys.count {
            case 1: return keys[0]
            case 0: throw CtlFailure.failed("workflow '\(workflow)' has no cron trigger loaded; give its trigger key")
            default:
                let list = keys.map { "'\($0)'" }.joined(separator: ", ")
                throw CtlFailure.usage("workflow '\(workflow)' has \(keys.count) cron triggers; give one key: \(list)")
            }
        }

        /// The command line that shows the same page, quoted for a shell.
        static func command(workflow: String, key: String, before: String?, limit: Int?) -> String {
            var words = ["triggerctl", "schedules", "ledger", Self.shellWord(workflow), Self.shellWord(key)]
            if let before { words += ["--before", before] }
            if let limit { words += ["--limit", String(limit)] }
            return words.joined(separator: " ")
        }

        /// The slots as a table, newest first as the daemon sends them.
        static func render(_ slots: [JSONValue], palette: Palette) -> String {
            guard !slots.isEmpty else { return "no slots recorded\n" }
            var table = TextTable(["SCHEDULED", "OUTCOME", "RUN", "LATE", "REASON"])
            table.rightAligned = [3]
            for slot in slots {
                table.add([
                    slot["scheduled_at"]?.stringValue.map { HumanTime.timestamp($0) } ?? "",
                    slot["outcome"]?.stringValue ?? "",
                    slot["run_id"]?.stringValue ?? "-",
                    slot["lateness_seconds"]?.doubleValue.map { HumanTime.duration($0) } ?? "-",
                    slot["reason"]?.stringValue ?? "",
                ])
            }
            return table.render(palette)
        }

        private static func shellWord(_ text: String) -> String {
            let safe = text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-._/:=@+,".unicodeScalars.contains($0)) }
            return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }
}

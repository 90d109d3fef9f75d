import ArgumentParser
import Engine
import Foundation

extension TriggerCtl {
    /// `triggerctl schedules`: every cron trigger with its next fire, last fire and lateness;
    /// `triggerctl schedules ledger WORKFLOW [KEY]`: one trigger's slots and why each did or did not fire.
    struct Schedules: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every cron trigger: next fire, last fire, and how late the last fire was.",
            subcommands: [List.self, Ledger.self],
            defaultSubcommand: List.self
        )
    }
}

extension TriggerCtl.Schedules {
    /// `triggerctl schedules [list]`: the table of cron triggers.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every cron trigger: next fire, last fire, and how late the last fire was (the default)."
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let connection = self.options.connection()
            let reply = try await connection.send(.schedules)
            let schedules: JSONValue
            if reply.isMissingRoute {
                // A daemon without GET /v1/schedules still lists triggers with their next fire.
                schedules = TriggerCtl.Schedules.fromWorkflows(try await connection.json(.workflows))
            } else {
                schedules = try reply.json()
            }
            if self.options.json { return self.options.printJSON(schedules) }
            CtlContext.current.console.out(
                TriggerCtl.Schedules.render(schedules.arrayValue ?? [], palette: CtlContext.current.palette)
            )
        }
    }
}

extension TriggerCtl.Schedules {
    /// `[{"workflow", "trigger", "schedule", "timezone", "next"}]` from a `GET /v1/workflows` answer.
    static func fromWorkflows(_ workflows: JSONValue) -> JSONValue {
        var entries: [JSONValue] = []
        for workflow in workflows.arrayValue ?? [] {
            for (index, trigger) in (workflow["triggers"]?.arrayValue ?? []).enumerated()
            where trigger["type"]?.stringValue == "cron" {
                var entry: [String: JSONValue] = [
                    "workflow": workflow["name"] ?? .null,
                    "trigger": trigger["id"] ?? .string("cron[\(index)]"),
                ]
                for key in ["schedule", "timezone", "next"] { entry[key] = trigger[key] }
                entries.append(.object(entry))
            }
        }
        return .array(entries)
    }

    /// A table of schedules; `LATENESS` is how long after its nominal time the last fire happened.
    static func render(_ schedules: [JSONValue], palette: Palette) -> String {
        guard !schedules.isEmpty else { return "no cron triggers\n" }
        var table = TextTable(["WORKFLOW", "SCHEDULE", "TIMEZONE", "NEXT", "LAST", "LATENESS"])
        table.rightAligned = [5]
        for entry in schedules {
            let scheduled = entry["last_scheduled_at"]?.stringValue
            let fired = entry["last_fired_at"]?.stringValue
            var lateness = entry["lateness_seconds"]?.doubleValue
            if lateness == nil, let scheduled, let fired {
                lateness = HumanTime.elapsed(from: scheduled, to: fired, now: Date())
            }
            table.add([
                entry["workflow"]?.stringValue ?? "",
                entry["schedule"]?.stringValue ?? entry["trigger"]?.stringValue ?? "",
                entry["timezone"]?.stringValue ?? "",
                entry["next"]?.stringValue.map { HumanTime.timestamp($0) } ?? "-",
                (fired ?? scheduled).map { HumanTime.timestamp($0) } ?? "never",
                lateness.map { HumanTime.duration($0) } ?? "-",
            ])
        }
        return table.render(palette)
    }
}

extension TriggerCtl {
    /// `triggerctl deliveries [--workflow NAME]`: recent webhook deliveries and what became of them.
    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List recent webhook deliveries and what became of them."
        )

        @Option(help: ArgumentHelp("Only deliveries to this workflow.", valueName: "name")) var workflow: String?

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let deliveries = try await self.options.connection().json(.deliveries(workflow: self.workflow))
            if self.options.json { return self.options.printJSON(deliveries) }
            CtlContext.current.console.out(
                Self.render(deliveries.arrayValue ?? [], palette: CtlContext.current.palette)
            )
        }

        /// A table of deliveries, newest first as the daemon sends them.
        static func render(_ deliveries: [JSONValue], palette: Palette) -> String {
            guard !deliveries.isEmpty else { return "no deliveries\n" }
            var table = TextTable(["ID", "WORKFLOW", "RECEIVED", "OUTCOME", "RUN", "RUN STATUS", "DETAIL"])
            for delivery in deliveries {
                let outcome = delivery["outcome"]?.stringValue ?? delivery["status"]?.stringValue ?? ""
                // The run's status now (it may have ended since the delivery); "-" when no run was started.
                let runStatus: TextTable.Cell =
                    delivery["run_status"]?.stringValue.map { status in
                        TextTable.Cell(
                            Palette.mark(forStatus: status).symbol + " " + status,
                            rendered: palette.mark(status) + " " + palette.status(status)
                        )
                    } ?? "-"
                table.add([
                    TextTable.Cell(delivery["id"]?.stringValue ?? delivery["delivery_id"]?.stringValue ?? ""),
                    TextTable.Cell(delivery["workflow"]?.stringValue ?? ""),
                    TextTable.Cell(delivery["received_at"]?.stringValue.map { HumanTime.timestamp($0) } ?? ""),
                    TextTable.Cell(outcome),
                    TextTable.Cell(delivery["run_id"]?.stringValue ?? "-"),
                    runStatus,
                    TextTable.Cell(RunView.errorText(delivery["error"]) ?? delivery["reason"]?.stringValue ?? ""),
                ])
            }
            return table.render(palette)
        }
    }
}

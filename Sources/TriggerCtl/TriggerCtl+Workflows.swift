import ArgumentParser
import Engine

extension TriggerCtl {
    /// `triggerctl workflows [NAME]`, `workflows versions NAME`, `workflows diff NAME FROM TO`.
    struct Workflows: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List loaded workflows, show one, list its stored versions or diff two of them.",
            discussion: """
                `triggerctl workflows NAME` shows one workflow; a workflow named like a subcommand is shown with \
                `triggerctl workflows show NAME`.
                """,
            subcommands: [Show.self, Versions.self, Diff.self],
            defaultSubcommand: Show.self
        )
    }
}

extension TriggerCtl.Workflows {
    /// `triggerctl workflows [show] [NAME]`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List loaded workflows, or show one: its triggers, steps, version, file and load error."
        )

        @Argument(help: ArgumentHelp("Show only this workflow, in detail.", valueName: "name")) var name: String?

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let context = CtlContext.current
            let connection = self.options.connection()
            if let name = self.name {
                let workflow = try await connection.json(.workflow(name))
                if self.options.json { return self.options.printJSON(workflow) }
                return context.console.out(Self.renderOne(workflow, palette: context.palette))
            }
            let workflows = try await connection.json(.workflows)
            if self.options.json { return self.options.printJSON(workflows) }
            context.console.out(Self.renderList(workflows.arrayValue ?? [], palette: context.palette))
        }

        /// One row per workflow; files that failed to load are marked and their messages follow.
        static func renderList(_ workflows: [JSONValue], palette: Palette) -> String {
            guard !workflows.isEmpty else { return "no workflows loaded\n" }
            var table = TextTable(["NAME", "STATE", "TRIGGERS", "STEPS", "VERSION", "FILE"])
            for workflow in workflows {
                let failed = Self.loadError(workflow) != nil
                let types = (workflow["triggers"]?.arrayValue ?? []).compactMap { $0["type"]?.stringValue }
                table.add([
                    TextTable.Cell(workflow["name"]?.stringValue ?? ""),
                    failed
                        ? TextTable.Cell("load error", rendered: palette.paint("load error", .red))
                        : TextTable.Cell("ok"),
                    TextTable.Cell(types.isEmpty ? "-" : types.joined(separator: ",")),
                    TextTable.Cell(String(workflow["steps"]?.arrayValue?.count ?? 0)),
                    TextTable.Cell(Self.shortVersion(workflow["version"]?.stringValue)),
                    TextTable.Cell(workflow["file"]?.stringValue ?? ""),
                ])
            }
            var out = table.render(palette)
            for workflow in workflows {
                guard let error = Self.loadError(workflow) else { continue }
                out +=
                    "\n" + palette.paint(workflow["file"]?.stringValue ?? workflow["name"]?.stringValue ?? "?", .red)
                    + "\n"
                for line in error.split(separator: "\n") { out += "  \(line)\n" }
            }
            return out
        }

        /// Every field of one workflow, with a table of its triggers.
        static func renderOne(_ workflow: JSONValue, palette: Palette) -> String {
            var facts = TextTable([])
            facts.add(["name", workflow["name"]?.stringValue ?? ""])
            if let description = workflow["description"]?.stringValue, !description.isEmpty {
                facts.add(["description", description])
            }
            facts.add(["file", workflow["file"]?.stringValue ?? ""])
            facts.add(["version", workflow["version"]?.stringValue ?? "(never loaded)"])
            let steps = (workflow["steps"]?.arrayValue ?? []).compactMap(\.stringValue)
            facts.add(["steps", steps.isEmpty ? "none" : steps.joined(separator: ", ")])
            var out = facts.render(palette)
            let triggers = workflow["triggers"]?.arrayValue ?? []
            out += "\n" + palette.paint("triggers", .bold) + "\n"
            if triggers.isEmpty {
                out += "  none (manual runs only)\n"
            } else {
                var table = TextTable(["TYPE", "DETAIL", "NEXT"])
                for trigger in triggers {
                    table.add([
                        trigger["type"]?.stringValue ?? "?",
                        Self.detail(trigger),
                        trigger["next"]?.stringValue.map { HumanTime.timestamp($0) } ?? "",
                    ])
                }
                out += table.render(palette)
            }
            if let error = Self.loadError(workflow) {
                out += "\n" + palette.paint("load error", .red) + " (the version above stays active)\n"
                for line in error.split(separator: "\n") { out += "  \(line)\n" }
            }
            return out
        }

        /// What a trigger listens to: `0 9 * * * (Europe/Paris)`, `POST /hooks/deploy (github)`, `order.*`.
        static func detail(_ trigger: JSONValue) -> String {
            switch trigger["type"]?.stringValue {
            case "cron":
                let schedule = trigger["schedule"]?.stringValue ?? ""
                return trigger["timezone"]?.stringValue.map { "\(schedule) (\($0))" } ?? schedule
            case "webhook":
                var text = "\(trigger["method"]?.stringValue ?? "POST") \(trigger["path"]?.stringValue ?? "")"
                if let scheme = trigger["verify"]?["scheme"]?.stringValue ?? trigger["scheme"]?.stringValue {
                    text += " (\(scheme))"
                }
                if let event = trigger["emit"]?.stringValue { text += " → event \(event)" }
                return text
            case "event":
                return trigger["name"]?.stringValue ?? trigger["event"]?.stringValue ?? ""
            default:
                return ""
            }
        }

        static func loadError(_ workflow: JSONValue) -> String? {
            guard let error = workflow["load_error"]?.stringValue, !error.isEmpty else { return nil }
            return error
        }

        /// Content hashes are long; 12 characters identify a version in practice.
        static func shortVersion(_ version: String?) -> String {
            guard let version else { return "-" }
            return String(version.prefix(12))
        }
    }
}

import ArgumentParser
import Engine

extension TriggerCtl.Workflows {
    /// `triggerctl workflows versions NAME`: the stored versions of a workflow, newest first.
    struct Versions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the stored versions of a workflow, newest first; the one running now is marked."
        )

        @Argument(help: ArgumentHelp("The workflow.", valueName: "name")) var name: String

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let context = CtlContext.current
            let versions = try await self.options.connection().json(.workflowVersions(self.name))
            if self.options.json { return self.options.printJSON(versions) }
            context.console.out(Self.render(versions.arrayValue ?? [], palette: context.palette))
        }

        static func render(_ versions: [JSONValue], palette: Palette) -> String {
            guard !versions.isEmpty else { return "no stored versions\n" }
            var table = TextTable(["VERSION", "FIRST LOADED", "FILE", ""])
            for version in versions {
                let current = version["current"]?.boolValue == true
                table.add([
                    TextTable.Cell(Show.shortVersion(version["version"]?.stringValue)),
                    TextTable.Cell(version["first_loaded_at"]?.stringValue.map { HumanTime.timestamp($0) } ?? ""),
                    TextTable.Cell(version["file"]?.stringValue ?? ""),
                    current ? TextTable.Cell("current", rendered: palette.paint("current", .green)) : TextTable.Cell(""),
                ])
            }
            return table.render(palette)
        }
    }

    /// `triggerctl workflows diff NAME FROM TO`: a unified diff of two stored versions' sources.
    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what changed between two stored versions of a workflow, as a unified diff.",
            discussion: "FROM and TO are versions as `workflows versions` lists them (a unique prefix is enough)."
        )

        @Argument(help: ArgumentHelp("The workflow.", valueName: "name")) var name: String
        @Argument(help: ArgumentHelp("The older version.", valueName: "from")) var from: String
        @Argument(help: ArgumentHelp("The newer version.", valueName: "to")) var to: String

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let context = CtlContext.current
            let connection = self.options.connection()
            let old = try await connection.json(.workflowVersion(self.name, self.from))
            let new = try await connection.json(.workflowVersion(self.name, self.to))
            let diff = LineDiff(old: old["source"]?.stringValue ?? "", new: new["source"]?.stringValue ?? "")
            if self.options.json {
                return self.options.printJSON([
                    "from": .string(old["version"]?.stringValue ?? self.from),
                    "to": .string(new["version"]?.stringValue ?? self.to),
                    "added": .number(Double(diff.added)), "removed": .number(Double(diff.removed)),
                    "diff": .string(Self.unified(diff, old: old, new: new)),
                ])
            }
            let text = Self.unified(diff, old: old, new: new)
            guard !text.isEmpty else { return context.say("the two versions have the same lines") }
            context.console.out(Self.paint(text, palette: context.palette))
        }

        /// `--- NAME@FROM (file)` / `+++ NAME@TO (file)` and the hunks.
        static func unified(_ diff: LineDiff, old: JSONValue, new: JSONValue) -> String {
            func label(_ version: JSONValue) -> String {
                let name = version["name"]?.stringValue ?? "?"
                let short = Show.shortVersion(version["version"]?.stringValue)
                return "\(name)@\(short) (\(version["file"]?.stringValue ?? "?"))"
            }
            return diff.unified(oldName: label(old), newName: label(new))
        }

        /// Removed lines red, added green, hunk headers cyan (on a terminal only, as the palette decides).
        static func paint(_ text: String, palette: Palette) -> String {
            var out = ""
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                let line = String(line)
                if line.hasPrefix("@@") {
                    out += palette.paint(line, .cyan)
                } else if line.hasPrefix("---") || line.hasPrefix("+++") {
                    out += palette.paint(line, .bold)
                } else if line.hasPrefix("-") {
                    out += palette.paint(line, .red)
                } else if line.hasPrefix("+") {
                    out += palette.paint(line, .green)
                } else {
                    out += line
                }
                out += "\n"
            }
            return out
        }
    }
}

import ArgumentParser
import Engine
import Foundation

extension TriggerCtl {
    /// `triggerctl status`: version, uptime, counts, load errors and the next fires.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the daemon's version, uptime, run counts, load errors and next fire times."
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let status = try await self.options.connection().json(.status)
            if self.options.json { return self.options.printJSON(status) }
            CtlContext.current.console.out(Self.render(status, palette: CtlContext.current.palette))
        }

        /// The human view of a `GET /v1/status` answer.
        static func render(_ status: JSONValue, palette: Palette) -> String {
            var head = "triggerd \(status["version"]?.stringValue ?? "(unknown version)")"
            if let uptime = status["uptime_seconds"]?.doubleValue { head += ", up \(HumanTime.duration(uptime))" }
            if let since = status["started_at"]?.stringValue { head += " (since \(HumanTime.timestamp(since)))" }
            var facts = TextTable([])
            if let socket = status["socket"]?.stringValue { facts.add(["socket", socket]) }
            if let listen = status["listen"]?.stringValue { facts.add(["listen", listen]) }
            let loadErrors = status["load_errors"]?.arrayValue ?? []
            var workflows = "\(status["workflows_loaded"]?.intValue ?? 0) loaded"
            if !loadErrors.isEmpty {
                workflows += ", \(Self.count(loadErrors.count, "file")) with errors"
            }
            facts.add(["workflows", workflows])
            facts.add(["runs", Self.runCounts(status["run_counts"] ?? status["runs"])])
            facts.add(["approvals", "\(status["pending_approvals"]?.intValue ?? 0) pending"])
            var out = head + "\n" + facts.render(palette)
            if !loadErrors.isEmpty {
                out += "\n" + palette.paint("load errors", .bold) + "\n"
                for error in loadErrors {
                    let file = error["file"]?.stringValue ?? "?"
                    let message = error["message"]?.stringValue ?? ""
                    out += "  " + palette.paint(file, .red) + "\n"
                    for line in message.split(separator: "\n") { out += "    \(line)\n" }
                }
            }
            if let problem = status["secrets_error"]?.stringValue {
                out += "\n" + palette.paint("secrets not reloaded", .bold) + "\n  " + palette.paint(problem, .red) + "\n"
            }
            let fires = status["next_fires"]?.arrayValue ?? []
            if !fires.isEmpty {
                var table = TextTable(["WORKFLOW", "TRIGGER", "NEXT"])
                for fire in fires {
                    table.add([
                        fire["workflow"]?.stringValue ?? "",
                        fire["trigger"]?.stringValue ?? fire["trigger"].map { $0.jsonString() } ?? "",
                        fire["next"]?.stringValue.map { HumanTime.timestamp($0) } ?? "",
                    ])
                }
                out += "\n" + palette.paint("next fires", .bold) + "\n" + table.render(palette)
            }
            return out
        }

        /// `2 running, 1 waiting`, in the order of SPEC §7, zero counts left out; `none` when all are zero.
        static func runCounts(_ counts: JSONValue?) -> String {
            let order = RunStatus.allCases.map(\.rawValue)
            let fields = counts?.objectValue ?? [:]
            let known = order.compactMap { name in
                fields[name]?.intValue.flatMap { $0 > 0 ? "\($0) \(name)" : nil }
            }
            let others = fields.keys.sorted().filter { !order.contains($0) }.compactMap { name in
                fields[name]?.intValue.flatMap { $0 > 0 ? "\($0) \(name)" : nil }
            }
            let parts = known + others
            return parts.isEmpty ? "none" : parts.joined(separator: ", ")
        }

        static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
    }

    /// `triggerctl reload`: re-read the secrets and rescan the workflows directory.
    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-read the secrets and rescan the workflows directory; exits 1 when either was refused."
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let context = CtlContext.current
            let report = try await self.options.connection().json(.reload)
            let errors = report["errors"]?.arrayValue ?? []
            if self.options.json {
                self.options.printJSON(report)
            } else {
                var line = "reloaded: \(report["loaded"]?.intValue ?? 0) workflows loaded"
                for key in ["changed", "removed"] {
                    let names = (report[key]?.arrayValue ?? []).compactMap(\.stringValue)
                    line += names.isEmpty ? ", none \(key)" : ", \(key): \(names.joined(separator: ", "))"
                }
                context.say(line)
                for error in errors {
                    context.warn(error["message"]?.stringValue ?? error.jsonString())
                }
                // Warnings of the files just loaded; they load anyway, so they never change the exit code.
                for warning in report["warnings"]?.arrayValue ?? [] {
                    context.warn(warning["message"]?.stringValue ?? warning.jsonString())
                }
            }
            var problems: [String] = []
            if let secrets = report["secrets_error"]?.stringValue { problems.append("secrets not reloaded: \(secrets)") }
            if !errors.isEmpty {
                problems.append(
                    "\(Status.count(errors.count, "file")) failed to load (their previous versions stay active)")
            }
            if !problems.isEmpty { throw CtlFailure.failed(problems.joined(separator: "; ")) }
        }
    }

    /// `triggerctl backup FILE`: a consistent copy of the daemon's database.
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Have the daemon write a consistent copy of its database to FILE.",
            discussion: "FILE is written by the daemon, so it must be a path the daemon's user can write."
        )

        @Argument(help: ArgumentHelp("Where the copy goes; relative paths are resolved here.", valueName: "file"))
        var file: String

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let path = Self.absolute(self.file, in: CtlContext.current.workingDirectory)
            let answer = try await self.options.connection().json(.backup(path: path))
            if self.options.json { return self.options.printJSON(answer) }
            var line = "backup written to \(answer["path"]?.stringValue ?? path)"
            if let bytes = answer["bytes"]?.intValue { line += " (\(bytes) bytes)" }
            CtlContext.current.say(line)
        }

        /// `path` made absolute against `directory`, with `.` and `..` resolved.
        static func absolute(_ path: String, in directory: String) -> String {
            let joined = path.hasPrefix("/") ? path : directory + "/" + path
            var parts: [Substring] = []
            for part in joined.split(separator: "/") {
                if part == "." { continue }
                if part == ".." {
                    _ = parts.popLast()
                } else {
                    parts.append(part)
                }
            }
            return "/" + parts.joined(separator: "/")
        }
    }
}

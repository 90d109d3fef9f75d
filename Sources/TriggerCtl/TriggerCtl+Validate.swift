import ArgumentParser
import Engine

extension TriggerCtl {
    /// `triggerctl validate PATH...`: the daemon's loader and checks, offline.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check workflow files (and directories of them) without a daemon; exits 1 on any error.",
            discussion: "Diagnostics go to stderr as file:line:col: error: ... lines (and warning: lines, which do not "
                + "fail a file); good files print ok: PATH (name)."
        )

        @Argument(help: ArgumentHelp("Workflow files or directories.", valueName: "path")) var paths: [String]

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try Self.report(WorkflowValidator.validate(paths: self.paths), paths: self.paths, json: self.options.json)
        }

        /// Prints the results (diagnostics on stderr, `ok:` lines or JSON on stdout).
        ///
        /// - Throws: exit 1 when any file has an error or no file was found.
        static func report(_ results: [ValidationResult], paths: [String], json: Bool) throws(CtlFailure) {
            let context = CtlContext.current
            if json {
                context.say(Self.json(results).jsonString(pretty: true))
            } else {
                for result in results {
                    for warning in result.warnings { context.warn(warning) }
                    if result.diagnostics.isEmpty {
                        context.say("ok: \(result.path)" + (result.workflowName.map { " (\($0))" } ?? ""))
                    } else {
                        for diagnostic in result.diagnostics { context.warn(diagnostic) }
                    }
                }
            }
            if results.isEmpty {
                throw .failed("no workflow files found in \(paths.joined(separator: ", "))")
            }
            let failed = results.filter { !$0.diagnostics.isEmpty }.count
            if failed > 0 {
                throw .failed("\(failed) of \(results.count) workflow files have errors")
            }
        }

        /// `[{"path", "workflow", "ok", "diagnostics": [...]}]`.
        static func json(_ results: [ValidationResult]) -> JSONValue {
            .array(
                results.map { result in
                    .object([
                        "path": .string(result.path),
                        "workflow": result.workflowName.map { .string($0) } ?? .null,
                        "ok": .bool(result.diagnostics.isEmpty),
                        "diagnostics": .array(result.diagnostics.map { .string($0) }),
                        "warnings": .array(result.warnings.map { .string($0) }),
                    ])
                }
            )
        }
    }
}

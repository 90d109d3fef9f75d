import ArgumentParser
import Engine
import Foundation

extension TriggerCtl {
    /// `triggerctl run NAME [--input JSON|@FILE] [--wait]`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a manual run of a workflow.",
            discussion: """
                With --wait, follow the run until it ends: exit 0 when it completed, 1 when it failed or was \
                cancelled.
                """
        )

        @Argument(help: ArgumentHelp("The workflow to run.", valueName: "name")) var workflow: String

        @Option(help: ArgumentHelp("The run's inputs: a JSON object, @FILE or @- for stdin.", valueName: "json"))
        var input: String?

        @Flag(help: "Follow the run's events until it ends.") var wait = false

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let context = CtlContext.current
            let input = try self.input.map { value throws(CtlFailure) in
                try InputArgument.json(value, option: "--input")
            }
            if let input, input.objectValue == nil {
                throw CtlFailure.usage("--input must be a JSON object, not a \(input.typeName)")
            }
            let connection = self.options.connection()
            let answer = try await connection.json(.startRun(workflow: self.workflow, input: input ?? .object([:])))
            guard let runID = answer["run_id"]?.stringValue else {
                throw CtlFailure.failed("the daemon started a run but did not say its id: \(answer.jsonString())")
            }
            guard self.wait else {
                if self.options.json { return self.options.printJSON(answer) }
                return context.say("started run \(runID) of \(self.workflow)")
            }
            let json = self.options.json
            let palette = context.palette
            if !json { context.say("started run \(runID) of \(self.workflow); following it") }
            let final = try await RunFollower(connection: connection, runID: runID).follow { event in
                if !json { context.say(EventLine.render(event, showRun: false, palette: palette)) }
            }
            if json {
                self.options.printJSON(final)
            } else if RunFollower.outcome(final) == nil {
                let took = HumanTime.elapsed(
                    from: final["started_at"]?.stringValue,
                    to: final["ended_at"]?.stringValue,
                    now: context.now()
                )
                context.say("run \(runID) completed" + (took.map { " in \(HumanTime.duration($0))" } ?? ""))
            }
            if let failure = RunFollower.outcome(final) { throw failure }
        }
    }

    /// `triggerctl runs [--workflow NAME] [--status S] [--trigger KIND] [--limit N] [--before RUN|TIME]`.
    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, newest first.")

        @Option(help: ArgumentHelp("Only runs of this workflow.", valueName: "name")) var workflow: String?

        @Option(
            help: ArgumentHelp(
                "Only runs with this status (\(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))).",
                valueName: "status"
            )
        )
        var status: String?

        @Option(
            help: ArgumentHelp(
                "Only runs started this way (\(TriggerKind.names)); a retry or a replay is its own kind.",
                valueName: "kind"
            )
        )
        var trigger: String?

        @Option(help: ArgumentHelp("At most this many runs (1-1000, default 50).", valueName: "n")) var limit: Int?

        @Option(
            help: ArgumentHelp(
                "Only runs created before this run (an id) or this RFC 3339 time; the next page of a listing.",
                valueName: "run|time"
            )
        )
        var before: String?

        @OptionGroup var options: GlobalOptions

        /// The daemon's page size when `--limit` is not given.
        static let defaultLimit = 50

        func validate() throws {
            if let status, RunStatus(rawValue: status) == nil {
                let known = RunStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("unknown status '\(status)'; expected one of: \(known)")
            }
            if let trigger, TriggerKind(rawValue: trigger) == nil {
                throw ValidationError("unknown trigger kind '\(trigger)'; expected one of: \(TriggerKind.names)")
            }
            if let limit, !(1...1000).contains(limit) {
                throw ValidationError("--limit must be between 1 and 1000, got \(limit)")
            }
        }

        /// The request these options make.
        var request: ControlRequest {
            .runs(workflow: self.workflow, status: self.status, trigger: self.trigger, limit: self.limit, before: self.before)
        }

        func run() async throws {
            let runs = try await self.options.connection().json(self.request)
            if self.options.json { return self.options.printJSON(runs) }
            let context = CtlContext.current
            let list = runs.arrayValue ?? []
            var text = Self.render(list, palette: context.palette, now: context.now())
            if list.count >= (self.limit ?? Self.defaultLimit), let last = list.last?["id"]?.stringValue {
                text += "next page: \(self.nextPageCommand(before: last))\n"
            }
            context.console.out(text)
        }

        /// The command that lists the page after this one: the same filters, before the last run shown.
        func nextPageCommand(before last: String) -> String {
            var words = ["triggerctl", "runs"]
            if let workflow { words += ["--workflow", workflow] }
            if let status { words += ["--status", status] }
            if let trigger { words += ["--trigger", trigger] }
            if let limit { words += ["--limit", String(limit)] }
            words += ["--before", last]
            return words.joined(separator: " ")
        }

        /// What started the run, as `--trigger` names it: a retry or a replay shows as such, not as the type its
        /// trigger kept.
        static func kind(_ trigger: JSONValue?) -> String {
            guard let trigger, trigger["type"] != nil else { return "" }
            return TriggerKind.of(trigger: trigger, retryOf: trigger["retry_of"]?.stringValue)
        }

        /// The runs as a table, or `no runs` when there are none.
        static func render(_ runs: [JSONValue], palette: Palette, now: Date) -> String {
            guard !runs.isEmpty else { return "no runs\n" }
            var table = TextTable(["ID", "WORKFLOW", "STATUS", "TRIGGER", "CREATED", "DURATION"])
            for run in runs {
                let status = run["status"]?.stringValue ?? "unknown"
                let ended = run["ended_at"]?.stringValue
                let took = HumanTime.elapsed(from: run["started_at"]?.stringValue, to: ended, now: now)
                table.add([
                    TextTable.Cell(run["id"]?.stringValue ?? ""),
                    TextTable.Cell(run["workflow"]?.stringValue ?? ""),
                    TextTable.Cell(
                        Palette.mark(forStatus: status).symbol + " " + status,
                        rendered: palette.mark(status) + " " + palette.status(status)
                    ),
                    TextTable.Cell(Self.kind(run["trigger"])),
                    TextTable.Cell(run["created_at"]?.stringValue.map { HumanTime.timestamp($0) } ?? ""),
                    TextTable.Cell(took.map { HumanTime.duration($0) + (ended == nil ? "…" : "") } ?? ""),
                ])
            }
            return table.render(palette)
        }
    }

    /// `triggerctl show RUN`: the run's graph, errors and decisions.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show one run: its steps as a graph with status, attempts and duration, then errors and approvals."
        )

        @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runID: String

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let run = try await self.options.connection().json(.run(self.runID))
            if self.options.json { return self.options.printJSON(run) }
            let context = CtlContext.current
            context.console.out(RunView.render(run, palette: context.palette, now: context.now()))
        }
    }

    /// `triggerctl cancel RUN`.
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a run.")

        @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runID: String

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let answer = try await self.options.connection().json(.cancel(self.runID))
            if self.options.json { return self.options.printJSON(answer) }
            CtlContext.current.say("cancelled run \(self.runID)")
        }
    }

    /// `triggerctl retry RUN`: a new run from the failed step, keeping earlier outputs.
    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a new run from a failed run's failed step, keeping the outputs of the steps before it."
        )

        @Argument(help: ArgumentHelp("The failed run's id.", valueName: "run")) var runID: String

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let answer = try await self.options.connection().json(.retry(self.runID))
            if self.options.json { return self.options.printJSON(answer) }
            if let newID = answer["run_id"]?.stringValue {
                CtlContext.current.say("retrying run \(self.runID) as run \(newID)")
            } else {
                CtlContext.current.say("retrying run \(self.runID)")
            }
        }
    }
}

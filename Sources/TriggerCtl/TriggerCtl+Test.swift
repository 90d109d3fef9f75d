import ArgumentParser
import Engine
import Foundation
import Steps

extension TriggerCtl {
    /// `triggerctl test FILE [--trigger @FILE] [--mock STEP=@FILE]... [--clock TIME]`: one run of a workflow file
    /// in-process, no daemon (SPEC §9).
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a workflow file offline against a temporary store, with mocked steps and a fixed clock.",
            discussion: """
                The real step types run unless mocked: mock steps that reach other systems. Delays, retry back-offs \
                and wait deadlines resolve at once by moving the fixed clock. Prints the run graph and each step's \
                output; exits 1 when the run fails or waits on something nothing offline can end.
                """
        )

        @Argument(help: ArgumentHelp("The workflow file (YAML or JSON).", valueName: "file")) var file: String

        @Option(
            help: ArgumentHelp(
                "The trigger as JSON, @FILE or @- (default: {\"type\": <first trigger type>}).",
                valueName: "json"
            )
        )
        var trigger: String?

        @Option(help: ArgumentHelp("The run's input as JSON, @FILE or @- (default {}).", valueName: "json"))
        var input: String?

        @Option(
            name: .customLong("mock"),
            help: ArgumentHelp(
                "STEP=JSON or STEP=@FILE: the step answers with this output instead of running.",
                valueName: "step=json"
            )
        )
        var mocks: [String] = []

        @Option(
            name: .customLong("fail"),
            help: ArgumentHelp(
                "STEP=MESSAGE: the step fails with this message instead of running.",
                valueName: "step=message"
            )
        )
        var failures: [String] = []

        @Option(help: ArgumentHelp("The fixed start time, RFC 3339 (default: now).", valueName: "time"))
        var clock: String?

        @Option(
            help: ArgumentHelp("A triggerd.yaml for smtp, llm, databases, env_allow and timezone.", valueName: "file")
        )
        var config: String?

        @Option(
            help: ArgumentHelp(
                "A secrets file (NAME=value lines, mode 0600); without it secrets.* are null.",
                valueName: "file"
            )
        )
        var secrets: String?

        @OptionGroup var options: GlobalOptions

        func validate() throws {
            if let clock, Timestamp.parse(clock) == nil {
                throw ValidationError("--clock must be an RFC 3339 time such as 2026-01-01T09:00:00Z, got '\(clock)'")
            }
        }

        func run() async throws {
            let context = CtlContext.current
            let setup = try self.prepare(context)
            let start = self.clock.flatMap { Timestamp.parse($0) } ?? context.now()
            let offline = OfflineRun(
                definition: setup.definition,
                registry: setup.registry,
                clock: ManualClock(now: start),
                secrets: setup.secrets,
                env: setup.env
            )
            let outcome: OfflineRun.Outcome
            do {
                outcome = try await offline.perform(trigger: setup.trigger, input: setup.input)
            } catch let error as EngineError {
                throw CtlFailure.failed("cannot start the run: \(error.message)")
            }
            let run = outcome.record.json(includeSteps: true)
            if self.options.json {
                self.options.printJSON(run)
            } else {
                TestReport.print(run, outcome: outcome, file: self.file, mocked: setup.mocked, context: context)
            }
            if let stuck = outcome.stuck {
                throw CtlFailure.failed(
                    "the run is \(outcome.record.status.rawValue) on \(stuck) and nothing offline can end the wait; "
                        + "mock it with --mock STEP=@FILE"
                )
            }
            if outcome.record.status != .completed {
                throw CtlFailure.failed(
                    "run \(outcome.record.status.rawValue): \(outcome.record.error ?? "no error recorded")"
                )
            }
        }

        /// Everything the run needs, read and checked before anything runs.
        struct Setup {
            var definition: WorkflowDefinition
            var registry: StepRegistry
            var trigger: JSONValue
            var input: JSONValue
            var secrets: [String: String]
            var env: [String: String]
            var mocked: [String]
        }

        private func prepare(_ context: CtlContext) throws(CtlFailure) -> Setup {
            // A file that cannot be read is a wrong command line (exit 2), not a workflow that failed (exit 1).
            try Self.requireReadable(self.resolve(self.file, context), shown: self.file, what: "workflow file")
            if let path = self.config { try Self.requireReadable(self.resolve(path, context), shown: path, what: "--config file") }
            if let path = self.secrets { try Self.requireReadable(self.resolve(path, context), shown: path, what: "--secrets file") }
            var configuration = DaemonConfiguration()
            if let path = self.config {
                do {
                    configuration = try ConfigurationLoader.load(path: self.resolve(path, context))
                } catch {
                    throw .failed("--config refused:\n\(error.description)")
                }
            }
            var secrets: [String: String] = [:]
            if let path = self.secrets {
                do {
                    secrets = try SecretStore.load(file: self.resolve(path, context), credentialsDirectory: nil)
                } catch {
                    throw .failed(error.description)
                }
            }
            // Without a secrets file the names cannot be checked; with one, unknown names are errors as in the daemon.
            let loader = WorkflowLoader(
                knownSecrets: self.secrets == nil ? nil : Set(secrets.keys),
                defaultTimeZone: configuration.timezone
            )
            let definition: WorkflowDefinition
            do {
                definition = try loader.load(path: self.resolve(self.file, context), displayPath: self.file)
            } catch {
                for diagnostic in error.diagnostics { context.warn(diagnostic.description) }
                throw .failed("\(self.file) does not load (\(error.diagnostics.count) error(s))")
            }
            let answers = try self.answers(for: definition)
            var env: [String: String] = [:]
            for name in configuration.envAllow { env[name] = context.environment[name] }
            let base = StepLibrary.registry(
                configuration: configuration,
                secrets: secrets,
                environment: context.environment
            )
            var trigger =
                try self.trigger.map { argument throws(CtlFailure) in
                    try InputArgument.json(argument, option: "--trigger")
                }
                ?? .object([:])
            guard case .object(var fields) = trigger else { throw .usage("--trigger must be a JSON object") }
            if fields["type"] == nil { fields["type"] = .string(definition.firstTriggerType) }
            trigger = .object(fields)
            let input =
                try self.input.map { argument throws(CtlFailure) in try InputArgument.json(argument, option: "--input")
                }
                ?? .object([:])
            return Setup(
                definition: definition,
                registry: MockStepExecutor.mocking(answers, in: base, workflow: definition),
                trigger: trigger,
                input: input,
                secrets: secrets,
                env: env,
                mocked: answers.keys.sorted()
            )
        }

        /// `--mock` and `--fail` by step id; every id must name a step of the workflow.
        private func answers(for definition: WorkflowDefinition) throws(CtlFailure) -> [String: MockAnswer] {
            var answers: [String: MockAnswer] = [:]
            for (option, values) in [("--mock", self.mocks), ("--fail", self.failures)] {
                for value in values {
                    guard let eq = value.firstIndex(of: "="), eq != value.startIndex else {
                        throw .usage("\(option) takes STEP=\(option == "--mock" ? "@FILE" : "MESSAGE"), got '\(value)'")
                    }
                    let id = String(value[..<eq])
                    let rest = String(value[value.index(after: eq)...])
                    guard definition.steps[id] != nil else {
                        let hint =
                            DidYouMean.suggest(id, from: definition.stepOrder).map { " (did you mean '\($0)'?)" } ?? ""
                        throw .usage("\(option): the workflow has no step '\(id)'\(hint)")
                    }
                    guard answers[id] == nil else { throw .usage("step '\(id)' is mocked twice") }
                    answers[id] =
                        option == "--mock"
                        ? .output(try InputArgument.json(rest, option: "--mock \(id)")) : .failure(rest)
                }
            }
            return answers
        }

        /// Exit 2 naming the file when it is missing, unreadable or a directory.
        static func requireReadable(_ path: String, shown: String, what: String) throws(CtlFailure) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .usage("cannot read the \(what) '\(shown)': no such file")
            }
            if isDirectory.boolValue { throw .usage("cannot read the \(what) '\(shown)': it is a directory") }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw .usage("cannot read the \(what) '\(shown)': permission denied")
            }
        }

        private func resolve(_ path: String, _ context: CtlContext) -> String {
            path.hasPrefix("/") ? path : context.workingDirectory + "/" + path
        }
    }
}

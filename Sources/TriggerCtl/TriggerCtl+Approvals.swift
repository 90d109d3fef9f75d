import ArgumentParser
import Engine
import Foundation

extension TriggerCtl {
    /// `triggerctl approvals`: pending approvals.
    struct Approvals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the approvals runs are waiting for.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let approvals = try await self.options.connection().json(.approvals)
            if self.options.json { return self.options.printJSON(approvals) }
            let context = CtlContext.current
            context.console.out(Self.render(approvals.arrayValue ?? [], palette: context.palette, now: context.now()))
        }

        /// The approvals as a table, or `no pending approvals`.
        static func render(_ approvals: [JSONValue], palette: Palette, now: Date) -> String {
            guard !approvals.isEmpty else { return "no pending approvals\n" }
            var table = TextTable([
                "RUN", "WORKFLOW", "STEP", "WAITING", "DEADLINE", "APPROVED", "APPROVERS", "MESSAGE",
            ])
            for approval in approvals {
                let waited = HumanTime.elapsed(from: approval["since"]?.stringValue, to: nil, now: now)
                let approvedBy = (approval["approved_by"]?.arrayValue ?? []).compactMap(\.stringValue)
                let required = approval["required"]?.intValue ?? 1
                let approvers = (approval["approvers"]?.arrayValue ?? []).compactMap(\.stringValue)
                var approved = "\(approvedBy.count)/\(required)"
                if !approvedBy.isEmpty { approved += " (\(approvedBy.joined(separator: ", ")))" }
                table.add([
                    approval["run_id"]?.stringValue ?? "",
                    approval["workflow"]?.stringValue ?? "",
                    approval["step"]?.stringValue ?? "",
                    waited.map { HumanTime.duration($0) } ?? "",
                    approval["deadline"]?.stringValue.map { HumanTime.timestamp($0) } ?? "none",
                    approved,
                    approvers.isEmpty ? "anyone" : approvers.joined(separator: ", "),
                    approval["message"]?.stringValue.map { String($0.split(separator: "\n").first ?? "") } ?? "",
                ])
            }
            return table.render(palette)
        }
    }

    /// `triggerctl approve RUN [STEP] [--comment TEXT]`.
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Approve a run's pending wait_for_approval step (the step may be left out when there is only one)."
        )

        @OptionGroup var decision: DecisionArguments
        @OptionGroup var options: GlobalOptions

        func run() async throws { try await self.decision.decide(approve: true, options: self.options) }
    }

    /// `triggerctl reject RUN [STEP] [--comment TEXT]`.
    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reject a run's pending wait_for_approval step (the step may be left out when there is only one)."
        )

        @OptionGroup var decision: DecisionArguments
        @OptionGroup var options: GlobalOptions

        func run() async throws { try await self.decision.decide(approve: false, options: self.options) }
    }

    /// The arguments `approve` and `reject` share, and the decision itself.
    struct DecisionArguments: ParsableArguments {
        @Argument(help: ArgumentHelp("The run id.", valueName: "run")) var runID: String

        @Argument(
            help: ArgumentHelp("The approval step; needed only when the run waits at several.", valueName: "step")
        )
        var step: String?

        @Option(help: ArgumentHelp("A note stored with the decision.", valueName: "text")) var comment: String?

        func decide(approve: Bool, options: GlobalOptions) async throws {
            let connection = options.connection()
            var step = self.step ?? ""
            if self.step == nil { step = try await Self.onlyPendingStep(of: self.runID, connection: connection) }
            let answer = try await connection.json(
                .decide(run: self.runID, step: step, approve: approve, comment: self.comment)
            )
            if options.json { return options.printJSON(answer) }
            var line = "\(approve ? "approved" : "rejected") step \(step) of run \(self.runID)"
            if let user = answer["user"]?.stringValue { line += " as \(user)" }
            CtlContext.current.say(line)
        }

        /// The step of the run's only pending approval.
        ///
        /// - Throws: exit 1 when the run waits for none; exit 2 when it waits at several (name one).
        static func onlyPendingStep(of runID: String, connection: any DaemonConnection) async throws(CtlFailure)
            -> String
        {
            let approvals = try await connection.json(.approvals).arrayValue ?? []
            let steps = approvals.filter { $0["run_id"]?.stringValue == runID }.compactMap { $0["step"]?.stringValue }
            switch steps.count {
            case 0: throw await Self.whyNothingPending(runID, connection: connection)
            case 1: return steps[0]
            default:
                throw .usage(
                    "run \(runID) waits for approval at several steps (\(steps.joined(separator: ", "))); name one"
                )
            }
        }

        /// Why a run has nothing to approve: it does not exist, its approval was already decided, or it is not
        /// waiting for one. Falls back to a plain sentence when the run cannot be read.
        static func whyNothingPending(_ runID: String, connection: any DaemonConnection) async -> CtlFailure {
            let fallback = CtlFailure.failed("run \(runID) has no pending approval")
            guard let reply = try? await connection.send(.run(runID)) else { return fallback }
            guard reply.isSuccess else {
                // 404 with the daemon's own message: `no run with id '...'`.
                return reply.errorMessage.map { .failed($0) } ?? fallback
            }
            guard let run = try? reply.json() else { return fallback }
            let status = run["status"]?.stringValue ?? "unknown"
            if let last = run["decisions"]?.arrayValue?.last, let step = last["step"]?.stringValue {
                let verdict = last["approved"]?.boolValue == true ? "approved" : "rejected"
                let who = last["user"]?.stringValue ?? "someone"
                return .failed(
                    "run \(runID) has no pending approval: step \(step) was already decided (last \(verdict) by \(who)); the run is \(status)"
                )
            }
            return .failed("run \(runID) is not waiting for an approval (the run is \(status))")
        }
    }
}

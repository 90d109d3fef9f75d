import ArgumentParser
import Foundation

/// `triggerctl`: the operator's CLI for `triggerd` (SPEC §9).
///
/// Exit codes: 0 success; 1 the thing asked about failed (validation error, failed run, refused
/// request); 2 bad usage; 3 the daemon could not be reached.
@main
struct TriggerCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triggerctl",
        abstract: "Operate triggerd: inspect and start runs, decide approvals, emit events, check workflows.",
        discussion: """
            Every command accepts --socket PATH and --json after its name. Exit codes: 0 success, \
            1 the thing asked about failed, 2 bad usage, 3 daemon unreachable.
            """,
        subcommands: [
            Status.self, Workflows.self, Validate.self, Next.self, Test.self,
            Run.self, Runs.self, Show.self, Logs.self, Watch.self, Cancel.self, Retry.self,
            Approvals.self, Approve.self, Reject.self,
            Emit.self, Schedules.self, Deliveries.self, Webhook.self,
            Reload.self, Backup.self, ConsoleCommand.self, Token.self,
        ]
    )

    func run() async throws {
        throw ValidationError("Missing command.")
    }

    /// Replaces ArgumentParser's `main()` so that usage errors exit 2 (its default is 64) and
    /// `CtlFailure` picks the other codes.
    static func main() async {
        let code = await self.execute(Array(CommandLine.arguments.dropFirst()))
        Foundation.exit(code)
    }

    /// Parses and runs one command line in `CtlContext.current`, writing to its console; returns the exit code.
    static func execute(_ arguments: [String]) async -> Int32 {
        let context = CtlContext.current
        do {
            var command = try self.parseAsRoot(arguments)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
            return 0
        } catch let failure as CtlFailure {
            if !failure.message.isEmpty { context.warn("triggerctl: \(failure.message)") }
            return failure.exitCode
        } catch {
            let code = self.exitCode(for: error).rawValue
            let message = self.fullMessage(for: error)
            if code == 0 {
                // --help and --version are answers, not errors.
                if !message.isEmpty { context.say(message) }
                return 0
            }
            if !message.isEmpty { context.warn(message) }
            return code == ExitCode.validationFailure.rawValue ? CtlFailure.usageCode : code
        }
    }
}

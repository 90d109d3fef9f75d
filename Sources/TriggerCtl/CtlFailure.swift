/// Why a `triggerctl` command did not succeed, with the exit code scripts branch on.
///
/// The exit codes are part of the CLI contract (SPEC §9): 1 when the thing asked about failed
/// (a validation error, a failed run, a refusal from the daemon), 2 for bad usage, 3 when the daemon
/// could not be reached. The message is printed on stderr after `triggerctl: `; an empty message prints
/// nothing (used when the details were already printed, as `validate` does).
struct CtlFailure: Error, Equatable, CustomStringConvertible {
    /// The process exit code.
    let exitCode: Int32
    /// A sentence for people, without the `triggerctl: ` prefix.
    let message: String

    var description: String { self.message }

    /// Exit code 1: the validation, run, or request failed.
    static let failedCode: Int32 = 1
    /// Exit code 2: the command line was wrong.
    static let usageCode: Int32 = 2
    /// Exit code 3: no answer from the daemon.
    static let unreachableCode: Int32 = 3

    /// The thing asked about failed (exit 1).
    static func failed(_ message: String) -> CtlFailure {
        CtlFailure(exitCode: Self.failedCode, message: message)
    }

    /// The command line was wrong (exit 2).
    static func usage(_ message: String) -> CtlFailure {
        CtlFailure(exitCode: Self.usageCode, message: message)
    }

    /// Exit 1 with nothing more to say: the details are already on stderr.
    static let silent = CtlFailure(exitCode: Self.failedCode, message: "")

    /// The daemon did not answer on `socket` (exit 3); `reason` says what the connection attempt saw.
    static func unreachable(socket: String, reason: String) -> CtlFailure {
        CtlFailure(
            exitCode: Self.unreachableCode,
            message:
                "cannot reach triggerd at \(socket): \(reason) (is the daemon running? set --socket or TRIGGERD_SOCKET)"
        )
    }
}

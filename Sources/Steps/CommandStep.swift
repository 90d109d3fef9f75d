public import Engine
import Foundation

/// `command`: runs `argv` directly (no shell), with `cwd`, `env`, `stdin` and `timeout`. Non-zero exit fails
/// the step; the output keeps `exit_code`, `stdout` and `stderr` either way.
public struct CommandStep: StepExecutor {
    public let kind = "command"
    /// Environment every child starts from (the daemon's allowed variables); `with.env` adds to it.
    let baseEnvironment: [String: String]

    public init(baseEnvironment: [String: String] = ["PATH": "/usr/local/bin:/usr/bin:/bin"]) {
        self.baseEnvironment = baseEnvironment
    }

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        let argv = try StepFields.strings(request.with["argv"], field: "argv")
        guard !argv.isEmpty else { throw StepFailure("'with.argv' is empty", retryable: false) }
        var environment = self.baseEnvironment
        environment.merge(try StepFields.stringMap(request.with["env"], field: "env")) { _, new in new }
        let stdin = request.with["stdin"].map { Array($0.interpolated.utf8) } ?? []
        let process = ChildProcess(argv: argv, cwd: request.with["cwd"]?.stringValue, environment: environment, stdin: stdin)
        let result = try await process.run()
        let output = ProcessOutput.json(result, parseJSON: false)
        if result.exitCode != 0 {
            throw StepFailure("command '\(argv[0])' exited with status \(result.exitCode)\(ProcessOutput.stderrTail(result))", retryable: true, output: output)
        }
        return .completed(output)
    }
}

/// Shapes a child's result as step output.
enum ProcessOutput {
    static func json(_ result: ChildProcess.Result, parseJSON: Bool) -> JSONValue {
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        var o: [String: JSONValue] = [
            "exit_code": .number(Double(result.exitCode)), "stderr": .string(stderr),
        ]
        if result.stdoutTruncated { o["stdout_truncated"] = true }
        if result.stderrTruncated { o["stderr_truncated"] = true }
        if parseJSON, !result.stdoutTruncated, let parsed = try? JSONValue.parse(stdout.trimmingCharacters(in: .whitespacesAndNewlines)),
            case .object(var fields) = parsed
        {
            // JSON objects on stdout become the output itself, with the process facts beside them.
            for (k, v) in o where fields[k] == nil { fields[k] = v }
            return .object(fields)
        }
        if parseJSON, !result.stdoutTruncated, let parsed = try? JSONValue.parse(stdout.trimmingCharacters(in: .whitespacesAndNewlines)) {
            o["result"] = parsed
        }
        o["stdout"] = .string(stdout)
        return .object(o)
    }

    static func stderrTail(_ result: ChildProcess.Result) -> String {
        let text = String(decoding: result.stderr.suffix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": \(text)"
    }
}

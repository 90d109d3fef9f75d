public import Engine
import Foundation

/// `inline_code`: runs `code` with `sh`, `bash` or `python3`. The run's context (`trigger`, `input`, `steps`,
/// `run`) arrives as JSON on stdin; a JSON object printed on stdout becomes the output.
public struct InlineCodeStep: StepExecutor {
    public let kind = "inline_code"
    let baseEnvironment: [String: String]

    public init(baseEnvironment: [String: String] = ["PATH": "/usr/local/bin:/usr/bin:/bin"]) {
        self.baseEnvironment = baseEnvironment
    }

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        guard let code = request.with["code"]?.stringValue else { throw StepFailure("'with.code' must be a string", retryable: false) }
        let language = request.with["language"]?.stringValue ?? "sh"
        let argv: [String]
        switch language {
        case "sh": argv = ["/bin/sh", "-c", code]
        case "bash": argv = ["bash", "-c", code]
        case "python3": argv = ["python3", "-c", code]
        default: throw StepFailure("'with.language' must be sh, bash or python3, not '\(language)'", retryable: false)
        }
        var environment = self.baseEnvironment
        environment.merge(try StepFields.stringMap(request.with["env"], field: "env")) { _, new in new }
        var context: [String: JSONValue] = [:]
        for root in ["trigger", "input", "steps", "run"] { context[root] = request.scope.roots[root] ?? .null }
        if let item = request.scope.roots["item"] { context["item"] = item }
        if let index = request.scope.roots["index"] { context["index"] = index }
        let process = ChildProcess(argv: argv, cwd: nil, environment: environment, stdin: Array(JSONValue.object(context).jsonString().utf8))
        let result = try await process.run()
        let output = ProcessOutput.json(result, parseJSON: true)
        if result.exitCode != 0 {
            throw StepFailure("\(language) code exited with status \(result.exitCode)\(ProcessOutput.stderrTail(result))", retryable: true, output: output)
        }
        return .completed(output)
    }
}

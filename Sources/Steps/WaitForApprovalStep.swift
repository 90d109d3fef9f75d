public import Engine
import Foundation

/// `wait_for_approval`: parks the run until enough people approve over the control socket, or one rejects.
public struct WaitForApprovalStep: StepExecutor {
    public let kind = "wait_for_approval"
    public init() {}

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        let timeout = try StepFields.duration(request.with["timeout"], field: "timeout")
        let onTimeout = ApprovalWait.OnTimeout(rawValue: request.with["on_timeout"]?.stringValue ?? "reject") ?? .reject
        let required = request.with["required"]?.intValue ?? 1
        guard required >= 1 else { throw StepFailure("'with.required' must be at least 1", retryable: false) }
        return .wait(
            .approval(
                ApprovalWait(
                    message: request.with["message"]?.interpolated,
                    approvers: try StepFields.strings(request.with["approvers"], field: "approvers"), required: required,
                    deadline: timeout.map { request.now.addingTimeInterval($0) }, onTimeout: onTimeout)))
    }
}

public import Engine
import Foundation

/// `delay`: parks the run durably until `duration` from now or the time `until`; output `{"resumed_at"}`.
public struct DelayStep: StepExecutor {
    public let kind = "delay"
    public init() {}

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        if let until = request.with["until"], until != .null {
            if let text = until.stringValue, let date = Timestamp.parse(text) { return .wait(.delay(until: date)) }
            if let seconds = until.doubleValue { return .wait(.delay(until: Date(timeIntervalSince1970: seconds))) }
            throw StepFailure("'with.until' must be an RFC 3339 time or unix seconds, not \(until.jsonString())", retryable: false)
        }
        let seconds = try StepFields.duration(request.with["duration"], field: "duration") ?? 0
        return .wait(.delay(until: request.now.addingTimeInterval(seconds)))
    }
}

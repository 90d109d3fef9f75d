public import Engine
import Foundation

/// `wait_for_event`: parks the run until a matching event arrives (or arrived within `lookback`).
public struct WaitForEventStep: StepExecutor {
    public let kind = "wait_for_event"
    public init() {}

    public func execute(_ request: StepRequest) async throws -> StepOutcome {
        guard let name = request.with["event"]?.stringValue, !name.isEmpty else {
            throw StepFailure("'with.event' must be an event name", retryable: false)
        }
        let key: String? = switch request.with["key"] ?? .null {
        case .null: nil
        case let v: v.interpolated
        }
        let timeout = try StepFields.duration(request.with["timeout"], field: "timeout")
        let lookback = try StepFields.duration(request.with["lookback"], field: "lookback") ?? 300
        let onTimeout = EventWait.OnTimeout(rawValue: request.with["on_timeout"]?.stringValue ?? "fail") ?? .fail
        return .wait(
            .event(
                EventWait(
                    name: name, key: key, filter: request.step.rawWith["filter"]?.stringValue, lookback: lookback,
                    deadline: timeout.map { request.now.addingTimeInterval($0) }, onTimeout: onTimeout)))
    }
}

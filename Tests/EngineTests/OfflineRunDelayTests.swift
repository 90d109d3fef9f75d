import Foundation
import Testing

@testable import Engine

/// `OfflineRun` jumps its manual clock over delays: a run whose step waits an hour ends at once, every time, also
/// when it starts at a time with a fraction of a second (the daemon's dry runs start now; the wake time the engine
/// reads back from the store may then be one ulp past the timer's).
@Suite struct OfflineRunDelayTests {
    @Test func aDelayIsJumpedOverEveryTime() async throws {
        let definition = try WorkflowLoader().load(
            source: """
                steps:
                  first: { type: transform, with: { value: 1 } }
                  touch: { type: command, needs: [first], with: { argv: ["true"] } }
                  pause: { type: delay, needs: [touch], with: { duration: 1h } }
                  last: { type: transform, needs: [pause], with: { value: 2 } }
                """, file: "wf.yaml", defaultName: "wf")
        let base = StepRegistry([
            InlineEcho(), ParkStep(kind: "delay", calls: CallLog()), EchoStep(kind: "command", calls: CallLog()),
        ])
        let registry = MockStepExecutor.mocking(
            ["touch": .output(["stdout": "mocked"])], in: DryRunStepGuard.guarding(base), workflow: definition)
        try await withThrowingTaskGroup(of: OfflineRun.Outcome.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    try await OfflineRun(
                        definition: definition, registry: registry, clock: ManualClock(now: Date()), secrets: [:], env: [:]
                    ).perform(trigger: ["type": "manual"], input: [:])
                }
            }
            for try await outcome in group {
                #expect(outcome.record.status == .completed, "\(outcome.record.steps.map { "\($0.id):\($0.status)" }) stuck: \(outcome.stuck ?? "-")")
                #expect(outcome.clockAdvances == 1)
            }
        }
    }
}

/// `transform` as the real one runs: inline, inside the transition that starts it.
struct InlineEcho: InlineStepExecutor {
    let kind = "transform"
    func executeInline(_ request: StepRequest) throws -> StepOutcome { .completed(request.with["value"] ?? .null) }
}

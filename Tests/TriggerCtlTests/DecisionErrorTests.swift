import Engine
import Testing

@testable import TriggerCtl

/// `approve`/`reject RUN` without a step, when the run has nothing pending: the message says why.
@Suite("triggerctl approve/reject: why nothing is pending")
struct DecisionErrorTests {
    static let noApprovals = ["GET /v1/approvals": reply([])]

    @Test func anUnknownRunReportsTheDaemonsMessage() async {
        var answers = Self.noApprovals
        answers["GET /v1/runs/r404"] = errorReply(404, "not_found", "no run with id 'r404'")
        let outcome = await triggerctl(["approve", "r404"], daemon: FakeDaemon(answers: answers))
        #expect(outcome.code == 1)
        #expect(outcome.stderr == "triggerctl: no run with id 'r404'\n")
    }

    @Test func aRunThatNeverWaitedSaysItsStatus() async {
        var answers = Self.noApprovals
        answers["GET /v1/runs/r1"] = reply(["id": "r1", "status": "completed", "steps": []])
        let outcome = await triggerctl(["reject", "r1"], daemon: FakeDaemon(answers: answers))
        #expect(outcome.code == 1)
        #expect(outcome.stderr == "triggerctl: run r1 is not waiting for an approval (the run is completed)\n")
    }

    @Test func aDecidedApprovalNamesTheLastDecision() async {
        var answers = Self.noApprovals
        answers["GET /v1/runs/r2"] = reply([
            "id": "r2", "status": "failed",
            "decisions": [
                ["step": "gate", "user": "alice", "uid": 1001, "approved": true],
                ["step": "gate", "user": "bob", "uid": 1002, "approved": false],
            ],
        ])
        let daemon = FakeDaemon(answers: answers)
        let outcome = await triggerctl(["approve", "r2"], daemon: daemon)
        #expect(outcome.code == 1)
        #expect(
            outcome.stderr
                == "triggerctl: run r2 has no pending approval: step gate was already decided (last rejected by bob); the run is failed\n"
        )
        // Nothing was decided: only the two reads went out.
        #expect(daemon.requests.map(\.method) == ["GET", "GET"])
    }
}

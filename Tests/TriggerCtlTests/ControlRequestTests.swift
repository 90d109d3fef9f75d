import Engine
import Testing

@testable import TriggerCtl

@Suite struct ControlRequestTests {
    @Test func runsSendsOnlyTheGivenFiltersInOrder() {
        #expect(ControlRequest.runs().path == "/v1/runs")
        #expect(
            ControlRequest.runs(workflow: "deploy", status: "failed", limit: 5).path
                == "/v1/runs?workflow=deploy&status=failed&limit=5"
        )
        #expect(ControlRequest.runs(status: "waiting").path == "/v1/runs?status=waiting")
    }

    @Test func namesAndIdsArePercentEncodedAsOnePathSegment() {
        #expect(ControlRequest.workflow("a/b c").path == "/v1/workflows/a%2Fb%20c")
        #expect(ControlRequest.deliveries(workflow: "x&y=1").path == "/v1/deliveries?workflow=x%26y%3D1")
        #expect(ControlRequest.deliveries(workflow: nil).path == "/v1/deliveries")
        #expect(ControlRequest.eventStream(run: "r-1").path == "/v1/events/stream?run=r-1")
        #expect(ControlRequest.eventStream().path == "/v1/events/stream")
    }

    @Test func decisionsPostToTheStepWithTheCommentWhenGiven() {
        let approve = ControlRequest.decide(run: "r1", step: "gate", approve: true, comment: "ok")
        #expect(approve == ControlRequest("POST", "/v1/runs/r1/steps/gate/approve", body: ["comment": "ok"]))
        let reject = ControlRequest.decide(run: "r1", step: "gate", approve: false, comment: nil)
        #expect(reject == ControlRequest("POST", "/v1/runs/r1/steps/gate/reject", body: .object([:])))
    }

    @Test func startEmitAndBackupCarryTheirBodies() {
        #expect(ControlRequest.startRun(workflow: "deploy", input: ["n": 1]).body == ["input": ["n": 1]])
        #expect(ControlRequest.emit(name: "order.paid", key: nil, data: nil).body == ["name": "order.paid"])
        #expect(ControlRequest.emit(name: "e", key: "k", data: [1]).body == ["name": "e", "key": "k", "data": [1]])
        #expect(
            ControlRequest.backup(path: "/b.db")
                == ControlRequest("POST", "/v1/backup", body: ["path": "/b.db"], timeout: 3600)
        )
    }

    @Test func aFailedReplyCarriesTheDaemonsMessage() {
        let failure = errorReply(404, "not_found", "no run with id 'x'").failure
        #expect(failure == CtlFailure.failed("no run with id 'x'"))
        #expect(failure.exitCode == 1)
        #expect(
            ControlReply(status: 500, body: Array("boom\n".utf8)).failure.message
                == "the daemon answered HTTP 500: boom"
        )
        #expect(ControlReply(status: 503).failure.message == "the daemon answered HTTP 503")
    }

    @Test func aMissingRouteIsA404WithoutAnErrorBody() {
        #expect(ControlReply(status: 404).isMissingRoute)
        #expect(!errorReply(404, "not_found", "no run").isMissingRoute)
        #expect(!ControlReply(status: 200).isMissingRoute)
    }

    @Test func successBodiesParseAndEmptyOnesAreNull() throws {
        #expect(try reply(["run_id": "r1"], status: 202).json() == ["run_id": "r1"])
        #expect(try ControlReply(status: 204).json() == .null)
        #expect(throws: CtlFailure.self) { try ControlReply(status: 200, body: Array("<html>".utf8)).json() }
    }
}

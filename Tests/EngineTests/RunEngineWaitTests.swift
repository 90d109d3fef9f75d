import Foundation
import Testing

@testable import Engine

@Suite("waits: approvals and events")
struct RunEngineWaitTests {
    static let alice = PeerIdentity(uid: 1001, user: "alice", groups: ["alice", "ops"])
    static let bob = PeerIdentity(uid: 1002, user: "bob", groups: ["bob"])
    static let carol = PeerIdentity(uid: 1003, user: "carol", groups: ["carol", "ops"])

    func harness() throws -> EngineHarness {
        let calls = CallLog()
        return try EngineHarness(
            executors: [ParkStep(kind: "wait_for_approval", calls: calls), ParkStep(kind: "wait_for_event", calls: calls)], calls: calls)
    }

    @Test func approvalQuorumCountsDistinctPeopleAndRespectsApprovers() async throws {
        let h = try self.harness()
        _ = try await h.load(
            """
            steps:
              ask: { type: wait_for_approval, with: { message: "ship?", approvers: [bob, ops], required: 2 } }
              done: { type: transform, needs: [ask], with: { value: "{{ steps.ask.output.by }}" } }
            """)
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { $0.status == .waiting }
        let pending = try await h.engine.approvals()
        #expect(pending.count == 1)
        #expect(pending.first?.message == "ship?")
        #expect(pending.first?.approvers == ["bob", "ops"])

        _ = try await h.engine.decide(runID: id, stepID: nil, approve: true, comment: "lgtm", by: Self.alice)
        do {
            _ = try await h.engine.decide(runID: id, stepID: nil, approve: true, comment: nil, by: Self.alice)
            Issue.record("a second approval by the same person must be refused")
        } catch let error as EngineError {
            #expect(error.code == .conflict)
            #expect(error.message == "alice already decided step 'ask' of run \(id)")
        }
        #expect(try await h.engine.run(id: id)?.status == .waiting)
        let stranger = PeerIdentity(uid: 1004, user: "mallory", groups: ["mallory"])
        do {
            _ = try await h.engine.decide(runID: id, stepID: "ask", approve: true, comment: nil, by: stranger)
            Issue.record("someone outside approvers must be refused")
        } catch let error as EngineError {
            #expect(error.code == .forbidden)
            #expect(error.message == "mallory (uid 1004) may not decide step 'ask'; allowed: bob, ops")
        }
        _ = try await h.engine.decide(runID: id, stepID: "ask", approve: true, comment: nil, by: Self.bob)
        let done = try #require(await h.waitForEnd(id))
        #expect(done.status == .completed)
        #expect(done.output == ["alice", "bob"])
        #expect(done.decisions.map(\.user) == ["alice", "bob"])
        do {
            _ = try await h.engine.decide(runID: id, stepID: "ask", approve: true, comment: nil, by: Self.carol)
            Issue.record("a decided step takes no more decisions")
        } catch let error as EngineError {
            #expect(error.code == .conflict)
        }
    }

    @Test func oneRejectionEndsTheWaitWithApprovedFalse() async throws {
        let h = try self.harness()
        _ = try await h.load(
            """
            steps:
              ask: { type: wait_for_approval, with: { required: 2 } }
              post: { type: transform, needs: [ask], if: "{{ steps.ask.output.approved }}", with: { value: 1 } }
            """)
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { $0.status == .waiting }
        _ = try await h.engine.decide(runID: id, stepID: nil, approve: false, comment: "no", by: Self.alice)
        let done = try #require(await h.waitForEnd(id))
        #expect(done.steps.first { $0.id == "ask" }?.output?["approved"] == false)
        #expect(done.steps.first { $0.id == "post" }?.status == .skipped)
    }

    @Test func approvalTimeoutAppliesOnTimeout() async throws {
        let h = try self.harness()
        _ = try await h.load("steps: { ask: { type: wait_for_approval, with: { timeout: 1h, on_timeout: approve } } }")
        let timers = Task { await h.engine.runTimers() }
        defer { timers.cancel() }
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { $0.status == .waiting }
        h.clock.advance(by: 3600)
        let done = try #require(await h.waitForEnd(id))
        #expect(done.output?["approved"] == true)
        #expect(done.output?["timed_out"] == true)
    }

    @Test func anEventEmittedBeforeTheWaitStillMatchesWithinLookback() async throws {
        let h = try self.harness()
        _ = try await h.load(
            """
            inputs: { order: { type: string } }
            steps:
              wait: { type: wait_for_event, with: { event: order.paid, key: "{{ input.order }}", lookback: 5m } }
            """)
        _ = try await h.engine.emit(name: "order.paid", key: "o-1", data: ["amount": 5])
        h.clock.advance(by: 60)
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: ["order": "o-1"])
        let done = try #require(await h.waitForEnd(id))
        #expect(done.status == .completed)
        #expect(done.output?["data"] == ["amount": 5])

        // Outside the look-back window the old event does not count.
        h.clock.advance(by: 600)
        let late = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: ["order": "o-1"])
        _ = try await h.waitUntil(late) { $0.status == .waiting }
    }

    @Test func anEventResumesEveryRunWaitingForItsKeyAndOnlyThose() async throws {
        let h = try self.harness()
        _ = try await h.load(
            """
            inputs: { order: { type: string } }
            steps:
              wait: { type: wait_for_event, with: { event: order.paid, key: "{{ input.order }}", filter: "{{ event.data.ok }}" } }
            """)
        let a1 = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: ["order": "a"])
        let a2 = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: ["order": "a"])
        let b = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: ["order": "b"])
        for id in [a1, a2, b] { _ = try await h.waitUntil(id) { $0.status == .waiting } }
        let ignored = try await h.engine.emit(name: "order.paid", key: "a", data: ["ok": false])
        #expect(ignored.resumed.isEmpty)
        let result = try await h.engine.emit(name: "order.paid", key: "a", data: ["ok": true])
        #expect(Set(result.resumed) == [a1, a2])
        #expect(try #require(await h.waitForEnd(a1)).status == .completed)
        #expect(try #require(await h.waitForEnd(a2)).status == .completed)
        #expect(try await h.engine.run(id: b)?.status == .waiting)
        // A second event finds no waiting step left for key a.
        #expect(try await h.engine.emit(name: "order.paid", key: "a", data: ["ok": true]).resumed.isEmpty)
    }

    @Test func eventTriggersStartWorkflowsByGlob() async throws {
        let h = try self.harness()
        _ = try await h.load(
            """
            triggers:
              - event: { name: "order.*", filter: "{{ trigger.data.total > 10 }}" }
            steps:
              a: { type: transform, with: { value: "{{ trigger.name }}:{{ trigger.key }}" } }
            """)
        #expect(try await h.engine.emit(name: "order.created", key: "k", data: ["total": 5]).started.isEmpty)
        #expect(try await h.engine.emit(name: "invoice.created", key: "k", data: ["total": 50]).started.isEmpty)
        let started = try await h.engine.emit(name: "order.created", key: "k", data: ["total": 50]).started
        #expect(started.count == 1)
        #expect(try #require(await h.waitForEnd(started[0])).output == "order.created:k")
    }

    @Test func lookBackNeverHandsOneEventToTwoWaitsOfTheSameRun() async throws {
        let h = try self.harness()
        _ = try await h.load(
            """
            steps:
              first: { type: wait_for_event, with: { event: tick, key: k } }
              second: { type: wait_for_event, needs: [first], with: { event: tick, key: k } }
            """)
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { $0.status == .waiting }
        let one = try await h.engine.emit(name: "tick", key: "k", data: ["n": 1])
        #expect(one.resumed == [id])
        // `second` starts after `first` consumed tick #1; that event is inside its look-back but already used.
        let parked = try await h.waitUntil(id) { run in
            run.status == .waiting && run.steps.first { $0.id == "second" }?.status == .waiting
        }
        #expect(parked.steps.first { $0.id == "first" }?.output?["data"] == ["n": 1])
        _ = try await h.engine.emit(name: "tick", key: "k", data: ["n": 2])
        let done = try #require(await h.waitForEnd(id))
        #expect(done.steps.first { $0.id == "second" }?.output?["data"] == ["n": 2])
    }

    @Test func decidingARunWhoseApprovalIsSettledSaysSo() async throws {
        let h = try self.harness()
        _ = try await h.load("steps: { ask: { type: wait_for_approval }, then: { type: wait_for_event, needs: [ask], with: { event: go } } }")
        let id = try await h.engine.startRun(workflow: "wf", trigger: ["type": "manual"], input: [:])
        _ = try await h.waitUntil(id) { $0.status == .waiting }
        _ = try await h.engine.decide(runID: id, stepID: nil, approve: true, comment: nil, by: Self.alice)
        _ = try await h.waitUntil(id) { $0.steps.first { $0.id == "then" }?.status == .waiting }
        do {
            _ = try await h.engine.decide(runID: id, stepID: nil, approve: true, comment: nil, by: Self.bob)
            Issue.record("a settled approval takes no more decisions")
        } catch let error as EngineError {
            #expect(error.code == .conflict)
            #expect(error.message == "step 'ask' of run \(id) was already decided; the run waits for no other approval (run is waiting)")
        }
        do {
            _ = try await h.engine.decide(runID: "nope", stepID: nil, approve: true, comment: nil, by: Self.bob)
            Issue.record("an unknown run must be refused")
        } catch let error as EngineError {
            #expect(error.code == .notFound)
            #expect(error.message == "no run with id 'nope'")
        }
    }
}

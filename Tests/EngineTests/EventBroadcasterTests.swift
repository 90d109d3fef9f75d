import Foundation
import Testing

@testable import Engine

/// Subscriptions get the events they ask for: by kind, and by a workflow set their owner changes while subscribed.
@Suite("event broadcaster")
struct EventBroadcasterTests {
    static func end(_ workflow: String, _ run: String) -> RunEvent {
        RunEvent(at: Date(), type: .runCompleted, runID: run, workflow: workflow, status: "completed")
    }

    @Test func aWorkflowFilterDeliversOnlyTheWorkflowsNamedWhenEachEventIsPublished() async {
        let broadcaster = EventBroadcaster()
        let filter = EventBroadcaster.WorkflowFilter()
        filter.set(["a"])
        let stream = broadcaster.subscribe(runID: nil, kinds: [.runCompleted], workflows: filter)
        broadcaster.publish([Self.end("a", "1"), Self.end("b", "2")])
        broadcaster.publish([RunEvent(at: Date(), type: .runStarted, runID: "3", workflow: "a")])
        filter.set(["b"])
        broadcaster.publish([Self.end("a", "4"), Self.end("b", "5")])
        filter.set([])
        broadcaster.publish([Self.end("a", "6"), Self.end("b", "7")])
        broadcaster.finishAll()
        var received: [String] = []
        for await event in stream { received.append("\(event.workflow)/\(event.runID)") }
        #expect(received == ["a/1", "b/5"])
    }

    @Test func withoutAFilterEveryWorkflowIsDelivered() async {
        let broadcaster = EventBroadcaster()
        let stream = broadcaster.subscribe(runID: nil, kinds: [.runCompleted])
        broadcaster.publish([Self.end("a", "1"), Self.end("b", "2")])
        broadcaster.finishAll()
        var received: [String] = []
        for await event in stream { received.append(event.runID) }
        #expect(received == ["1", "2"])
    }
}

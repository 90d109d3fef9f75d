import Engine
import Foundation
import Testing

@testable import Triggerd

@Suite("Console: run graph layout")
struct RunGraphViewTests {
    @Test func stepsSitOneColumnRightOfTheirDeepestNeed() {
        let steps = [
            StepRecord(id: "a", type: "command", status: .completed),
            StepRecord(id: "b", type: "command", status: .completed, needs: ["a"]),
            StepRecord(id: "c", type: "command", status: .running, needs: ["a"]),
            StepRecord(id: "d", type: "command", status: .pending, needs: ["b", "c"]),
            StepRecord(id: "e", type: "command", status: .pending, needs: ["a", "d"]),
        ]
        let places = RunGraphView.layout(steps)
        #expect(places["a"] == .init(column: 0, row: 0))
        #expect(places["b"] == .init(column: 1, row: 0))
        #expect(places["c"] == .init(column: 1, row: 1))
        #expect(places["d"] == .init(column: 2, row: 0))
        #expect(places["e"] == .init(column: 3, row: 0))
    }

    @Test func aWideFanOutWrapsIntoSeveralColumns() {
        var steps = [StepRecord(id: "root", type: "command", status: .completed)]
        for index in 0..<25 {
            steps.append(StepRecord(id: "leaf\(index)", type: "command", status: .pending, needs: ["root"]))
        }
        steps.append(StepRecord(id: "join", type: "command", status: .pending, needs: steps.dropFirst().map(\.id)))
        let places = RunGraphView.layout(steps)
        #expect(places["leaf0"] == .init(column: 1, row: 0))
        #expect(places["leaf10"] == .init(column: 2, row: 0))
        #expect(places["leaf24"] == .init(column: 3, row: 4))
        #expect(places["join"]?.column == 4)
        #expect(places.values.map(\.row).max() == RunGraphView.maxRows - 1)
    }

    @Test func aCycleOrAnUnknownNeedDoesNotHang() {
        let steps = [
            StepRecord(id: "a", type: "command", status: .pending, needs: ["b", "ghost"]),
            StepRecord(id: "b", type: "command", status: .pending, needs: ["a"]),
        ]
        #expect(RunGraphView.layout(steps).count == 2)
    }

    @Test func forEachIsOneStackedNodeWithItsCount() {
        let steps = [
            StepRecord(id: "fan", type: "for_each", status: .completed, output: [1, 2, 3])
        ]
        let svg = RunGraphView(steps: steps).render()
        #expect(svg.contains(#"data-step-id="fan" data-status="completed""#))
        #expect(svg.contains(#"<text class="items" x="186" y="19" data-progress>×3</text>"#))
        #expect(svg.contains(#"class="stack""#))
    }

    @Test func aRunningForEachShowsItsItemsDoneOfTotalWithFailures() {
        let steps = [
            StepRecord(id: "fan", type: "for_each", status: .running),
            StepRecord(id: "after", type: "transform", status: .pending, needs: ["fan"]),
        ]
        let progress = ["fan": ItemProgress(total: 10, done: 4, failed: 1)]
        let svg = RunGraphView(steps: steps, progress: progress).render()
        #expect(svg.contains(#"<g class="node" data-step-id="fan" data-status="running" data-for-each "#))
        #expect(svg.contains(#"<text class="items" x="186" y="19" data-progress>4/10 ✗1</text>"#))
        #expect(svg.contains("<title>fan (for_each): running, items 4/10, 1 failed</title>"))
        #expect(!svg.contains(#"data-step-id="after" data-status="pending" data-for-each"#))
        let run = RunRecord(
            id: "r9", workflow: "w", version: "v", status: .running, trigger: ["type": "manual"], input: [:],
            createdAt: Date(timeIntervalSince1970: 0), steps: steps)
        let page = RunDetailView(run: run, approvals: [], csrf: "t", progress: progress).render()
        #expect(page.contains(#"<tr id="step-fan" data-step="fan" data-status="running" data-for-each>"#))
        #expect(page.contains(#"items <progress max="10" value="4"></progress> <span data-progress>4/10, 1 failed</span>"#))
    }
}

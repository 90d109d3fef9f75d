import Testing

@testable import TriggerCtl

@Suite struct RunGraphTests {
    /// The drawing as `prefix + id + (also needs ...)` lines, for whole-output comparison.
    private func draw(_ steps: [(id: String, needs: [String])]) -> String {
        let graph = RunGraph(steps: steps)
        return graph.rows.map { row in
            row.prefix + steps[row.step].id
                + (row.otherNeeds.isEmpty ? "" : "  (also needs \(row.otherNeeds.joined(separator: ", ")))")
        }.joined(separator: "\n")
    }

    @Test func aChainNestsOneLevelPerStep() {
        #expect(
            self.draw([("a", []), ("b", ["a"]), ("c", ["b"])]) == """
                └─ a
                   └─ b
                      └─ c
                """
        )
    }

    @Test func aDiamondHangsTheJoinUnderTheLastBranchAndNamesTheOther() {
        #expect(
            self.draw([("fetch", []), ("build", ["fetch"]), ("lint", ["fetch"]), ("deploy", ["build", "lint"])]) == """
                └─ fetch
                   ├─ build
                   └─ lint
                      └─ deploy  (also needs build)
                """
        )
    }

    @Test func independentRootsAreSiblingsAndVerticalBarsContinueBetweenThem() {
        #expect(
            self.draw([("a", []), ("a2", ["a"]), ("b", []), ("c", ["a", "b"])]) == """
                ├─ a
                │  └─ a2
                └─ b
                   └─ c  (also needs a)
                """
        )
    }

    @Test func stepsAreOrderedTopologicallyWhateverTheDeclarationOrder() {
        let steps: [(id: String, needs: [String])] = [("report", ["load"]), ("load", ["extract"]), ("extract", [])]
        let graph = RunGraph(steps: steps)
        #expect(graph.rows.map { steps[$0.step].id } == ["extract", "load", "report"])
        #expect(graph.rows.map(\.depth) == [0, 1, 2])
    }

    @Test func needsImpliedByAncestorsAreNotRepeated() {
        // c needs a and b, but b needs a: a is implied by hanging c under b.
        #expect(
            self.draw([("a", []), ("b", ["a"]), ("c", ["a", "b"])]) == """
                └─ a
                   └─ b
                      └─ c
                """
        )
    }

    @Test func unknownSelfAndDuplicateNeedsAreIgnored() {
        #expect(
            self.draw([("a", ["ghost", "a"]), ("b", ["a", "a"])]) == """
                └─ a
                   └─ b
                """
        )
    }

    @Test func aCycleIsBrokenInDeclarationOrderWithoutLosingSteps() {
        let steps: [(id: String, needs: [String])] = [("x", ["y"]), ("y", ["x"]), ("z", [])]
        let graph = RunGraph(steps: steps)
        #expect(graph.rows.map { steps[$0.step].id } == ["z", "x", "y"])
    }

    @Test func noStepsDrawNothing() {
        #expect(RunGraph(steps: []).rows.isEmpty)
    }
}

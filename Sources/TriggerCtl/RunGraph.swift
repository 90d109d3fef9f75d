/// Lays out a run's steps as a tree drawing in topological order, using each step's `needs`.
///
/// A workflow is a graph, not a tree, so each step hangs under one of its needs: the deepest one on the
/// branch being drawn. Needs that this placement does not already imply (they are not ancestors in the
/// drawing) are listed in `otherNeeds`, so nothing is hidden. Every step appears exactly once, after all
/// of its needs; needs naming unknown steps are ignored, and a cycle (which the loader refuses) is broken
/// in declaration order rather than crashing.
///
/// ```
/// ├─ fetch
/// │  ├─ build
/// │  └─ lint
/// │     └─ deploy     (also needs build)
/// └─ notify
/// ```
struct RunGraph: Equatable {
    /// One line of the drawing.
    struct Row: Equatable {
        /// Index of the step in the input order.
        var step: Int
        /// Nesting depth; 0 for steps without needs.
        var depth: Int
        /// The box-drawing prefix, e.g. `│  ├─ `.
        var prefix: String
        /// Needs not implied by the drawing, in declaration order.
        var otherNeeds: [String]
    }

    /// The lines, top to bottom.
    let rows: [Row]

    /// Lays out steps given as (id, needs) in declaration order.
    init(steps: [(id: String, needs: [String])]) {
        let allNeeds = Self.resolvedNeeds(steps)
        let order = Self.topologicalOrder(allNeeds)
        var placed: [(step: Int, parent: Int?, depth: Int, otherNeeds: [String])] = []
        var path: [Int] = []  // the branch being drawn: step indexes from the top level down
        for step in order {
            let needs = allNeeds[step]
            // The deepest need on the current branch becomes the parent; needs above it are implied.
            let position = path.lastIndex { need in needs.contains { $0 == need } }
            let parent = position.map { path[$0] }
            path = position.map { Array(path[...$0]) } ?? []
            let ancestors = Set(path)
            let otherNeeds = needs.filter { !ancestors.contains($0) }.map { steps[$0].id }
            placed.append((step, parent, path.count, otherNeeds))
            path.append(step)
        }
        // A row is the last child of its parent when no later row has the same parent.
        var isLast = Array(repeating: false, count: placed.count)
        var seenParents: Set<Int> = []
        let topLevel = -1
        for index in placed.indices.reversed() {
            let parent = placed[index].parent ?? topLevel
            isLast[index] = !seenParents.contains(parent)
            seenParents.insert(parent)
        }
        var rows: [Row] = []
        var continuing: [Bool] = []  // per depth: does the ancestor at that depth have later siblings?
        for (index, entry) in placed.enumerated() {
            continuing = Array(continuing.prefix(entry.depth))
            let prefix =
                continuing.map { $0 ? "│  " : "   " }.joined() + (isLast[index] ? "└─ " : "├─ ")
            continuing.append(!isLast[index])
            rows.append(Row(step: entry.step, depth: entry.depth, prefix: prefix, otherNeeds: entry.otherNeeds))
        }
        self.rows = rows
    }

    /// For each step, the indexes of the steps it needs: deduplicated, known steps only, never itself.
    private static func resolvedNeeds(_ steps: [(id: String, needs: [String])]) -> [[Int]] {
        var indexByID: [String: Int] = [:]
        for (index, step) in steps.enumerated() where indexByID[step.id] == nil { indexByID[step.id] = index }
        return steps.indices.map { step in
            var result: [Int] = []
            for need in steps[step].needs {
                guard let index = indexByID[need], index != step, !result.contains(index) else { continue }
                result.append(index)
            }
            return result
        }
    }

    /// Kahn's algorithm, choosing among ready steps the one whose newest need was placed most recently
    /// (so a chain is drawn before its siblings), ties broken by declaration order.
    private static func topologicalOrder(_ needs: [[Int]]) -> [Int] {
        var position: [Int: Int] = [:]  // step -> place in the order
        var order: [Int] = []
        while let next = Self.nextReady(needs, placed: position) {
            position[next] = order.count
            order.append(next)
        }
        return order
    }

    /// The next step to place, or nil when all are placed.
    private static func nextReady(_ needs: [[Int]], placed position: [Int: Int]) -> Int? {
        var best: (step: Int, newest: Int)?
        for step in needs.indices where position[step] == nil {
            guard needs[step].allSatisfy({ position[$0] != nil }) else { continue }
            let newest = needs[step].map { position[$0] ?? -1 }.max() ?? -1
            if let current = best, newest <= current.newest { continue }
            best = (step, newest)
        }
        // Only a cycle leaves nothing ready: take the first remaining step to break it.
        return best?.step ?? needs.indices.first { position[$0] == nil }
    }
}

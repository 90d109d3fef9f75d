import Engine
import Foundation

/// The run's graph as inline SVG (`svg#graph`), laid out here: steps in columns by depth (a step sits one column
/// right of the deepest step it needs), ordered in each column by where their needs sit, so edges mostly run
/// straight. A column with more than `maxRows` steps wraps into several, so a wide fan-out stays on screen.
/// Each step is a `g[data-step-id][data-status]` linking to its row in the steps table; a `for_each` is one node,
/// drawn stacked, with its item count.
struct RunGraphView {
    static let nodeWidth = 196
    static let nodeHeight = 46
    static let columnGap = 64
    /// Between the columns of one wrapped layer.
    static let wrapGap = 16
    /// Around a wrapped layer, inside its frame.
    static let framePadding = 8
    static let rowGap = 14
    static let padding = 12
    static let maxRows = 10

    let steps: [StepRecord]
    /// Item counts of `for_each` steps that have started (`Store.itemProgress`), shown as `done/total` on their node.
    var progress: [String: ItemProgress] = [:]

    /// Column and row of each step.
    struct Placement: Equatable {
        var column: Int
        var row: Int
        /// The step's depth; several columns share one when the layer wraps.
        var layer: Int = 0

        static func == (a: Placement, b: Placement) -> Bool { a.column == b.column && a.row == b.row }
    }

    /// Where each step goes (pure: tested without SVG).
    static func layout(_ steps: [StepRecord]) -> [String: Placement] {
        let byID = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var depth: [String: Int] = [:]
        func depthOf(_ id: String, _ visiting: Set<String>) -> Int {
            if let known = depth[id] { return known }
            guard let step = byID[id], !visiting.contains(id) else { return 0 }
            let needs = step.needs.filter { byID[$0] != nil }
            let value = needs.isEmpty ? 0 : 1 + (needs.map { depthOf($0, visiting.union([id])) }.max() ?? 0)
            depth[id] = value
            return value
        }
        for step in steps { _ = depthOf(step.id, []) }
        let order = Dictionary(steps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let layers = Dictionary(grouping: steps.map(\.id), by: { depth[$0] ?? 0 })
        var placement: [String: Placement] = [:]
        // Position of each placed step as one number (column-major), for ordering the next layer.
        var rank: [String: Double] = [:]
        var column = 0
        for layer in (layers.keys.sorted()) {
            let ids = layers[layer] ?? []
            let sorted = ids.sorted { a, b in
                let ka = Self.barycenter(byID[a]?.needs ?? [], rank) ?? Double(order[a] ?? 0)
                let kb = Self.barycenter(byID[b]?.needs ?? [], rank) ?? Double(order[b] ?? 0)
                return ka == kb ? (order[a] ?? 0) < (order[b] ?? 0) : ka < kb
            }
            for (index, id) in sorted.enumerated() {
                placement[id] = Placement(column: column + index / Self.maxRows, row: index % Self.maxRows, layer: layer)
                rank[id] = Double(index)
            }
            column += max(1, (sorted.count + Self.maxRows - 1) / Self.maxRows)
        }
        return placement
    }

    private static func barycenter(_ needs: [String], _ rank: [String: Double]) -> Double? {
        let known = needs.compactMap { rank[$0] }
        return known.isEmpty ? nil : known.reduce(0, +) / Double(known.count)
    }

    func render() -> String {
        guard !self.steps.isEmpty else {
            return "<svg id=\"graph\" class=\"graph\" width=\"0\" height=\"0\"></svg><p class=\"empty\">No steps yet.</p>"
        }
        let places = Self.layout(self.steps)
        let columns = (places.values.map(\.column).max() ?? 0) + 1
        let rows = (places.values.map(\.row).max() ?? 0) + 1
        // Columns of one wrapped layer sit closer together, inside a frame.
        var layerOfColumn = [Int](repeating: 0, count: columns)
        for step in self.steps {
            if let place = places[step.id] { layerOfColumn[place.column] = place.layer }
        }
        var columnX = [Int](repeating: Self.padding + Self.framePadding, count: columns)
        for column in columns > 1 ? Array(1..<columns) : [] {
            let gap = layerOfColumn[column] == layerOfColumn[column - 1] ? Self.wrapGap : Self.columnGap
            columnX[column] = columnX[column - 1] + Self.nodeWidth + gap
        }
        let width = (columnX.last ?? 0) + Self.nodeWidth + Self.padding + Self.framePadding + 6
        let height = 2 * (Self.padding + Self.framePadding) + rows * Self.nodeHeight + (rows - 1) * Self.rowGap + 6
        func origin(_ p: Placement) -> (Int, Int) {
            (columnX[p.column], Self.padding + Self.framePadding + p.row * (Self.nodeHeight + Self.rowGap))
        }
        // Wrapped layers: their members and frame (x, y, width, height).
        let members = Dictionary(grouping: self.steps.filter { places[$0.id] != nil }, by: { places[$0.id]!.layer })
        var frames: [Int: (Int, Int, Int, Int)] = [:]
        for (layer, steps) in members where steps.count > Self.maxRows {
            let boxes = steps.map { origin(places[$0.id]!) }
            let x0 = boxes.map(\.0).min()! - Self.framePadding
            let y0 = boxes.map(\.1).min()! - Self.framePadding
            let x1 = boxes.map(\.0).max()! + Self.nodeWidth + Self.framePadding
            let y1 = boxes.map(\.1).max()! + Self.nodeHeight + Self.framePadding
            frames[layer] = (x0, y0, x1 - x0, y1 - y0)
        }
        // An edge into (or out of) a wrapped layer whose every member shares it is drawn once, to the frame.
        // Whether a layer is covered is asked once per (step, layer) and (layer, need), against sets: asked per edge
        // against arrays, a join of 200 wrapped steps cost 200 × 200 × 200 comparisons.
        let needSets = Dictionary(self.steps.map { ($0.id, Set($0.needs)) }, uniquingKeysWith: { first, _ in first })
        var sharedNeed: [String: Bool] = [:]
        func everyMember(of layer: Int, needs need: String) -> Bool {
            let key = "\(layer)>\(need)"
            if let known = sharedNeed[key] { return known }
            let value = members[layer]!.allSatisfy { needSets[$0.id]?.contains(need) ?? false }
            sharedNeed[key] = value
            return value
        }
        var drawn = Set<String>()
        var edges = ""
        for step in self.steps {
            guard let to = places[step.id] else { continue }
            let needs = needSets[step.id] ?? []
            var needsWholeLayer: [Int: Bool] = [:]
            func needsAll(of layer: Int) -> Bool {
                if let known = needsWholeLayer[layer] { return known }
                let value = members[layer]!.allSatisfy { needs.contains($0.id) }
                needsWholeLayer[layer] = value
                return value
            }
            for need in step.needs {
                guard let from = places[need] else { continue }
                let (fx, fy) = origin(from)
                let (tx, ty) = origin(to)
                var start = (fx + Self.nodeWidth, fy + Self.nodeHeight / 2)
                var end = (tx - 4, ty + Self.nodeHeight / 2)
                var key = "\(need)>\(step.id)"
                if let frame = frames[from.layer], from.layer != to.layer, needsAll(of: from.layer) {
                    start = (frame.0 + frame.2, frame.1 + frame.3 / 2)
                    key = "L\(from.layer)>\(step.id)"
                }
                if let frame = frames[to.layer], from.layer != to.layer, everyMember(of: to.layer, needs: need) {
                    end = (frame.0 - 4, frame.1 + frame.3 / 2)
                    key = key.hasPrefix("L") ? "L\(from.layer)>L\(to.layer)" : "\(need)>L\(to.layer)"
                }
                guard drawn.insert(key).inserted else { continue }
                let bend = max(24, (end.0 - start.0) / 2)
                edges += "<path class=\"edge\" marker-end=\"url(#arrow)\" "
                edges += "d=\"M\(start.0) \(start.1) C\(start.0 + bend) \(start.1) \(end.0 - bend) \(end.1) \(end.0) \(end.1)\"/>"
            }
        }
        var groups = ""
        for (layer, frame) in frames.sorted(by: { $0.key < $1.key }) {
            groups += "<rect class=\"group\" x=\"\(frame.0)\" y=\"\(frame.1)\" width=\"\(frame.2)\" height=\"\(frame.3)\" rx=\"10\">"
            groups += "<title>\(members[layer]?.count ?? 0) steps at the same depth</title></rect>"
        }
        var nodes = ""
        for step in self.steps {
            guard let place = places[step.id] else { continue }
            let (x, y) = origin(place)
            let id = HTML.escape(step.id)
            let status = step.status.rawValue
            let room = step.type == "for_each" ? 15 : 22
            let label = step.id.count > room ? String(step.id.prefix(room - 1)) + "…" : step.id
            let duration = HTML.duration(from: step.startedAt, to: step.endedAt)
            var kind = ""
            var stack = ""
            var forEach = ""
            var items = ""
            var title = ""
            if step.type == "for_each" {
                // Items done of total (✗ failed) at the right of the label line, where it fits beside the duration.
                let count = step.output?.arrayValue?.count
                let progress = self.progress[step.id]
                let text = progress.map { HTML.escape($0.compactText) } ?? "×\(count.map(String.init) ?? "?")"
                kind = " · for_each"
                items = "<text class=\"items\" x=\"\(Self.nodeWidth - 10)\" y=\"19\" data-progress>\(text)</text>"
                title = progress.map { ", items \(HTML.escape($0.text))" } ?? ""
                stack = "<rect class=\"stack\" x=\"5\" y=\"5\" width=\"\(Self.nodeWidth)\" height=\"\(Self.nodeHeight)\" rx=\"6\"/>"
                forEach = " data-for-each"
            }
            nodes += """
                <g class="node" data-step-id="\(id)" data-status="\(status)"\(forEach) transform="translate(\(x) \(y))">\
                <title>\(id) (\(HTML.escape(step.type))): \(status)\(title)</title><a href="#step-\(id)">\(stack)\
                <rect class="box" width="\(Self.nodeWidth)" height="\(Self.nodeHeight)" rx="6"/>\
                <text class="label" x="10" y="19">\(HTML.escape(label))</text>\(items)\
                <text class="meta" x="10" y="36"><tspan data-status-text>\(status)</tspan>\
                <tspan data-duration>\(duration.isEmpty ? "" : " · " + duration)</tspan>\
                <tspan class="kind">\(kind)</tspan></text></a></g>
                """
        }
        return """
            <div class="graph-wrap"><svg id="graph" class="graph" xmlns="http://www.w3.org/2000/svg" \
            width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" role="img" aria-label="Run graph">\
            <defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="8" markerHeight="8" \
            orient="auto-start-reverse"><path d="M0 0 L8 4 L0 8 z" class="arrowhead"/></marker></defs>\
            <g class="groups">\(groups)</g><g class="edges">\(edges)</g><g class="nodes">\(nodes)</g></svg></div>
            """
    }
}

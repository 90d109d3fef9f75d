/// One metric name: its kind, help text, histogram buckets and series by label set.
struct MetricFamily: Sendable {
    var kind: Metrics.Kind
    var help: String
    /// Upper bounds, ascending, without `+Inf` (histograms only).
    var buckets: [Double]
    var series: [LabelSet: MetricSeries] = [:]

    init(kind: Metrics.Kind, help: String, buckets: [Double]) {
        self.kind = kind
        self.help = help
        self.buckets = buckets
    }

    /// Records one histogram sample in the series of `labels`, in place.
    mutating func observe(_ labels: LabelSet, _ sample: Double) {
        let buckets = self.buckets
        self.series[labels, default: MetricSeries(bucketCount: buckets.count)].observe(sample, buckets: buckets)
    }

    /// Appends `# HELP`, `# TYPE` and every series, sorted by labels so the output is stable.
    func render(name: String, into out: inout String) {
        if !self.help.isEmpty { out += "# HELP \(name) \(Self.escapeHelp(self.help))\n" }
        out += "# TYPE \(name) \(self.kind.rawValue)\n"
        for labels in self.series.keys.sorted() {
            guard let series = self.series[labels] else { continue }
            switch self.kind {
            case .counter, .gauge:
                out += "\(name)\(labels.rendered()) \(Self.number(series.value))\n"
            case .histogram:
                var cumulative = 0
                for (index, bound) in self.buckets.enumerated() {
                    cumulative += index < series.bucketCounts.count ? series.bucketCounts[index] : 0
                    out += "\(name)_bucket\(labels.rendered(extra: ("le", Self.number(bound)))) \(cumulative)\n"
                }
                out += "\(name)_bucket\(labels.rendered(extra: ("le", "+Inf"))) \(series.count)\n"
                out += "\(name)_sum\(labels.rendered()) \(Self.number(series.value))\n"
                out += "\(name)_count\(labels.rendered()) \(series.count)\n"
            }
        }
    }

    /// Integers without a fraction; everything else as Swift prints a Double (which Prometheus parses).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value.rounded() == value && abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    private static func escapeHelp(_ text: String) -> String {
        text.replacingAll("\\", with: "\\\\").replacingAll("\n", with: "\\n")
    }
}

/// One series: a counter or gauge value, or a histogram's sum, count and per-bucket (non-cumulative) counts.
struct MetricSeries: Sendable {
    var value: Double = 0
    var count = 0
    var bucketCounts: [Int]

    init(bucketCount: Int) { self.bucketCounts = Array(repeating: 0, count: bucketCount) }

    mutating func observe(_ sample: Double, buckets: [Double]) {
        self.value += sample
        self.count += 1
        // The first bucket whose bound holds the sample; larger samples only count toward +Inf.
        if let index = buckets.firstIndex(where: { sample <= $0 }) {
            if self.bucketCounts.count < buckets.count { self.bucketCounts += Array(repeating: 0, count: buckets.count - self.bucketCounts.count) }
            self.bucketCounts[index] += 1
        }
    }
}

/// Label names and values, sorted by name so equal sets hash alike whatever order they were given in.
struct LabelSet: Sendable, Hashable, Comparable {
    let pairs: [LabelPair]

    init(_ labels: [String: String]) {
        self.pairs = labels.map { LabelPair(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
    }

    static func < (lhs: LabelSet, rhs: LabelSet) -> Bool {
        lhs.pairs.lexicographicallyPrecedes(rhs.pairs) { ($0.name, $0.value) < ($1.name, $1.value) }
    }

    /// `{a="1",b="2"}`, or nothing for an empty set.
    func rendered(extra: (String, String)? = nil) -> String {
        var parts = self.pairs.map { "\($0.name)=\"\(Self.escape($0.value))\"" }
        if let extra { parts.append("\(extra.0)=\"\(extra.1)\"") }
        return parts.isEmpty ? "" : "{" + parts.joined(separator: ",") + "}"
    }

    private static func escape(_ value: String) -> String {
        value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n")
    }
}

/// One `name="value"` label.
struct LabelPair: Sendable, Hashable {
    let name: String
    let value: String
}

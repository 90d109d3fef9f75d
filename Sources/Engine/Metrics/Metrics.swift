import Synchronization

/// In-process metrics, rendered in the Prometheus text format by `GET /metrics` on the webhook listener.
///
/// Any part of the daemon may count: `increment` a counter, `set` a gauge, `observe` a histogram sample. Names
/// are declared once with `describe` (kind, help text, histogram buckets); an undeclared name is rendered as an
/// untyped series. Values that are cheaper to read at scrape time than to keep current (run counts, queue depth)
/// come from collectors added with `addCollector`, which run before every render.
///
/// ```swift
/// metrics.describe(MetricName.webhookDeliveries, kind: .counter, help: "Webhook deliveries by outcome.")
/// metrics.increment(MetricName.webhookDeliveries, ["workflow": "deploy", "outcome": "accepted"])
/// let text = await metrics.render()
/// ```
///
/// All methods are thread-safe and never suspend except `render`. Label values are escaped when rendered.
public final class Metrics: Sendable {
    /// The Prometheus metric type of a family.
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// A scrape-time hook that refreshes gauges (it may read the store).
    public typealias Collector = @Sendable (Metrics) async -> Void

    private let families = Mutex<[String: MetricFamily]>([:])
    private let collectors = Mutex<[Collector]>([])

    /// Seconds buckets for latencies from a millisecond to several minutes.
    public static let durationBuckets: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]

    /// An empty registry with the daemon's standard families described (see `MetricName`).
    public init() {
        MetricName.describeStandard(in: self)
    }

    /// Declares a family. Describing a name again replaces its help text but keeps its series.
    public func describe(_ name: String, kind: Kind, help: String, buckets: [Double] = Metrics.durationBuckets) {
        self.families.withLock { families in
            var family = families[name] ?? MetricFamily(kind: kind, help: help, buckets: buckets.sorted())
            family.kind = kind
            family.help = help
            families[name] = family
        }
    }

    /// Adds `amount` (default 1) to a counter series.
    public func increment(_ name: String, _ labels: [String: String] = [:], by amount: Double = 1) {
        self.update(name, labels, defaultKind: .counter) { $0.value += amount }
    }

    /// Sets a gauge series.
    public func set(_ name: String, _ labels: [String: String] = [:], to value: Double) {
        self.update(name, labels, defaultKind: .gauge) { $0.value = value }
    }

    /// Records one histogram sample (for durations, in seconds).
    public func observe(_ name: String, _ labels: [String: String] = [:], _ value: Double) {
        let key = LabelSet(labels)
        self.families.withLock { families in
            families[name, default: MetricFamily(kind: .histogram, help: "", buckets: Self.durationBuckets)]
                .observe(key, value)
        }
    }

    /// Records one sample of an unlabelled histogram.
    public func observe(_ name: String, _ value: Double) {
        self.observe(name, [:], value)
    }

    /// The current value of a counter or gauge series (`nil` if never touched); for tests and status pages.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        self.families.withLock { $0[name]?.series[LabelSet(labels)]?.value }
    }

    /// The number of samples a histogram series has recorded (`nil` if none).
    public func sampleCount(_ name: String, _ labels: [String: String] = [:]) -> Int? {
        self.families.withLock { $0[name]?.series[LabelSet(labels)]?.count }
    }

    /// Removes every series of a family (a collector that re-reads a whole set, e.g. runs by status, calls this
    /// first so vanished label values do not linger).
    public func reset(_ name: String) {
        self.families.withLock { families in families[name]?.series.removeAll() }
    }

    /// Registers a hook run before every render.
    public func addCollector(_ collector: @escaping Collector) {
        self.collectors.withLock { $0.append(collector) }
    }

    /// Runs the collectors, then renders every family in the Prometheus text exposition format (version 0.0.4).
    public func render() async -> String {
        for collector in self.collectors.withLock({ $0 }) { await collector(self) }
        let snapshot = self.families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            snapshot[name].map { $0.render(name: name, into: &out) }
        }
        return out
    }

    /// Changes one series in place. (Copying the family out and back, as this once did, copied its whole series
    /// table on every update: a cost that grew with the number of workflows and label values.)
    private func update(_ name: String, _ labels: [String: String], defaultKind: Kind, _ change: (inout MetricSeries) -> Void) {
        let key = LabelSet(labels)
        self.families.withLock { families in
            change(
                &families[name, default: MetricFamily(kind: defaultKind, help: "", buckets: [])]
                    .series[key, default: MetricSeries(bucketCount: 0)])
        }
    }
}

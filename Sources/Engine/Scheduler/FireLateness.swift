public import Foundation

/// How late on-time cron fires were: from the moment a fire was due (its slot plus jitter) to the moment the
/// scheduler fired it. Catch-up fires are not counted (their lateness is the downtime, not the scheduler's).
public struct FireLateness: Sendable, Equatable {
    /// Upper bounds of the histogram buckets, seconds (Prometheus-style `le`; a last `+Inf` bucket is implied).
    public static let bounds: [Double] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]

    /// Lateness of the latest fire, seconds.
    public private(set) var last: Double?
    public private(set) var maximum: Double = 0
    public private(set) var count = 0
    public private(set) var sum: Double = 0
    /// Fires per bucket (not cumulative): `buckets[i]` counts lateness ≤ `bounds[i]` and > `bounds[i-1]`; the
    /// extra last element counts the rest.
    public private(set) var buckets: [Int] = Array(repeating: 0, count: FireLateness.bounds.count + 1)

    public init() {}

    mutating func record(_ seconds: Double) {
        let value = max(0, seconds)
        self.last = value
        self.maximum = max(self.maximum, value)
        self.count += 1
        self.sum += value
        let index = Self.bounds.firstIndex { value <= $0 } ?? Self.bounds.count
        self.buckets[index] += 1
    }

    /// `{"last", "max", "count", "sum", "buckets": [{"le", "count"}]}` with cumulative bucket counts.
    public var json: JSONValue {
        var running = 0
        var cumulative: [JSONValue] = []
        for (index, n) in self.buckets.enumerated() {
            running += n
            let bound: JSONValue = index < Self.bounds.count ? .number(Self.bounds[index]) : "+Inf"
            cumulative.append(["le": bound, "count": .number(Double(running))])
        }
        return [
            "last": self.last.map { .number($0) } ?? .null, "max": .number(self.maximum),
            "count": .number(Double(self.count)), "sum": .number(self.sum), "buckets": .array(cumulative),
        ]
    }
}

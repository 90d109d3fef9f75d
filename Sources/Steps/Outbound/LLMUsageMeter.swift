import Synchronization

/// Counts the tokens `llm_call` steps use: process-wide totals for metrics and a running sum per run.
///
/// One meter is made with the step library and handed to whoever exports metrics; it holds no global state.
/// The per-run sums live in memory (they restart from zero for a run resumed after a daemon restart) and
/// only the most recent `maxRuns` runs are kept.
public final class LLMUsageMeter: Sendable {
    /// Tokens used, and by how many calls (a repair retry counts as a call).
    public struct Usage: Sendable, Equatable {
        public var inputTokens = 0
        public var outputTokens = 0
        public var calls = 0

        public init(inputTokens: Int = 0, outputTokens: Int = 0, calls: Int = 0) {
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
            self.calls = calls
        }

        static func + (lhs: Usage, rhs: Usage) -> Usage {
            Usage(
                inputTokens: lhs.inputTokens + rhs.inputTokens, outputTokens: lhs.outputTokens + rhs.outputTokens,
                calls: lhs.calls + rhs.calls)
        }
    }

    /// Totals of one provider and model, for a labelled metric.
    public struct Series: Sendable, Equatable {
        public var provider: String
        public var model: String
        public var usage: Usage
    }

    private struct State {
        var series: [String: Series] = [:]
        var runs: [String: Usage] = [:]
        var runOrder: [String] = []
    }

    private let state = Mutex(State())
    private let maxRuns: Int

    /// - Parameter maxRuns: how many runs' sums are kept before the oldest is forgotten.
    public init(maxRuns: Int = 10_000) { self.maxRuns = max(1, maxRuns) }

    /// Adds one call's usage; returns the run's sum including it.
    @discardableResult
    public func record(runID: String, provider: String, model: String, usage: Usage) -> Usage {
        self.state.withLock { state in
            let key = provider + "\u{0}" + model
            var series = state.series[key] ?? Series(provider: provider, model: model, usage: Usage())
            series.usage = series.usage + usage
            state.series[key] = series
            if state.runs[runID] == nil {
                state.runOrder.append(runID)
                if state.runOrder.count > self.maxRuns {
                    state.runs[state.runOrder.removeFirst()] = nil
                }
            }
            let sum = (state.runs[runID] ?? Usage()) + usage
            state.runs[runID] = sum
            return sum
        }
    }

    /// The sum for one run so far (zero when unknown).
    public func usage(runID: String) -> Usage { self.state.withLock { $0.runs[runID] ?? Usage() } }

    /// Totals since start, one series per provider and model, sorted.
    public var series: [Series] {
        self.state.withLock { $0.series.values.sorted { ($0.provider, $0.model) < ($1.provider, $1.model) } }
    }

    /// Totals since start over every provider and model.
    public var total: Usage { self.series.reduce(Usage()) { $0 + $1.usage } }
}

public import Engine

extension OutboundResources {
    /// Counter, labels `provider`, `model`, `direction` (`input`, `output`): tokens `llm_call` used.
    public static let llmTokensMetric = "triggerd_llm_tokens_total"
    /// Counter, labels `provider`, `model`: model calls made by `llm_call` (repair requests included).
    public static let llmCallsMetric = "triggerd_llm_calls_total"
    /// Gauge: HTTP and SMTP transfers in flight in the shared libcurl transport.
    public static let activeTransfersMetric = "triggerd_outbound_transfers_active"

    /// Publishes token usage and open transfers in `metrics`, read from the meter at every scrape.
    public func export(to metrics: Metrics) {
        metrics.describe(Self.llmTokensMetric, kind: .counter, help: "Tokens used by llm_call steps, by provider, model and direction.")
        metrics.describe(Self.llmCallsMetric, kind: .counter, help: "Model calls made by llm_call steps, by provider and model.")
        metrics.describe(Self.activeTransfersMetric, kind: .gauge, help: "Outbound HTTP and SMTP transfers in flight.")
        let usage = self.usage
        let transport = self.http as? LazyCurlTransport
        metrics.addCollector { metrics in
            for series in usage.series {
                let labels = ["provider": series.provider, "model": series.model]
                metrics.set(Self.llmTokensMetric, labels.merging(["direction": "input"]) { $1 }, to: Double(series.usage.inputTokens))
                metrics.set(Self.llmTokensMetric, labels.merging(["direction": "output"]) { $1 }, to: Double(series.usage.outputTokens))
                metrics.set(Self.llmCallsMetric, labels, to: Double(series.usage.calls))
            }
            metrics.set(Self.activeTransfersMetric, to: Double(transport?.activeTransfers ?? 0))
        }
    }
}

/// The names of the daemon's metrics, in one place so every producer and `docs/metrics.md` agree.
public enum MetricName {
    /// Counter, labels `workflow`, `outcome`: every webhook request that reached a workflow path, by what
    /// became of it (`accepted`, `duplicate`, `filtered`, `rejected`, `invalid`, `too_large`, `busy`,
    /// `unavailable`, `error`, `challenge`, `method_not_allowed`); unknown paths count as `workflow=""`,
    /// `outcome="not_found"`.
    public static let webhookDeliveries = "triggerd_webhook_deliveries_total"
    /// Histogram, label `workflow`: seconds from a delivery's arrival to its answer (sync waits included).
    public static let webhookAnswerSeconds = "triggerd_webhook_answer_seconds"
    /// Gauge: deliveries accepted but not yet committed (the ingest queue).
    public static let ingestQueueDepth = "triggerd_webhook_ingest_queue_depth"
    /// Gauge: the configured `ingest.queue` limit.
    public static let ingestQueueLimit = "triggerd_webhook_ingest_queue_limit"
    /// Gauge, label `status`: runs in the store by status.
    public static let runs = "triggerd_runs"
    /// Counter: runs started since the daemon started.
    public static let runsStarted = "triggerd_runs_started_total"
    /// Histogram, labels `type`, `status`: seconds a step attempt took, by step type and how it ended.
    public static let stepDuration = "triggerd_step_duration_seconds"
    /// Histogram: seconds between a cron slot's scheduled time and the moment it fired.
    public static let schedulerLateness = "triggerd_scheduler_lateness_seconds"

    /// Counter: write transactions the store committed (each one fsync).
    public static let storeCommits = "triggerd_store_commits_total"
    /// Counter: write operations those transactions carried; divided by `storeCommits` it is the mean batch.
    public static let storeWrites = "triggerd_store_writes_total"

    static func describeStandard(in metrics: Metrics) {
        metrics.describe(webhookDeliveries, kind: .counter, help: "Webhook requests by workflow and outcome.")
        metrics.describe(webhookAnswerSeconds, kind: .histogram, help: "Seconds from arrival to answer of a webhook delivery.")
        metrics.describe(ingestQueueDepth, kind: .gauge, help: "Webhook deliveries in flight plus runs accepted and not yet started.")
        metrics.describe(ingestQueueLimit, kind: .gauge, help: "Configured ingest queue limit (ingest.queue).")
        metrics.describe(runs, kind: .gauge, help: "Runs in the store by status.")
        metrics.describe(runsStarted, kind: .counter, help: "Runs started since the daemon started.")
        metrics.describe(stepDuration, kind: .histogram, help: "Seconds per step attempt by step type and final status.")
        metrics.describe(storeCommits, kind: .counter, help: "Write transactions committed by the store (one fsync each).")
        metrics.describe(storeWrites, kind: .counter, help: "Write operations carried by those transactions (group commit).")
        metrics.describe(schedulerLateness, kind: .histogram, help: "Seconds between a cron slot's scheduled time and its fire.")
    }
}

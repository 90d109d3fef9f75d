import Testing

@testable import Engine

@Suite struct MetricsTests {
    @Test func rendersCountersGaugesAndHistogramsInPrometheusText() async {
        let metrics = Metrics()
        metrics.increment(MetricName.webhookDeliveries, ["workflow": "deploy", "outcome": "accepted"])
        metrics.increment(MetricName.webhookDeliveries, ["outcome": "accepted", "workflow": "deploy"], by: 2)
        metrics.set(MetricName.ingestQueueDepth, to: 7)
        metrics.observe(MetricName.stepDuration, ["type": "transform", "status": "completed"], 0.003)
        metrics.observe(MetricName.stepDuration, ["type": "transform", "status": "completed"], 400)
        let text = await metrics.render()
        #expect(text.contains("# TYPE triggerd_webhook_deliveries_total counter\n"))
        #expect(text.contains("triggerd_webhook_deliveries_total{outcome=\"accepted\",workflow=\"deploy\"} 3\n"))
        #expect(text.contains("triggerd_webhook_ingest_queue_depth 7\n"))
        #expect(text.contains("triggerd_step_duration_seconds_bucket{status=\"completed\",type=\"transform\",le=\"0.001\"} 0\n"))
        #expect(text.contains("triggerd_step_duration_seconds_bucket{status=\"completed\",type=\"transform\",le=\"0.005\"} 1\n"))
        #expect(text.contains("triggerd_step_duration_seconds_bucket{status=\"completed\",type=\"transform\",le=\"300\"} 1\n"))
        #expect(text.contains("triggerd_step_duration_seconds_bucket{status=\"completed\",type=\"transform\",le=\"+Inf\"} 2\n"))
        #expect(text.contains("triggerd_step_duration_seconds_count{status=\"completed\",type=\"transform\"} 2\n"))
        #expect(metrics.value(MetricName.webhookDeliveries, ["workflow": "deploy", "outcome": "accepted"]) == 3)
    }

    @Test func labelValuesAreEscapedAndCollectorsRunAtRender() async {
        let metrics = Metrics()
        metrics.addCollector { $0.set("custom_gauge", ["name": "a\"b\\c\nd"], to: 1.5) }
        let text = await metrics.render()
        #expect(text.contains("custom_gauge{name=\"a\\\"b\\\\c\\nd\"} 1.5\n"))
        #expect(text.contains("# TYPE custom_gauge gauge\n"))
    }

    @Test func resetDropsEverySeriesOfAFamily() {
        let metrics = Metrics()
        metrics.set(MetricName.runs, ["status": "running"], to: 2)
        metrics.reset(MetricName.runs)
        #expect(metrics.value(MetricName.runs, ["status": "running"]) == nil)
    }
}

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

    @Test func stepAttemptsAreObservedAsTheyEndButNotWhenTheyPark() async throws {
        let calls = CallLog()
        let h = try EngineHarness(
            executors: [FlakyStep(kind: "http_request", failures: 1, calls: calls), ParkStep(kind: "delay", calls: calls)],
            calls: calls)
        let metrics = Metrics()
        RunMetricsRecorder.register(engine: h.engine, metrics: metrics)
        _ = try await h.load(
            """
            steps:
              a: { type: transform, with: { value: 1 } }
              b: { type: http_request, needs: [a], with: { url: "http://127.0.0.1:9/" } }
              nap: { type: delay, with: { duration: 1h } }
            """)
        let run = try await h.run("wf")
        #expect(run.status == .failed)
        #expect(metrics.sampleCount(MetricName.stepDuration, ["type": "transform", "status": "completed"]) == 1)
        #expect(metrics.sampleCount(MetricName.stepDuration, ["type": "http_request", "status": "failed"]) == 1)
        #expect(metrics.sampleCount(MetricName.stepDuration, ["type": "http_request", "status": "completed"]) == nil)
        #expect(metrics.sampleCount(MetricName.stepDuration, ["type": "delay", "status": "completed"]) == nil)
        #expect(metrics.sampleCount(MetricName.stepDuration, ["type": "delay", "status": "failed"]) == nil)
    }
}

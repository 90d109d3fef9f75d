import Engine
import Foundation
import Logging
import Steps
import Testing

/// The driver of bench/http_steps.sh: `http_request` steps run by the real engine (a store on disk, the step
/// library's executors, one libcurl transport) against a local server, compared with raw requests on the same
/// transport. Skipped unless TRIGGERD_BENCH_URL is set; writes its table to TRIGGERD_BENCH_OUT.
@Suite struct HTTPStepsBenchmark {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.enabled(if: Self.environment["TRIGGERD_BENCH_URL"] != nil))
    func httpRequestSteps() async throws {
        let url = try #require(Self.environment["TRIGGERD_BENCH_URL"])
        let total = Int(Self.environment["TRIGGERD_BENCH_STEPS"] ?? "") ?? 10_000
        let concurrency = Int(Self.environment["TRIGGERD_BENCH_CONCURRENCY"] ?? "") ?? 100
        let transport = CurlTransport(maxConnectionsPerHost: concurrency)
        let fdsAtStart = ProcessProbe.openFileDescriptors()

        // Warm the connection pool, then time raw requests: the baseline a step adds to.
        _ = try await Self.concurrently(total: concurrency * 2, width: concurrency) { _ in
            try await Self.raw(url, transport)
        }
        let rawStart = ContinuousClock.now
        let raw = try await Self.concurrently(total: total, width: concurrency) { _ in try await Self.raw(url, transport) }
        let rawSeconds = Self.seconds(ContinuousClock.now - rawStart)
        let fdsAfterRaw = ProcessProbe.openFileDescriptors()

        // The executor alone (request building, response parsing, output) on the same transport.
        let executor = HTTPRequestStep(transport: transport)
        let with: [String: JSONValue] = ["url": .string(url), "expect_status": 200]
        let executorStart = ContinuousClock.now
        let executed = try await Self.concurrently(total: total, width: concurrency) { index in
            let started = ContinuousClock.now
            _ = try await executor.execute(StepTesting.request("http_request", with, run: "bench-\(index)"))
            return Self.seconds(ContinuousClock.now - started)
        }
        let executorSeconds = Self.seconds(ContinuousClock.now - executorStart)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(path: directory.appendingPathComponent("triggerd.db").path)
        let registry = StepLibrary.registry(
            configuration: DaemonConfiguration(), secrets: [:], environment: [:],
            resources: OutboundResources(http: transport, mail: transport))
        let engine = RunEngine(store: store, registry: registry, logger: Logger(label: "bench"))
        let yaml = """
            name: bench
            triggers: [{ manual: {} }]
            steps:
              call:
                type: http_request
                with: { url: "\(url)", expect_status: 200 }
            """
        let definition = try WorkflowLoader().load(source: yaml, file: "bench.yaml", defaultName: "bench")
        try await engine.setWorkflows(["bench": definition])

        let stepsStart = ContinuousClock.now
        let runs = try await Self.concurrently(total: total, width: concurrency) { _ -> (Double, Double) in
            let started = ContinuousClock.now
            let id = try await engine.startRun(workflow: "bench", trigger: ["type": "manual"], input: [:])
            let record = try #require(await engine.waitForCompletion(runID: id))
            let endToEnd = Self.seconds(ContinuousClock.now - started)
            let step = try #require(record.steps.first)
            #expect(record.status == .completed, "\(record.error ?? "")")
            let duration = step.endedAt.flatMap { end in step.startedAt.map { end.timeIntervalSince($0) } } ?? .nan
            return (duration, endToEnd)
        }
        let stepsSeconds = Self.seconds(ContinuousClock.now - stepsStart)
        let memory = ProcessProbe.memory()
        let fdsAtEnd = ProcessProbe.openFileDescriptors()

        let rawP = Percentiles(raw)
        let executorP = Percentiles(executed)
        let stepP = Percentiles(runs.map(\.0))
        let runP = Percentiles(runs.map(\.1))
        func ms(_ value: Double) -> String { String(format: "%.2f ms", value * 1000) }
        let rows: [(String, String)] = [
            ("steps (runs of one http_request step)", "\(total) at concurrency \(concurrency)"),
            ("raw requests/s (transport only)", String(format: "%.0f", Double(total) / rawSeconds)),
            ("http_request executor calls/s (no engine)", String(format: "%.0f", Double(total) / executorSeconds)),
            ("http_request steps/s (engine, store, step)", String(format: "%.0f", Double(total) / stepsSeconds)),
            ("raw request latency p50 / p99", "\(ms(rawP.p50)) / \(ms(rawP.p99))"),
            ("executor call p50 / p99", "\(ms(executorP.p50)) / \(ms(executorP.p99))"),
            ("step duration p50 / p99 (stored start→end)", "\(ms(stepP.p50)) / \(ms(stepP.p99))"),
            ("run end-to-end p50 / p99 (start→completed)", "\(ms(runP.p50)) / \(ms(runP.p99))"),
            ("p99 executor overhead over the raw request", ms(executorP.p99 - rawP.p99)),
            ("p99 step overhead over the raw request", ms(stepP.p99 - rawP.p99)),
            ("p99 run overhead over the raw request", ms(runP.p99 - rawP.p99)),
            ("memory RSS at end / peak", "\(memory.rssMiB) MiB / \(memory.peakMiB) MiB"),
            ("open fds: start / after raw / at end", "\(fdsAtStart) / \(fdsAfterRaw) / \(fdsAtEnd)"),
            ("transfers still active at end", "\(transport.activeTransfers)"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        var table = "| \("metric".padding(toLength: width, withPad: " ", startingAt: 0)) | value |\n"
        table += "|\(String(repeating: "-", count: width + 2))|-------|\n"
        for (name, value) in rows { table += "| \(name.padding(toLength: width, withPad: " ", startingAt: 0)) | \(value) |\n" }
        if let out = Self.environment["TRIGGERD_BENCH_OUT"] {
            try table.write(toFile: out, atomically: true, encoding: .utf8)
        } else {
            print(table)
        }
        #expect(transport.activeTransfers == 0)
        // Connections are pooled, never leaked: the end holds no more descriptors than the warmed pool did,
        // give or take the store's files.
        #expect(fdsAtEnd <= fdsAfterRaw + 8)
    }

    private static func raw(_ url: String, _ transport: CurlTransport) async throws -> Double {
        let started = ContinuousClock.now
        let response = try await transport.send(HTTPStepRequest(url: url))
        #expect(response.status == 200)
        return self.seconds(ContinuousClock.now - started)
    }

    /// Runs `total` jobs, `width` at a time, returning their results.
    private static func concurrently<T: Sendable>(
        total: Int, width: Int, _ job: @escaping @Sendable (Int) async throws -> T
    ) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            var results: [T] = []
            results.reserveCapacity(total)
            var next = 0
            while next < min(width, total) {
                let index = next
                group.addTask { try await job(index) }
                next += 1
            }
            while let result = try await group.next() {
                results.append(result)
                if next < total {
                    let index = next
                    group.addTask { try await job(index) }
                    next += 1
                }
            }
            return results
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// p50 and p99 of a sample.
struct Percentiles {
    var p50: Double
    var p99: Double

    init(_ values: [Double]) {
        let sorted = values.filter { !$0.isNaN }.sorted()
        func at(_ q: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        self.p50 = at(0.50)
        self.p99 = at(0.99)
    }
}

/// What /proc says about this process.
enum ProcessProbe {
    static func openFileDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    /// VmRSS and VmHWM (peak) in MiB.
    static func memory() -> (rssMiB: Int, peakMiB: Int) {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        func kib(_ key: String) -> Int {
            let line = status.split(separator: "\n").first { $0.hasPrefix(key + ":") } ?? ""
            return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "") ?? 0
        }
        return (kib("VmRSS") / 1024, kib("VmHWM") / 1024)
    }
}

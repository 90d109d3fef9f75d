import Engine
import Foundation
import Synchronization
import Testing

/// SPEC §5 end to end: an answer of 2xx means the delivery is stored. Several threads send signed GitHub
/// deliveries while the daemon is SIGKILLed mid-burst; after a restart every delivery that got a 2xx is listed by
/// `triggerctl deliveries` and its run completes.
@Suite("end to end: webhook deliveries survive kill -9", .serialized)
struct WebhookCrashEndToEndTests {
    struct Sent: Sendable {
        var id: String
        var status: Int?
        var deliveryID: String?
        var runID: String?
    }

    static let workflow = """
        name: burst
        triggers:
          - webhook:
              path: /hooks/burst
              verify: { scheme: github, secret: "{{ secrets.GH }}" }
        steps:
          record:
            type: transform
            with: { value: "{{ trigger.body.seq }}" }
        """

    @Test func everyAcknowledgedDeliveryIsThereAfterKill9() throws {
        let secret = "burst-secret"
        let daemon = try DaemonProcess(workflows: ["burst.yaml": Self.workflow], secrets: ["GH": secret])
        defer { daemon.stop() }
        try daemon.start()
        let port = daemon.port
        let results = Mutex<[Sent]>([])
        let threads = 4
        let perThread = 24
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                for index in 0..<perThread {
                    let id = "burst-\(thread)-\(index)"
                    let body = Array(#"{"seq":"\#(id)"}"#.utf8)
                    var sent = Sent(id: id)
                    if let headers = try? WebhookSigner.sign(scheme: .github, secret: secret, body: body, timestamp: Date(), id: id),
                        let answer = HTTPPoster.post(
                            port: port, path: "/hooks/burst",
                            headers: headers + [(name: "Content-Type", value: "application/json")], body: body)
                    {
                        sent.status = answer.status
                        let json = try? JSONValue.parse(answer.body)
                        sent.deliveryID = json?["delivery_id"]?.stringValue
                        sent.runID = json?["run_id"]?.stringValue
                    }
                    results.withLock { $0.append(sent) }
                }
            }
        }
        // Kill once a fifth of the burst is answered, while the threads are still sending.
        let deadline = Date().addingTimeInterval(30)
        while results.withLock({ $0.count }) < threads * perThread / 5, Date() < deadline { usleep(500) }
        daemon.kill9()
        #expect(group.wait(timeout: .now() + 60) == .success)
        let sent = results.withLock { $0 }
        let acknowledged = sent.filter { ($0.status ?? 0) / 100 == 2 }
        print("webhook crash test: \(acknowledged.count) of \(sent.count) deliveries acknowledged before the kill")
        #expect(!acknowledged.isEmpty)
        #expect(acknowledged.count < threads * perThread, "the kill came after the burst; nothing was tested")
        #expect(sent.allSatisfy { $0.status == nil || $0.status == 202 }, "\(sent.filter { $0.status != nil && $0.status != 202 })")

        try daemon.start()
        let listed = try #require(try daemon.ctlJSON(["deliveries", "--workflow", "burst"]) as? [[String: Any]])
        let storedIDs = Set(listed.compactMap { $0["id"] as? String })
        for delivery in acknowledged {
            let id = try #require(delivery.deliveryID, "2xx without a delivery id for \(delivery.id)")
            #expect(storedIDs.contains(id), "delivery \(delivery.id) was answered \(delivery.status ?? 0) but is not stored")
        }
        for delivery in acknowledged {
            let runID = try #require(delivery.runID)
            try daemon.waitUntil(timeout: 30, "run \(runID) of \(delivery.id) to complete") {
                try daemon.run(runID)["status"] as? String == "completed"
            }
            let run = try daemon.run(runID)
            let steps = run["steps"] as? [[String: Any]]
            #expect(steps?.first?["output"] as? String == delivery.id)
        }
    }
}

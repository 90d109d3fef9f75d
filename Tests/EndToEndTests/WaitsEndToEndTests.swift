import Engine
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SPEC §6 waits with the real daemon: approvals by real Unix identities over the control socket, quorum and
/// `approvers`, event look-back, `for_each` across kill -9, and wait deadlines across kill -9.
@Suite("end to end: waits", .serialized)
struct WaitsEndToEndTests {
    @Test(.enabled(if: SystemAccounts.available, "needs root to create users"))
    func quorumOfTwoDistinctPeopleWithRealIdentities() throws {
        let accounts = SystemAccounts()
        defer { accounts.remove() }
        let socketGroup = try accounts.group("tdsock")
        let releasers = try accounts.group("tdrel")
        let approver = try accounts.user("tdappr", groups: [socketGroup, releasers])
        let outsider = try accounts.user("tdout", groups: [socketGroup])
        let workflow = """
            name: gate
            steps:
              ask:
                type: wait_for_approval
                with: { message: "Ship it?", approvers: [root, \(releasers)], required: 2 }
              done:
                type: transform
                needs: [ask]
                with: { value: "{{ steps.ask.output.by }}" }
            """
        let daemon = try DaemonProcess(workflows: ["gate.yaml": workflow], config: "socket_group: \(socketGroup)\n")
        defer { daemon.stop() }
        // The other users must reach the socket: traverse the temp directory, then the 0660 socket's group.
        chmod(daemon.directory, 0o755)
        try daemon.start()
        let id = try Self.start(daemon, "gate")
        try daemon.waitUntil("the run to park on its approval") { try daemon.run(id)["status"] as? String == "waiting" }

        let pending = try #require(try daemon.ctlJSON(["approvals"]) as? [[String: Any]])
        #expect(pending.count == 1)
        #expect(pending.first?["approvers"] as? [String] == ["root", releasers])
        #expect(pending.first?["required"] as? Int == 2)

        let first = daemon.ctl(["approve", id, "--comment", "looks good"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "approved step ask of run \(id) as root\n")

        // The same person approving again does not count twice.
        let again = daemon.ctl(["approve", id])
        #expect(again.status == 1)
        #expect(again.stderr == "triggerctl: root already decided step 'ask' of run \(id)\n")
        #expect(try daemon.run(id)["status"] as? String == "waiting")
        let stillPending = try #require(try daemon.ctlJSON(["approvals"]) as? [[String: Any]])
        #expect(stillPending.first?["approved_by"] as? [String] == ["root"])

        // Someone allowed on the socket but outside `approvers` is refused with who may.
        let refused = daemon.ctl(["approve", id, "ask"], user: outsider)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("may not decide step 'ask'"), "\(refused.stderr)")
        #expect(refused.stderr.contains("\(outsider) (uid \(accounts.uid(of: outsider) ?? -1))"), "\(refused.stderr)")
        #expect(refused.stderr.contains("allowed: root, \(releasers)"), "\(refused.stderr)")
        #expect(try daemon.run(id)["status"] as? String == "waiting")

        // A member of an approver group, on the socket through socket_group, completes the quorum.
        let second = daemon.ctl(["approve", id, "--comment", "ship"], user: approver)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout == "approved step ask of run \(id) as \(approver)\n")
        try daemon.waitUntil("the run to complete") { try daemon.run(id)["status"] as? String == "completed" }

        let run = try daemon.run(id)
        let decisions = try #require(run["decisions"] as? [[String: Any]])
        #expect(decisions.map { $0["user"] as? String } == ["root", approver])
        #expect(decisions.map { $0["uid"] as? Int } == [0, accounts.uid(of: approver)])
        #expect(decisions.map { $0["comment"] as? String } == ["looks good", "ship"])
        #expect(decisions.allSatisfy { $0["approved"] as? Bool == true })
        let ask = try Self.step("ask", of: run)
        let output = try #require(ask["output"] as? [String: Any])
        #expect(output["approved"] as? Bool == true)
        #expect(output["by"] as? [String] == ["root", approver])
        #expect(output["comment"] as? String == "ship")
        #expect(try Self.step("done", of: run)["output"] as? [String] == ["root", approver])
    }

    @Test func approveAndRejectExplainWhyNothingCanBeDecided() throws {
        let daemon = try DaemonProcess(workflows: [
            "once.yaml": """
            steps:
              ask: { type: wait_for_approval, with: { message: "Go?" } }
              hold: { type: wait_for_event, needs: [ask], with: { event: never.happens } }
            """,
            "plain.yaml": "steps: { a: { type: transform, with: { value: 1 } } }",
        ])
        defer { daemon.stop() }
        try daemon.start()

        for args in [["approve", "01NOSUCHRUN"], ["reject", "01NOSUCHRUN", "ask"]] {
            let unknown = daemon.ctl(args)
            #expect(unknown.status == 1, "\(args)")
            #expect(unknown.stderr == "triggerctl: no run with id '01NOSUCHRUN'\n", "\(args)")
        }

        let plain = try Self.start(daemon, "plain")
        try daemon.waitUntil("the plain run to complete") { try daemon.run(plain)["status"] as? String == "completed" }
        let notWaiting = daemon.ctl(["approve", plain])
        #expect(notWaiting.status == 1)
        #expect(notWaiting.stderr == "triggerctl: run \(plain) is not waiting for an approval (the run is completed)\n")
        let namedStep = daemon.ctl(["reject", plain, "ask"])
        #expect(namedStep.status == 1)
        #expect(
            namedStep.stderr == "triggerctl: run \(plain) has no pending approval at step 'ask' (run is completed)\n"
        )

        let once = try Self.start(daemon, "once")
        try daemon.waitUntil("the run to park on its approval") {
            try daemon.run(once)["status"] as? String == "waiting"
        }
        #expect(daemon.ctl(["approve", once]).status == 0)
        try daemon.waitUntil("the run to move on to its event wait") {
            try Self.step("hold", of: daemon.run(once))["status"] as? String == "waiting"
        }
        let decided = daemon.ctl(["reject", once])
        #expect(decided.status == 1)
        #expect(
            decided.stderr
                == "triggerctl: run \(once) has no pending approval: step ask was already decided (last approved by root); the run is waiting\n"
        )
        let decidedStep = daemon.ctl(["approve", once, "ask"])
        #expect(decidedStep.status == 1)
        #expect(decidedStep.stderr == "triggerctl: step 'ask' of run \(once) was already decided\n")
        let decisions = try #require(try daemon.run(once)["decisions"] as? [[String: Any]])
        #expect(decisions.count == 1)
    }

    @Test func anEventEmittedBeforeTheWaitStartsIsMatchedWithinLookback() throws {
        let daemon = try DaemonProcess(workflows: [
            "pay.yaml": """
            name: pay
            inputs: { order: { type: string, required: true } }
            steps:
              paid:
                type: wait_for_event
                with: { event: order.paid, key: "{{ input.order }}", lookback: 1m, timeout: 30s, filter: "{{ event.data.amount > 0 }}" }
              receipt:
                type: transform
                needs: [paid]
                with: { value: "{{ steps.paid.output.key }}:{{ steps.paid.output.data.amount }}" }
            """,
            "audit.yaml": """
            name: audit
            triggers: [ { event: { name: "order.*" } } ]
            steps: { note: { type: transform, with: { value: "{{ trigger.name }}/{{ trigger.key }}" } } }
            """,
        ])
        defer { daemon.stop() }
        try daemon.start()

        // Emitted first: nothing waits yet, so nothing resumes; the glob trigger starts the audit workflow.
        let emitted = try #require(
            try daemon.ctlJSON(["emit", "order.paid", "--key", "o-7", "--data", #"{"amount": 42}"#]) as? [String: Any]
        )
        #expect(emitted["resumed"] as? [String] == [])
        let started = try #require(emitted["started"] as? [String])
        #expect(started.count == 1)
        // Same name, another key: it must not satisfy the wait for o-7.
        _ = try daemon.ctlJSON(["emit", "order.paid", "--key", "o-8", "--data", #"{"amount": 5}"#])

        let id = try Self.start(daemon, "pay", input: #"{"order": "o-7"}"#)
        try daemon.waitUntil("the run to complete from the earlier event") {
            try daemon.run(id)["status"] as? String == "completed"
        }
        let run = try daemon.run(id)
        let paid = try #require(try Self.step("paid", of: run)["output"] as? [String: Any])
        #expect(paid["name"] as? String == "order.paid")
        #expect(paid["key"] as? String == "o-7")
        #expect((paid["data"] as? [String: Any])?["amount"] as? Int == 42)
        #expect(try Self.step("receipt", of: run)["output"] as? String == "o-7:42")
        try daemon.waitUntil("the audit run to complete") {
            try daemon.run(started[0])["status"] as? String == "completed"
        }
        #expect(try Self.step("note", of: daemon.run(started[0]))["output"] as? String == "order.paid/o-7")

        // A run for a key whose only event the filter refuses keeps waiting, then a live event resumes it.
        _ = try daemon.ctlJSON(["emit", "order.paid", "--key", "o-9", "--data", #"{"amount": 0}"#])
        let later = try Self.start(daemon, "pay", input: #"{"order": "o-9"}"#)
        try daemon.waitUntil("the second run to park") { try daemon.run(later)["status"] as? String == "waiting" }
        let live = try #require(
            try daemon.ctlJSON(["emit", "order.paid", "--key", "o-9", "--data", #"{"amount": 1}"#]) as? [String: Any]
        )
        #expect(live["resumed"] as? [String] == [later])
        try daemon.waitUntil("the second run to complete") { try daemon.run(later)["status"] as? String == "completed" }
    }

    // MARK: - Helpers

    /// Starts a run through `triggerctl run NAME --json` and returns its id.
    static func start(_ daemon: DaemonProcess, _ workflow: String, input: String? = nil) throws -> String {
        var args = ["run", workflow]
        if let input { args += ["--input", input] }
        let answer = try #require(try daemon.ctlJSON(args) as? [String: Any])
        return try #require(answer["run_id"] as? String)
    }

    static func step(_ id: String, of run: [String: Any]) throws -> [String: Any] {
        let steps = try #require(run["steps"] as? [[String: Any]])
        return try #require(steps.first { $0["id"] as? String == id }, "no step \(id)")
    }

    static func time(_ value: Any?) throws -> Date {
        try #require((value as? String).flatMap(Timestamp.parse), "not a timestamp: \(String(describing: value))")
    }

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

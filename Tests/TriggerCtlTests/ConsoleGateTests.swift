import Foundation
import Testing

@testable import TriggerCtl

/// `triggerctl console`: who gets through the loopback port, and what is forwarded to the daemon.
@Suite struct ConsoleGateTests {
    private func head(_ target: String, _ headers: [(String, String)], method: String = "GET") -> ConsoleRequestHead {
        ConsoleRequestHead(method: method, target: target, version: "HTTP/1.1", headers: headers.map { ($0.0, $0.1) })
    }

    @Test func theLinkWorksOnceAndGivesAStrictHttpOnlyCookie() {
        let gate = ConsoleGate(port: 8999, token: "t0k", session: "s3ss")
        #expect(gate.url == "http://127.0.0.1:8999/?token=t0k")
        let first = gate.verdict(for: self.head("/?token=t0k", [("Host", "127.0.0.1:8999")]))
        #expect(first == .grant(location: "/", cookie: "triggerctl_console=s3ss; Path=/; HttpOnly; SameSite=Strict"))
        let again = gate.verdict(for: self.head("/?token=t0k", [("Host", "127.0.0.1:8999")]))
        guard case .refuse(403, let message) = again else { Issue.record("\(again)"); return }
        #expect(message.contains("already used"))
        let withCookie = self.head("/runs", [("Host", "localhost:8999"), ("Cookie", "a=b; triggerctl_console=s3ss")])
        #expect(gate.verdict(for: withCookie) == .forward)
    }

    @Test func strangersAreRefused() {
        let gate = ConsoleGate(port: 8999, token: "t0k", session: "s3ss")
        guard case .refuse(401, _) = gate.verdict(for: self.head("/", [("Host", "127.0.0.1:8999")])) else {
            Issue.record("no cookie, no token")
            return
        }
        guard case .refuse(403, _) = gate.verdict(for: self.head("/?token=guess", [("Host", "127.0.0.1:8999")])) else {
            Issue.record("a wrong token")
            return
        }
        let rebound = self.head("/", [("Host", "evil.example:8999"), ("Cookie", "triggerctl_console=s3ss")])
        guard case .refuse(421, _) = gate.verdict(for: rebound) else {
            Issue.record("another Host (DNS rebinding)")
            return
        }
        let crossSite = self.head(
            "/runs/r1/cancel",
            [("Host", "127.0.0.1:8999"), ("Origin", "http://evil.example"), ("Cookie", "triggerctl_console=s3ss")],
            method: "POST"
        )
        guard case .refuse(403, _) = gate.verdict(for: crossSite) else {
            Issue.record("a cross-origin POST")
            return
        }
        // A wrong token does not spend the right one.
        #expect(gate.verdict(for: self.head("/?token=t0k", [("Host", "127.0.0.1:8999")])) != .forward)
    }

    @Test func theForwardedHeadDropsTheCookieAndClosesTheConnection() throws {
        let raw = "POST /runs/r1/cancel HTTP/1.1\r\nHost: 127.0.0.1:8999\r\nCookie: triggerctl_console=s3ss\r\n"
            + "Connection: keep-alive\r\nContent-Length: 5\r\n\r\n"
        let head = try #require(ConsoleRequestHead.parse(Array(raw.utf8)))
        #expect(head.method == "POST")
        #expect(head.path == "/runs/r1/cancel")
        #expect(head.header("content-length") == "5")
        #expect(
            String(decoding: head.forwarded(), as: UTF8.self)
                == "POST /runs/r1/cancel HTTP/1.1\r\nHost: 127.0.0.1:8999\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
        )
        #expect(ConsoleRequestHead.parse(Array("garbage\r\n".utf8)) == nil)
        #expect(ConsoleRequestHead.parse(Array("GET http://x/ HTTP/1.1\r\n".utf8)) == nil)
    }
}

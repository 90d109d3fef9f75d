import Foundation
import SocketSupport
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 8, "hostile clients": slow connections (slowloris), oversized headers and bodies, and a flood of one
/// webhook path, all at once against the real daemon. While they go on, another webhook path answers 2xx and its
/// run completes, `/healthz` answers, `triggerctl status` answers over the control socket, and the daemon's RSS
/// stays bounded. Afterwards the daemon drops the stalled connections by itself (`ingest.idle_timeout`), and
/// `ingest.max_connections` keeps a crowd of them from taking every descriptor.
@Suite("end to end: hostile webhook clients", .serialized)
struct HostileClientsEndToEndTests {
    /// Short, so the test sees the daemon drop stalled connections within seconds (the default is 30 s).
    static let idleTimeout = 2.0

    /// `ok` (the path that must keep answering) and `flood` (the one hammered): the same echo workflow each.
    static let workflows = Dictionary(uniqueKeysWithValues: ["ok", "flood"].map { name in
        (
            "\(name).yaml",
            """
            name: \(name)
            triggers:
              - webhook: { path: /hooks/\(name), max_body: 64KiB }
            steps:
              echo: { type: transform, with: { value: "{{ trigger.body.n }}" } }
            """
        )
    })

    @Test func otherPathsHealthAndControlSocketStayServedUnderAttack() throws {
        let daemon = try DaemonProcess(workflows: Self.workflows, config: "ingest: { idle_timeout: 2s }\n")
        defer { daemon.stop() }
        try daemon.start()
        let port = daemon.port
        let pid = try #require(daemon.process?.processIdentifier)
        // Warm up the paths the checks use, so the idle figures include their code and caches.
        #expect(RawConnection.request(port: port, "POST", "/hooks/ok", body: Array(#"{"n":0}"#.utf8))?.status == 202)
        #expect(RawConnection.request(port: port, "GET", "/healthz")?.status == 200)
        let idleRSS = try ProcessStatus.rssKiB(pid)
        let idleFDs = ProcessStatus.openDescriptors(pid)

        // Slow connections: a quarter of our own descriptor limit, at most 400, so the test never starves the
        // other suites running in this process.
        let slowCount = min(400, ProcessStatus.descriptorLimit() / 4)
        let attack = Attack(port: port, slowCount: slowCount)
        let attackStarted = Date()
        try attack.openSlowConnections()
        let peak = PeakSampler(pid: pid)
        peak.start()
        attack.start()
        defer { attack.stop() }

        // Oversized header block: 256 KiB in one field, over the HTTP decoder's 80 KiB limit. The daemon answers
        // 400 (or 431) and closes, or just closes; it never reads the whole block into a request.
        let big = try #require(RawConnection(port: port))
        big.send(
            "POST /hooks/ok HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + String(repeating: "a", count: 256 * 1024)
                + "\r\nContent-Length: 2\r\n\r\n{}"
        )
        let bigAnswer = big.readAnswer(timeout: 5)
        if let bigAnswer {
            #expect(bigAnswer.status == 400 || bigAnswer.status == 431, "oversized header answered \(bigAnswer.status)")
        }
        #expect(big.closedByPeer(within: 5), "the daemon kept the oversized-header connection open")
        big.close()

        // Oversized body, declared: 413 at once, before a single body byte is sent.
        let declared = try #require(RawConnection(port: port))
        let declaredAt = Date()
        declared.send(
            "POST /hooks/ok HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 104857600\r\n\r\n"
        )
        let declaredAnswer = declared.readAnswer(timeout: 5)
        let declaredSeconds = -declaredAt.timeIntervalSinceNow
        #expect(declaredAnswer?.status == 413)
        #expect(declaredSeconds < 2, "413 for a declared 100 MiB body took \(declaredSeconds)s")
        declared.close()

        // Oversized body, chunked: the client offers 256 MiB; the daemon answers 413 once 64 KiB are crossed and
        // stops reading, so only what the kernel's socket buffers hold ever leaves the client.
        let chunked = try #require(RawConnection(port: port))
        chunked.send("POST /hooks/ok HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")
        let offered = 256 * 1024 * 1024
        let chunkedSent = chunked.sendChunkedUntilAnswered(total: offered)
        #expect(chunked.readAnswer(timeout: 5)?.status == 413)
        #expect(chunkedSent < offered / 4, "the daemon read \(chunkedSent) bytes of an oversized chunked body")
        chunked.close()

        // Meanwhile, the things that must keep working.
        let okAt = Date()
        let ok = RawConnection.request(
            port: port,
            "POST",
            "/hooks/ok",
            headers: ["Content-Type: application/json"],
            body: Array(#"{"n":42}"#.utf8),
            timeout: 10
        )
        let okSeconds = -okAt.timeIntervalSinceNow
        #expect(ok?.status == 202, "the other webhook path answered \(String(describing: ok))")
        #expect(okSeconds < 5, "the other webhook path took \(okSeconds)s")
        let health = RawConnection.request(port: port, "GET", "/healthz", timeout: 10)
        #expect(health?.status == 200)
        let statusAt = Date()
        let status = CommandResult.run(
            [DaemonProcess.binDirectory + "/triggerctl", "status", "--socket", daemon.socket],
            timeout: 15
        )
        let statusSeconds = -statusAt.timeIntervalSinceNow
        #expect(status.status == 0, "triggerctl status failed: \(status.stderr)")
        #expect(statusSeconds < 5, "triggerctl status took \(statusSeconds)s")
        if let body = ok?.body,
            let runID = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["run_id"]
                as? String
        {
            try daemon.waitUntil(timeout: 10, "run \(runID) of /hooks/ok to complete") {
                (try daemon.run(runID)["status"] as? String) == "completed"
            }
        }
        let heldDuringChecks = attack.openSlowCount()
        #expect(
            heldDuringChecks > slowCount / 2,
            "only \(heldDuringChecks) of \(slowCount) slow connections were open during the checks"
        )

        // Keep the attack up past one idle timeout, so the daemon has to drop slow connections while under load.
        let attackFloor = Self.idleTimeout + 1
        let remaining = attackFloor + attackStarted.timeIntervalSinceNow
        if remaining > 0 { usleep(UInt32(remaining * 1_000_000)) }
        let attackFDs = ProcessStatus.openDescriptors(pid)
        attack.stop()
        peak.stop()
        let report = attack.report()

        // The daemon drops every stalled connection by itself within the idle timeout (plus scheduling slack).
        let stillOpen = attack.slowConnectionsStillOpen(after: Self.idleTimeout + 3)
        #expect(
            stillOpen == 0,
            "\(stillOpen) of \(slowCount) slow connections were still open \(Self.idleTimeout + 3)s after the attack"
        )
        #expect(report.droppedByDaemon > 0, "the daemon dropped no slow connection during the attack")
        #expect(report.slowBodies408 > 0, "no trickled body was answered 408")

        // The flood was served (accepted or refused with 429), never left unanswered.
        #expect(report.floodAccepted > 0)
        #expect(report.floodOther == 0, "flood answers other than 202/429: \(report.floodOther)")

        // Memory: bounded by 3x the idle RSS. The chunked body alone offered 256 MiB and the declared one
        // 100 MiB, so a daemon that buffered either would be far past it; what is left is a few KiB per open
        // connection (400 of them) and the runs of the flood.
        let peakRSS = peak.peakKiB
        #expect(peakRSS < 3 * idleRSS, "peak RSS \(peakRSS) KiB is over 3x the idle \(idleRSS) KiB")
        print(
            """
            hostile clients: \(slowCount) slow connections (\(report.droppedByDaemon) dropped by the daemon and \
            reopened, \(report.slowBodies408) of them trickled bodies answered 408), flood \
            \(report.floodAccepted) accepted / \(report.flood429) refused 429, oversized header \
            \(bigAnswer.map { "\($0.status)" } ?? "no answer") and closed, declared 100 MiB body 413 in \
            \(Int(declaredSeconds * 1000)) ms, chunked body 413 after \(chunkedSent / 1024) KiB sent; /hooks/ok 202 \
            in \(Int(okSeconds * 1000)) ms, triggerctl status in \(Int(statusSeconds * 1000)) ms; RSS idle \
            \(idleRSS / 1024) MiB, peak \(peakRSS / 1024) MiB; fds idle \(idleFDs), under attack \(attackFDs)
            """
        )
    }

    /// `ingest.max_connections`: a crowd of silent connections larger than the limit holds at most that many of
    /// the daemon's descriptors; the control socket answers at once, and the listener serves again as the idle
    /// timeout frees slots.
    @Test func connectionLimitBoundsDescriptorsAndTheListenerRecovers() throws {
        let limit = 16
        let daemon = try DaemonProcess(
            workflows: Self.workflows,
            config: "ingest: { idle_timeout: 2s, max_connections: \(limit) }\n"
        )
        defer { daemon.stop() }
        try daemon.start()
        let port = daemon.port
        let pid = try #require(daemon.process?.processIdentifier)
        #expect(RawConnection.request(port: port, "GET", "/healthz")?.status == 200)
        let idleFDs = ProcessStatus.openDescriptors(pid)

        var crowd: [RawConnection] = []
        defer { crowd.forEach { $0.close() } }
        for _ in 0..<(2 * limit) {
            // Beyond the limit the daemon stops accepting; these wait in the listen backlog (256).
            crowd.append(try #require(RawConnection(port: port)))
        }
        usleep(300_000)
        let crowdFDs = ProcessStatus.openDescriptors(pid)
        #expect(
            crowdFDs <= idleFDs + limit + 2,
            "descriptors grew from \(idleFDs) to \(crowdFDs) with a limit of \(limit)"
        )

        let statusAt = Date()
        let status = CommandResult.run(
            [DaemonProcess.binDirectory + "/triggerctl", "status", "--socket", daemon.socket],
            timeout: 15
        )
        #expect(status.status == 0, "triggerctl status failed: \(status.stderr)")
        #expect(-statusAt.timeIntervalSinceNow < 3)

        // Queued behind 2 x limit silent connections, /healthz is answered once the idle timeout has freed two
        // rounds of slots: about 2 x 2 s.
        let healthAt = Date()
        let health = RawConnection.request(port: port, "GET", "/healthz", timeout: 12)
        let healthSeconds = -healthAt.timeIntervalSinceNow
        #expect(health?.status == 200, "healthz behind the crowd: \(String(describing: health))")
        #expect(healthSeconds < 10)
        // One deadline for all: a daemon that never drops them costs 4 s, not 4 s per connection.
        let deadline = Date().addingTimeInterval(4)
        let stillOpen = crowd.filter { !$0.closedByPeer(within: max(0, deadline.timeIntervalSinceNow)) }.count
        #expect(stillOpen == 0, "\(stillOpen) of \(crowd.count) silent connections were never dropped")
        print(
            "connection limit \(limit): fds idle \(idleFDs), with \(crowd.count) silent clients \(crowdFDs); "
                + "healthz answered after \(Int(healthSeconds * 1000)) ms"
        )
    }
}

/// The attackers of the first test: slow connections kept open (reopened when the daemon drops one, as a real
/// slowloris does) — a third trickling a request head one byte every 200 ms, a third silent, a third trickling a
/// body after a complete head — plus threads flooding `/hooks/flood`. Everything runs on plain threads and stops
/// within a second of `stop()`.
final class Attack: @unchecked Sendable {
    // @unchecked: `slow` is touched only by the slowloris thread after `start()`, and by the test thread before
    // `start()` and after `stop()` has joined that thread; counters are in Mutexes.
    let port: Int
    let slowCount: Int
    private var slow: [RawConnection?] = []
    private let stopped = Atomic<Bool>(false)
    private let dropped = Atomic<Int>(0)
    private let timedOutBodies = Atomic<Int>(0)
    private let openNow = Atomic<Int>(0)
    private let flood = Mutex<[Int: Int]>([:])
    private let threads = DispatchGroup()
    private var started = false

    init(port: Int, slowCount: Int) {
        self.port = port
        self.slowCount = slowCount
    }

    /// Kind 0 stalls inside the head of a POST, kind 1 sends nothing at all, kind 2 sends a complete head
    /// announcing a 60,000-byte body (under `max_body`) and then trickles it.
    func openSlowConnections() throws {
        // Each connect is bounded by 5 s (a SYN dropped while the backlog is full is resent after 1 s), all of
        // them by 10 s, in case the daemon stopped accepting.
        let deadline = Date().addingTimeInterval(10)
        for index in 0..<self.slowCount {
            guard deadline.timeIntervalSinceNow > 0 else {
                throw E2EError("opened only \(index) of \(self.slowCount) slow connections in 10 s")
            }
            guard let connection = self.open(index, timeout: 5) else {
                throw E2EError("slow connection \(index) could not connect")
            }
            self.slow.append(connection)
        }
        self.openNow.store(self.slowCount, ordering: .relaxed)
    }

    private func open(_ index: Int, timeout: Int) -> RawConnection? {
        guard let connection = RawConnection(port: self.port, timeout: timeout) else { return nil }
        switch index % 3 {
        case 0: connection.send("POST /hooks/ok HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        case 2: connection.send("POST /hooks/ok HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 60000\r\n\r\n")
        default: break
        }
        return connection
    }

    func start() {
        self.started = true
        self.threads.enter()
        Thread.detachNewThread { [self] in
            defer { self.threads.leave() }
            var buffer = [UInt8](repeating: 0, count: 256)
            while !self.stopped.load(ordering: .relaxed) {
                var open = 0
                for index in self.slow.indices where !self.stopped.load(ordering: .relaxed) {
                    guard let connection = self.slow[index] else {
                        self.slow[index] = self.open(index, timeout: 1)
                        continue
                    }
                    // A readable stalled connection means the daemon answered (408 for a slow body) or closed
                    // it: reopen it.
                    var pollfd = Glibc.pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
                    let closed = poll(&pollfd, 1, 0) > 0
                    if closed, recv(connection.fd, &buffer, buffer.count, Int32(MSG_DONTWAIT)) >= 12,
                        String(decoding: buffer[0..<12], as: UTF8.self) == "HTTP/1.1 408"
                    {
                        self.timedOutBodies.add(1, ordering: .relaxed)
                    }
                    let trickled = closed || index % 3 == 1 || connection.send("a")
                    if closed || !trickled {
                        connection.close()
                        self.dropped.add(1, ordering: .relaxed)
                        self.slow[index] = self.open(index, timeout: 1)
                    }
                    if self.slow[index] != nil { open += 1 }
                }
                self.openNow.store(open, ordering: .relaxed)
                usleep(200_000)
            }
        }
        for worker in 0..<3 {
            self.threads.enter()
            Thread.detachNewThread { [self] in
                defer { self.threads.leave() }
                var n = 0
                while !self.stopped.load(ordering: .relaxed) {
                    n += 1
                    let body = Array(#"{"n":\#(worker * 1_000_000 + n)}"#.utf8)
                    let answer = HTTPPoster.post(
                        port: self.port,
                        path: "/hooks/flood",
                        headers: [(name: "Content-Type", value: "application/json")],
                        body: body
                    )
                    self.flood.withLock { $0[answer?.status ?? 0, default: 0] += 1 }
                }
            }
        }
    }

    /// Stops every thread and waits for them (each request is bounded by HTTPPoster's 10 s timeouts).
    func stop() {
        guard self.started, !self.stopped.exchange(true, ordering: .relaxed) else { return }
        _ = self.threads.wait(timeout: .now() + 15)
    }

    func openSlowCount() -> Int { self.openNow.load(ordering: .relaxed) }

    /// How many slow connections the daemon has not closed after `seconds` (checked against one deadline).
    func slowConnectionsStillOpen(after seconds: Double) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        let open = self.slow.compactMap { $0 }.filter {
            !$0.closedByPeer(within: max(0, deadline.timeIntervalSinceNow))
        }.count
        self.slow.forEach { $0?.close() }
        return open
    }

    func report() -> (droppedByDaemon: Int, slowBodies408: Int, floodAccepted: Int, flood429: Int, floodOther: Int) {
        let counts = self.flood.withLock { $0 }
        let other = counts.filter { $0.key != 202 && $0.key != 429 }.values.reduce(0, +)
        return (
            self.dropped.load(ordering: .relaxed), self.timedOutBodies.load(ordering: .relaxed),
            counts[202, default: 0],
            counts[429, default: 0], other
        )
    }
}

/// Figures of a process from /proc.
enum ProcessStatus {
    /// VmRSS in KiB.
    static func rssKiB(_ pid: Int32) throws -> Int {
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { throw E2EError("no VmRSS in /proc/\(pid)/status") }
        return kib
    }

    static func openDescriptors(_ pid: Int32) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
    }

    /// This process's soft RLIMIT_NOFILE.
    static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(min(limit.rlim_cur, 1 << 20))
    }
}

/// Samples a process's RSS every 50 ms on a thread and keeps the highest.
final class PeakSampler: @unchecked Sendable {
    // @unchecked: state is in Atomics; the thread is joined in stop().
    let pid: Int32
    private let peak = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    init(pid: Int32) { self.pid = pid }

    var peakKiB: Int { self.peak.load(ordering: .relaxed) }

    func start() {
        Thread.detachNewThread { [self] in
            defer { self.done.signal() }
            while !self.stopped.load(ordering: .relaxed) {
                if let rss = try? ProcessStatus.rssKiB(self.pid) { _ = self.peak.max(rss, ordering: .relaxed) }
                usleep(50_000)
            }
        }
    }

    func stop() {
        guard !self.stopped.exchange(true, ordering: .relaxed) else { return }
        _ = self.done.wait(timeout: .now() + 5)
    }
}

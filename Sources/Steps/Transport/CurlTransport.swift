internal import CCurl
import Foundation

/// HTTP, Server-Sent Events and SMTP over libcurl, for every step that talks to the network and for
/// `triggerctl`'s control-socket client.
///
/// One instance owns one I/O thread driving one curl multi handle: transfers from any number of tasks
/// run concurrently on that thread (no thread per transfer), and the multi handle's connection cache
/// keeps connections alive per host for reuse. At most `maxConnectionsPerHost` connections are opened
/// to one host; further transfers to it wait for a free connection, and that wait counts against their
/// `timeout`. HTTPS verifies the peer against the system CA store. Proxies come from the standard
/// environment variables (`http_proxy`, `HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`), which libcurl reads
/// itself; Unix-socket transfers never use a proxy.
///
/// Cancelling the calling task removes its transfer from the multi handle at once, which closes the
/// connection, and the call throws `CancellationError`.
///
/// Only this file and `CurlTransport+Easy.swift` import `CCurl`.
public final class CurlTransport: StreamingHTTPTransport, MailTransport {
    /// Settings fixed for the life of the transport, shared with its I/O thread.
    struct Configuration: Sendable {
        var userAgent: String?
    }

    private let inbox = CurlInbox()
    /// The multi handle, or why there is none (libcurl missing or failing to start), for every call's error.
    private let multi: Result<Multi, Unavailable>

    struct Unavailable: Error {
        let reason: String
    }

    /// Starts the transport's I/O thread.
    ///
    /// - Parameters:
    ///   - maxConnectionsPerHost: connections opened to one host (host and port, or Unix socket) at most.
    ///   - userAgent: the `User-Agent` sent unless a request sets its own; `nil` sends none.
    public init(maxConnectionsPerHost: Int = 16, userAgent: String? = "triggerd") {
        let configuration = Configuration(userAgent: userAgent)
        // Without libcurl every call throws a clear error rather than crashing the daemon.
        if let problem = CurlGlobal.problem {
            self.multi = .failure(Unavailable(reason: problem))
            return
        }
        guard let handle = ccurl_multi_init() else {
            self.multi = .failure(Unavailable(reason: "curl_multi_init failed"))
            return
        }
        _ = ccurl_multi_setopt_long(handle, CURLMOPT_MAX_HOST_CONNECTIONS, max(1, maxConnectionsPerHost))
        // HTTP/2 transfers to one host share a connection instead of each opening one.
        _ = ccurl_multi_setopt_long(handle, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        let multi = Multi(handle: handle)
        self.multi = .success(multi)
        let inbox = self.inbox
        let thread = Thread {
            Worker(multi: multi, inbox: inbox, configuration: configuration).run()
        }
        thread.name = "triggerd-curl"
        thread.start()
    }

    deinit {
        // No call can be in flight (each holds a strong reference), so this only stops the thread.
        self.inbox.postShutdown()
        try? self.multi.get().wakeUp()
    }

    /// Transfers started and not yet finished, for the metrics endpoint.
    public var activeTransfers: Int { self.inbox.activeCount }

    /// Sends `request` and returns the complete response. See `HTTPTransport.send(_:)`.
    public func send(_ request: HTTPStepRequest) async throws -> HTTPStepResponse {
        try request.validate()
        let outcome = try await self.perform(.http(request), label: request.label)
        return HTTPStepResponse(
            status: outcome.status,
            headers: outcome.headers,
            body: outcome.body,
            effectiveURL: outcome.effectiveURL
        )
    }

    /// Streams the response body to `onChunk`. See `StreamingHTTPTransport.stream(_:onChunk:)`.
    public func stream(_ request: HTTPStepRequest, onChunk: @escaping @Sendable ([UInt8]) -> Void) async throws
        -> HTTPStepResponse
    {
        try request.validate()
        let outcome = try await self.perform(.stream(request, onChunk: onChunk), label: request.label)
        return HTTPStepResponse(status: outcome.status, headers: outcome.headers, effectiveURL: outcome.effectiveURL)
    }

    /// Sends one message over SMTP. See `MailTransport.sendMail(_:via:)`.
    public func sendMail(_ message: MailMessage, via settings: SMTPSettings) async throws -> Int {
        try settings.validate(message)
        return try await self.perform(.mail(message, settings), label: settings.label).status
    }

    /// Posts one job to the I/O thread and waits for it, forwarding task cancellation.
    private func perform(_ kind: CurlJob.Kind, label: String) async throws -> CurlJob.Outcome {
        let multi: Multi
        switch self.multi {
        case .success(let ready): multi = ready
        case .failure(let unavailable):
            throw TransportError(.other, "\(label): libcurl is not available: \(unavailable.reason)")
        }
        let inbox = self.inbox
        let id = inbox.makeID()
        let gate = CurlCancellationGate()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let job = CurlJob(id: id, kind: kind, continuation: continuation)
                var accepted = false
                guard gate.submit({ accepted = inbox.post(job) }) else {
                    return continuation.resume(throwing: CancellationError())
                }
                guard accepted else {
                    return continuation.resume(
                        throwing: TransportError(.cancelled, "\(label): the transport has shut down")
                    )
                }
                multi.wakeUp()
            }
        } onCancel: {
            if gate.cancel() {
                inbox.postCancellation(of: id)
                multi.wakeUp()
            }
        }
    }
}

/// Loads libcurl and calls `curl_global_init` exactly once per process, before the first handle is made: the
/// library is opened on first use (see `ccurl.h`), so a daemon that never sends anything never maps it.
private enum CurlGlobal {
    /// nil once libcurl is ready, else what went wrong. A static let is initialised once, thread-safely, on first
    /// use (swift_once).
    static let problem: String? = {
        var reason = [CChar](repeating: 0, count: 512)
        guard ccurl_load(&reason, reason.count) == 0 else {
            return String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        let code = ccurl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return code == CURLE_OK ? nil : "curl_global_init failed: \(String(cString: ccurl_easy_strerror(code)))"
    }()
}

extension CurlTransport {
    /// The curl multi handle, shared between the I/O thread and calling tasks.
    ///
    /// `@unchecked Sendable` is safe because calling tasks only ever use `wakeUp()`
    /// (`curl_multi_wakeup` is documented as callable from any thread), every other use happens on the
    /// I/O thread, and the handle is cleaned up only after `deinit` of the transport, when no task can
    /// reach it any more.
    final class Multi: @unchecked Sendable {
        let handle: UnsafeMutableRawPointer

        init(handle: UnsafeMutableRawPointer) { self.handle = handle }

        /// Interrupts `curl_multi_poll` so the I/O thread drains the inbox.
        func wakeUp() { _ = ccurl_multi_wakeup(self.handle) }
    }

    /// The I/O thread's loop: drain the inbox, drive transfers, collect finished ones, poll.
    /// Lives on that thread only, so it needs no locking.
    final class Worker {
        private let multi: Multi
        private let inbox: CurlInbox
        private let configuration: Configuration
        /// Open transfers by easy handle, and the same by id for cancellation.
        private var transfers: [UnsafeMutableRawPointer: Transfer] = [:]
        private var handlesByID: [UInt64: UnsafeMutableRawPointer] = [:]

        init(multi: Multi, inbox: CurlInbox, configuration: Configuration) {
            self.multi = multi
            self.inbox = inbox
            self.configuration = configuration
        }

        func run() {
            var running: Int32 = 0
            while true {
                let batch = self.inbox.drain()
                for job in batch.jobs { self.start(job) }
                for id in batch.cancellations { self.cancel(id) }
                if batch.shuttingDown { break }
                _ = ccurl_multi_perform(self.multi.handle, &running)
                self.collectFinished()
                // Sleeps until a socket is ready, a curl timer is due, or wakeUp(); 1s bounds a lost wakeup.
                _ = ccurl_multi_poll(self.multi.handle, 1000)
            }
            for transfer in self.transfers.values {
                self.end(
                    transfer,
                    with: .failure(TransportError(.cancelled, "\(transfer.kind.label): the transport has shut down"))
                )
            }
            _ = ccurl_multi_cleanup(self.multi.handle)
        }

        private func start(_ job: CurlJob) {
            guard let transfer = Transfer(job: job) else {
                self.fail(job, TransportError(.other, "\(job.kind.label): libcurl could not create a transfer handle"))
                return
            }
            do {
                try transfer.configure(job.kind, configuration: self.configuration)
            } catch {
                transfer.release()
                self.fail(job, error)
                return
            }
            let code = ccurl_multi_add_handle(self.multi.handle, transfer.easy)
            guard code == CURLM_OK else {
                transfer.release()
                let reason = String(cString: ccurl_multi_strerror(code))
                self.fail(job, TransportError(.other, "\(job.kind.label): could not start the transfer: \(reason)"))
                return
            }
            self.transfers[transfer.easy] = transfer
            self.handlesByID[job.id] = transfer.easy
        }

        /// Ends a job that never reached the multi handle.
        private func fail(_ job: CurlJob, _ error: any Error) {
            self.inbox.transferEnded()
            job.continuation.resume(throwing: error)
        }

        private func cancel(_ id: UInt64) {
            guard let easy = self.handlesByID[id], let transfer = self.transfers[easy] else { return }
            self.end(transfer, with: .failure(CancellationError()))
        }

        private func collectFinished() {
            var queued: Int32 = 0
            while let message = ccurl_multi_info_read(self.multi.handle, &queued) {
                guard ccurl_message_is_done(message) != 0, let easy = message.pointee.easy_handle else { continue }
                let result = ccurl_message_result(message)
                guard let transfer = self.transfers[easy] else { continue }
                self.end(transfer, with: transfer.outcome(result))
            }
        }

        /// Removes the transfer from the multi handle (closing its connection if it was mid-response),
        /// frees it, and resumes the waiting task.
        private func end(_ transfer: Transfer, with result: Result<CurlJob.Outcome, any Error>) {
            _ = ccurl_multi_remove_handle(self.multi.handle, transfer.easy)
            self.transfers[transfer.easy] = nil
            self.handlesByID[transfer.id] = nil
            transfer.release()
            // Count first, so `activeTransfers` is already right when the caller resumes.
            self.inbox.transferEnded()
            transfer.continuation.resume(with: result)
        }
    }
}

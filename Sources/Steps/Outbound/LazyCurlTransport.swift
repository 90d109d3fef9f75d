import Synchronization

/// A `CurlTransport` started on first use, so registries that never send anything (`triggerctl validate`,
/// tests) start no I/O thread.
final class LazyCurlTransport: HTTPTransport, MailTransport {
    private let transport = Mutex<CurlTransport?>(nil)

    var instance: CurlTransport {
        self.transport.withLock { transport in
            if let transport { return transport }
            let made = CurlTransport()
            transport = made
            return made
        }
    }

    /// Transfers in flight; 0 before the first use.
    var activeTransfers: Int { self.transport.withLock { $0?.activeTransfers ?? 0 } }

    func send(_ request: HTTPStepRequest) async throws -> HTTPStepResponse {
        try await self.instance.send(request)
    }

    func sendMail(_ message: MailMessage, via settings: SMTPSettings) async throws -> Int {
        try await self.instance.sendMail(message, via: settings)
    }
}

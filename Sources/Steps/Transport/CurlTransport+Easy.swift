internal import CCurl

extension CurlTransport {
    /// One easy handle and everything libcurl reads or writes while it runs.
    ///
    /// Lives on the I/O thread only. libcurl's callbacks reach it through an unretained pointer, which
    /// is safe because the worker keeps the transfer in its table until after `curl_multi_remove_handle`,
    /// after which no callback runs.
    final class Transfer {
        let id: UInt64
        let kind: CurlJob.Kind
        let easy: UnsafeMutableRawPointer
        let continuation: CheckedContinuation<CurlJob.Outcome, any Error>

        /// libcurl writes its detailed message for a failure here (CURLOPT_ERRORBUFFER).
        private let errorBuffer: UnsafeMutablePointer<CChar>
        /// Lists handed to libcurl by pointer; freed in `release()`.
        private var headerList: UnsafeMutablePointer<curl_slist>?
        private var recipientList: UnsafeMutablePointer<curl_slist>?

        private var responseHeaders: [HTTPHeader] = []
        private var body: [UInt8] = []
        /// Set when the body outgrew `maxResponseBytes` and the write callback aborted the transfer.
        private var overflowed = false
        private var upload: [UInt8] = []
        private var uploadOffset = 0

        init?(job: CurlJob) {
            guard let easy = ccurl_easy_init() else { return nil }
            self.id = job.id
            self.kind = job.kind
            self.easy = easy
            self.continuation = job.continuation
            self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
            self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        }

        /// Frees the handle and the lists. The handle must already be out of the multi handle.
        func release() {
            ccurl_easy_cleanup(self.easy)
            ccurl_slist_free_all(self.headerList)
            ccurl_slist_free_all(self.recipientList)
            self.headerList = nil
            self.recipientList = nil
            self.errorBuffer.deallocate()
        }

        // MARK: - Options

        func configure(_ kind: CurlJob.Kind, configuration: Configuration) throws(TransportError) {
            let this = Unmanaged.passUnretained(self).toOpaque()
            // Signals are no way to time out on a multi-threaded daemon.
            try self.set(CURLOPT_NOSIGNAL, 1)
            try self.check(ccurl_easy_setopt_pointer(self.easy, CURLOPT_ERRORBUFFER, self.errorBuffer), "error buffer")
            try self.check(ccurl_easy_setopt_write_function(self.easy, CURLOPT_WRITEFUNCTION, onBody), "write callback")
            try self.check(ccurl_easy_setopt_pointer(self.easy, CURLOPT_WRITEDATA, this), "write callback")
            try self.set(CURLOPT_TCP_KEEPALIVE, 1)
            switch kind {
            case .http(let request):
                try self.configureHTTP(request, configuration: configuration, this: this)
                // A Content-Length above the cap fails before any byte is read; chunked bodies are
                // checked as they arrive (onBody).
                try self.check(
                    ccurl_easy_setopt_off(self.easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxResponseBytes)),
                    "max_response"
                )
            case .stream(let request, _):
                try self.configureHTTP(request, configuration: configuration, this: this)
            case .mail(let message, let settings):
                try self.configureMail(message, settings: settings, this: this)
            }
        }

        private func configureHTTP(
            _ request: HTTPStepRequest,
            configuration: Configuration,
            this: UnsafeMutableRawPointer
        )
            throws(TransportError)
        {
            try self.set(CURLOPT_URL, request.url)
            // file://, ftp:// and the rest stay out of reach, also through a redirect.
            try self.set(CURLOPT_PROTOCOLS_STR, "http,https")
            try self.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
            try self.setTimeouts(total: request.timeout, connect: request.connectTimeout)
            try self.check(
                ccurl_easy_setopt_write_function(self.easy, CURLOPT_HEADERFUNCTION, onHeader),
                "header callback"
            )
            try self.check(ccurl_easy_setopt_pointer(self.easy, CURLOPT_HEADERDATA, this), "header callback")
            if let socket = request.unixSocketPath {
                try self.set(CURLOPT_UNIX_SOCKET_PATH, socket)
                // An empty proxy disables the environment's proxy for this local transfer.
                try self.set(CURLOPT_PROXY, "")
            }
            // No CURLOPT_PIPEWAIT: on plain HTTP/1.1 it parks a transfer behind a busy connection until
            // that response's headers arrive, so a slow request would stall every other one to its host.
            if request.followRedirects {
                try self.set(CURLOPT_FOLLOWLOCATION, 1)
                try self.set(CURLOPT_MAXREDIRS, HTTPStepRequest.maxRedirects)
            }
            // Methods that carry a body get Content-Length: 0 rather than no length at all.
            let sendsBody = ["POST", "PUT", "PATCH"].contains(request.method)
            if let body = request.body ?? (sendsBody ? [] : nil) {
                try self.check(
                    ccurl_easy_setopt_off(self.easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)),
                    "body"
                )
                // COPYPOSTFIELDS copies the bytes, so the array need not outlive this call.
                let code = body.withUnsafeBytes { bytes in
                    "".withCString { empty in
                        ccurl_easy_setopt_pointer(
                            self.easy,
                            CURLOPT_COPYPOSTFIELDS,
                            UnsafeMutableRawPointer(mutating: bytes.baseAddress ?? UnsafeRawPointer(empty))
                        )
                    }
                }
                try self.check(code, "body")
                if request.method != "POST" { try self.set(CURLOPT_CUSTOMREQUEST, request.method) }
            } else if request.method == "GET" {
                try self.set(CURLOPT_HTTPGET, 1)
            } else if request.method == "HEAD" {
                try self.set(CURLOPT_NOBODY, 1)
            } else {
                try self.set(CURLOPT_CUSTOMREQUEST, request.method)
            }
            try self.setHeaders(request, configuration: configuration)
        }

        private func setHeaders(_ request: HTTPStepRequest, configuration: Configuration) throws(TransportError) {
            let given = Set(request.headers.map { $0.name.lowercased() })
            var lines = request.headers.map { header in
                // "Name;" is libcurl's way to send a header with an empty value ("Name:" would remove it).
                header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
            }
            // libcurl would add "Expect: 100-continue" to larger bodies and wait for the answer; and it
            // labels any body as a form. Neither is what a step asked for.
            if !given.contains("expect") { lines.append("Expect:") }
            if request.body != nil, !given.contains("content-type") { lines.append("Content-Type:") }
            if let agent = configuration.userAgent, !given.contains("user-agent") {
                lines.append("User-Agent: \(agent)")
            }
            for line in lines {
                guard let list = ccurl_slist_append(self.headerList, line) else {
                    throw TransportError(.other, "\(request.label): out of memory building the header list")
                }
                self.headerList = list
            }
            try self.check(ccurl_easy_setopt_slist(self.easy, CURLOPT_HTTPHEADER, self.headerList), "headers")
        }

        private func configureMail(_ message: MailMessage, settings: SMTPSettings, this: UnsafeMutableRawPointer)
            throws(TransportError)
        {
            try self.set(CURLOPT_URL, settings.url)
            try self.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            try self.setTimeouts(total: settings.timeout, connect: settings.connectTimeout)
            let tls =
                switch settings.starttls {
                case .auto: CURLUSESSL_TRY
                case .always: CURLUSESSL_ALL
                case .never: CURLUSESSL_NONE
                }
            try self.set(CURLOPT_USE_SSL, Int(tls.rawValue))
            if let username = settings.username { try self.set(CURLOPT_USERNAME, username) }
            if let password = settings.password { try self.set(CURLOPT_PASSWORD, password) }
            try self.set(CURLOPT_MAIL_FROM, "<\(message.from)>")
            for recipient in message.recipients {
                guard let list = ccurl_slist_append(self.recipientList, "<\(recipient)>") else {
                    throw TransportError(.other, "\(settings.label): out of memory building the recipient list")
                }
                self.recipientList = list
            }
            try self.check(ccurl_easy_setopt_slist(self.easy, CURLOPT_MAIL_RCPT, self.recipientList), "recipients")
            self.upload = message.data
            try self.set(CURLOPT_UPLOAD, 1)
            try self.check(
                ccurl_easy_setopt_off(self.easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.data.count)),
                "message"
            )
            try self.check(ccurl_easy_setopt_read_function(self.easy, onUpload), "message")
            try self.check(ccurl_easy_setopt_pointer(self.easy, CURLOPT_READDATA, this), "message")
        }

        private func setTimeouts(total: Double, connect: Double) throws(TransportError) {
            // Zero means "no limit" for libcurl too; clamp tiny positive values up to 1ms.
            if total > 0 { try self.set(CURLOPT_TIMEOUT_MS, max(1, Int(total * 1000))) }
            if connect > 0 { try self.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(connect * 1000))) }
        }

        private func set(_ option: CURLoption, _ value: Int) throws(TransportError) {
            try self.check(ccurl_easy_setopt_long(self.easy, option, value), "option \(option.rawValue)")
        }

        private func set(_ option: CURLoption, _ value: String) throws(TransportError) {
            try self.check(ccurl_easy_setopt_string(self.easy, option, value), "option \(option.rawValue)")
        }

        private func check(_ code: CURLcode, _ what: String) throws(TransportError) {
            guard code != CURLE_OK else { return }
            let reason = String(cString: ccurl_easy_strerror(code))
            let kind: TransportError.Code = code == CURLE_UNSUPPORTED_PROTOCOL ? .invalidRequest : .other
            throw TransportError(kind, "\(self.kind.label): libcurl refused the \(what): \(reason)")
        }

        // MARK: - Callbacks (I/O thread)

        /// Keeps or forwards body bytes; returning less than `bytes.count` aborts the transfer.
        fileprivate func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
            switch self.kind {
            case .stream(_, let onChunk):
                onChunk(Array(bytes))
            case .http(let request):
                guard self.body.count + bytes.count <= request.maxResponseBytes else {
                    self.overflowed = true
                    return 0
                }
                self.body.append(contentsOf: bytes)
            case .mail:
                break
            }
            return bytes.count
        }

        /// Parses one header line. A status line starts a new response (after a 1xx or a redirect),
        /// so only the final response's fields are kept.
        fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
            // Trim CR/LF as bytes: as a String, "\r\n" is one Character that equals neither.
            var end = bytes.count
            while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
            let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
            if line.hasPrefix("HTTP/") {
                self.responseHeaders.removeAll()
            } else if line.first == " " || line.first == "\t", !self.responseHeaders.isEmpty {
                // An obsolete folded continuation of the previous field.
                self.responseHeaders[self.responseHeaders.count - 1].value += " " + line.trimmingWhitespace
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingWhitespace
                self.responseHeaders.append(HTTPHeader(name: name, value: value))
            }
        }

        /// Copies the next piece of the message into libcurl's buffer; 0 ends the upload.
        fileprivate func sendUpload(into buffer: UnsafeMutableRawBufferPointer) -> Int {
            let count = min(buffer.count, self.upload.count - self.uploadOffset)
            guard count > 0 else { return 0 }
            self.upload.withUnsafeBytes { source in
                buffer.copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: source[self.uploadOffset..<self.uploadOffset + count])
                )
            }
            self.uploadOffset += count
            return count
        }
    }
}

// libcurl calls these on the I/O thread with the transfer as user data. They cannot capture context,
// hence the C convention and the unretained pointer.

private let onBody: curl_write_callback = { data, size, count, user in
    guard let user else { return 0 }
    let transfer = Unmanaged<CurlTransport.Transfer>.fromOpaque(user).takeUnretainedValue()
    return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let onHeader: curl_write_callback = { data, size, count, user in
    guard let user else { return 0 }
    let transfer = Unmanaged<CurlTransport.Transfer>.fromOpaque(user).takeUnretainedValue()
    transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private let onUpload: curl_read_callback = { data, size, count, user in
    guard let user, let data else { return 0 }
    let transfer = Unmanaged<CurlTransport.Transfer>.fromOpaque(user).takeUnretainedValue()
    return transfer.sendUpload(into: UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (header values).
    fileprivate var trimmingWhitespace: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = self.firstIndex(where: { !isBlank($0) }), let last = self.lastIndex(where: { !isBlank($0) })
        else {
            return ""
        }
        return String(self[first...last])
    }
}

extension CurlTransport.Transfer {
    /// The response, or the error, for libcurl's final result code.
    func outcome(_ code: CURLcode) -> Result<CurlJob.Outcome, any Error> {
        var status = 0
        _ = ccurl_easy_getinfo_long(self.easy, CURLINFO_RESPONSE_CODE, &status)
        guard code == CURLE_OK else {
            let failure = CurlFailure(
                reason: self.overflowed ? .bodyTooLarge : Self.reason(for: code),
                summary: String(cString: ccurl_easy_strerror(code)),
                detail: String(cString: self.errorBuffer),
                lastResponseCode: status
            )
            return .failure(failure.error(for: self.kind))
        }
        var url: UnsafePointer<CChar>?
        _ = ccurl_easy_getinfo_string(self.easy, CURLINFO_EFFECTIVE_URL, &url)
        return .success(
            CurlJob.Outcome(
                status: status,
                headers: self.responseHeaders,
                body: self.body,
                effectiveURL: url.map { String(cString: $0) }
            )
        )
    }

    private static func reason(for code: CURLcode) -> CurlFailure.Reason {
        switch code {
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .couldNotConnect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            .tls
        case CURLE_USE_SSL_FAILED: .starttlsRefused
        case CURLE_FILESIZE_EXCEEDED: .bodyTooLarge
        case CURLE_TOO_MANY_REDIRECTS: .tooManyRedirects
        case CURLE_LOGIN_DENIED: .loginDenied
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: .badRequest
        default: .other
        }
    }
}

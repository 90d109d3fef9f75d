/// One Server-Sent Event: the fields of a block of lines ended by a blank line.
struct ServerSentEvent: Equatable, Sendable {
    /// The `id:` field, if the block had one.
    var id: String?
    /// The `event:` field; `message` when absent, as the SSE standard says.
    var event: String
    /// The `data:` lines joined with newlines.
    var data: String
}

/// Cuts a byte stream into Server-Sent Events, chunk by chunk, as the WHATWG "text/event-stream" rules say:
/// lines end with LF, CRLF or CR; `:` starts a comment; a blank line dispatches the event (when it has data);
/// unknown fields are ignored.
struct ServerSentEventParser {
    private var line: [UInt8] = []
    private var afterCR = false
    private var id: String?
    private var event: String?
    private var dataLines: [String] = []

    init() {}

    /// Adds the next bytes and returns the events they complete, in order.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if self.afterCR {
                self.afterCR = false
                if byte == 0x0A { continue }  // the LF of a CRLF split across the check
            }
            switch byte {
            case 0x0A:
                if let event = self.endLine() { events.append(event) }
            case 0x0D:
                self.afterCR = true
                if let event = self.endLine() { events.append(event) }
            default:
                self.line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        let text = String(decoding: self.line, as: UTF8.self)
        self.line.removeAll(keepingCapacity: true)
        if text.isEmpty { return self.dispatch() }
        if text.hasPrefix(":") { return nil }
        var name = Substring(text)
        var value = Substring("")
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        }
        switch name {
        case "data": self.dataLines.append(String(value))
        case "event": self.event = String(value)
        case "id": self.id = String(value)
        default: break  // `retry:` and unknown fields do not matter to a one-shot CLI
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            self.event = nil
            self.dataLines = []
        }
        guard !self.dataLines.isEmpty else { return nil }
        // The id persists across events, as the last event id does in a browser.
        return ServerSentEvent(
            id: self.id,
            event: self.event ?? "message",
            data: self.dataLines.joined(separator: "\n")
        )
    }
}

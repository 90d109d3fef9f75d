import Foundation

/// One delivery as the scheme checks see it.
struct InboundWebhook {
    let headers: [String: String]
    let body: [UInt8]
    let now: Date

    /// A header's trimmed value by lower-case name; an empty value counts as absent.
    func header(_ name: String) -> String? { Self.header(name, in: self.headers) }

    /// A header's trimmed value by lower-case name; a differently cased name is still found.
    static func header(_ name: String, in headers: [String: String]) -> String? {
        let raw = headers[name] ?? headers.first(where: { $0.key.lowercased() == name })?.value
        guard let value = raw?.trimmingSpaces, !value.isEmpty else { return nil }
        return value
    }

    /// A header that must be present; `display` is how the rejection names it.
    func required(_ name: String, display: String) throws(WebhookRejection) -> String {
        guard let value = self.header(name) else { throw WebhookRejection.missing(display) }
        return value
    }
}

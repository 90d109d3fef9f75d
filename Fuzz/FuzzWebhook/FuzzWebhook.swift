@testable import Engine
import Foundation
import FuzzSupport

// Input, in parts separated by `---` lines:
//   1. the endpoint: a scheme name, then for `hmac` optional algorithm, encoding, prefix and header name;
//   2. request headers, one `name: value` per line; a line `!sign` first adds the headers a real sender
//      computes for the body (so the fuzzer gets past the MAC and reaches what follows it);
//   3. the raw body;
//   4. a raw query string.
// It then runs what the listener runs before storing anything: signature verification, the default
// delivery id, the body by content type (JSON, form, text), the query, the trigger root, redaction of
// stored headers, and a filter and dedupe template against that trigger.
// Properties: a verdict for every delivery, never a crash, hang or unbounded allocation.

let now = Date(timeIntervalSince1970: 1_700_000_000)
let secret = "fuzz-secret-0123456789"
/// Standard Webhooks keys are `whsec_` plus base64 of the key bytes.
let standardSecret = "whsec_" + Data(secret.utf8).base64EncodedString()
let redactor = Redactor(secrets: [secret, standardSecret])
let filter = try! Template.parse("{{ trigger.body.action == 'opened' || len(trigger.query) > 0 }}")
let dedupe = try! Template.parse("{{ trigger.body.id ?? trigger.headers['x-request-id'] ?? trigger.delivery_id }}")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let parts = FuzzInput(FuzzDriver.bytes(data, size)).byteParts(4)
    let endpoint = String(decoding: parts[0], as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init)
    let schemes = WebhookScheme.allCases
    let scheme =
        endpoint.first.flatMap(WebhookScheme.init(rawValue:))
        ?? schemes[FuzzInput.pick(endpoint.first ?? "", among: schemes.count)]
    var verification = WebhookVerification(scheme: scheme, secrets: [scheme == .standard ? standardSecret : secret])
    if scheme == .hmac {
        if endpoint.count > 1, let algorithm = WebhookHMACAlgorithm(rawValue: endpoint[1]) { verification.algorithm = algorithm }
        if endpoint.count > 2, let encoding = WebhookSignatureEncoding(rawValue: endpoint[2]) { verification.encoding = encoding }
        if endpoint.count > 3 { verification.prefix = endpoint[3] }
        if endpoint.count > 4 { verification.header = endpoint[4] }
    }
    guard (try? verification.validate()) != nil else { return 0 }

    let body = parts.count > 2 ? parts[2] : []
    var headers: [String: String] = [:]
    let headerLines = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self).split(separator: "\n") : []
    if headerLines.first == "!sign",
        let signed = try? WebhookSigner.sign(
            scheme: scheme, secret: verification.secrets[0], body: body, timestamp: now, id: "msg_fuzz",
            header: verification.header, algorithm: verification.algorithm, encoding: verification.encoding,
            prefix: verification.prefix)
    {
        for (name, value) in signed { headers[name.lowercased()] = value }
    }
    for line in headerLines.dropFirst(headerLines.first == "!sign" ? 1 : 0) {
        guard let colon = line.firstIndex(of: ":") else { continue }
        let name = line[..<colon].lowercased()
        let value = String(line[line.index(after: colon)...])
        // The listener joins repeated headers with ", ".
        headers[name] = headers[name].map { $0 + ", " + value } ?? value
    }

    let verdict = WebhookVerifier.verify(verification, headers: headers, body: body, now: now)
    if case .failure(let rejection) = verdict {
        fuzzCheck(!rejection.reason.isEmpty, "a rejection without a reason")
        // Reasons may name the configured header and prefix; only a secret from elsewhere would be a leak.
        let configured = (verification.header ?? "") + verification.prefix
        fuzzCheck(!rejection.reason.contains(secret) || configured.contains(secret), "a rejection quotes the secret")
    }
    _ = WebhookVerifier.defaultDeliveryID(scheme: scheme, headers: headers, body: body)

    let query = WebhookRequest.parseQuery(parts.count > 3 ? String(decoding: parts[3], as: UTF8.self) : nil)
    let request = WebhookRequest(method: "POST", path: "/hooks/fuzz", headers: headers, query: query, body: body)
    let kind = WebhookPayload.bodyKind(contentType: headers["content-type"])
    _ = WebhookPayload.body(body, kind: kind, readsBody: true)
    guard case .success(let value) = WebhookPayload.body(body, kind: kind, readsBody: false) else {
        fuzzCheck(false, "a body the workflow does not read is never refused")
        return 0
    }
    let stored = headers.mapValues { redactor.redact($0) }
    for value in stored.values { fuzzCheck(!value.contains(secret), "a stored header keeps the secret") }
    let trigger = WebhookPayload.trigger(request, body: value, headers: stored, deliveryID: "dlv_fuzz")
    let scope = ExpressionScope(roots: ["trigger": .object(trigger), "secrets": ["TOKEN": .string(secret)]], now: now)
    _ = try? filter.evaluate(in: scope)
    _ = try? dedupe.evaluate(in: scope)
    return 0
}

@_cdecl("FuzzWebhook_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Globals are made before fuzzing starts, so the leak check does not count them against the first input.
    _ = (redactor, filter, dedupe)
    return FuzzDriver.run(argc, argv, fuzzOne)
}

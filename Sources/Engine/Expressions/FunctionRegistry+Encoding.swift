import Crypto
import Foundation

extension FunctionRegistry {
    mutating func registerEncodingFunctions() {
        for name in ["json", "toJson"] {
            self.register(
                name,
                arity: 1...1,
                signature: "\(name)(value)",
                summary: "compact JSON text with sorted keys",
                traversesValues: true
            ) { call throws(FunctionError) in
                let value = call.argument(0)
                guard value.jsonLength(limit: call.limits.maxResultBytes) != nil else {
                    throw call.failure("result too large (more than \(call.limits.maxResultBytes) bytes)")
                }
                return .string(value.jsonString())
            }
        }
        self.register(
            "fromJson",
            arity: 1...1,
            signature: "fromJson(text)",
            summary: "the value the JSON text describes"
        ) {
            call throws(FunctionError) in
            do {
                return try JSONValue.parse(try call.string(0))
            } catch let error as FunctionError {
                throw error
            } catch {
                throw call.failure("\(error)")
            }
        }
        self.register(
            "base64Encode",
            arity: 1...1,
            signature: "base64Encode(text)",
            summary: "standard Base64 of the text's UTF-8 bytes"
        ) {
            call throws(FunctionError) in
            let data = Data(try call.string(0).utf8)
            try call.checkSize((data.count + 2) / 3 * 4)
            return .string(data.base64EncodedString())
        }
        self.register(
            "base64Decode",
            arity: 1...1,
            signature: "base64Decode(text)",
            summary: "the UTF-8 text encoded in standard or URL-safe Base64 (padding optional)"
        ) { call throws(FunctionError) in
            var text = try call.string(0).filter { !$0.isWhitespace }
            text = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            if text.count % 4 != 0 { text += String(repeating: "=", count: 4 - text.count % 4) }
            guard let data = Data(base64Encoded: text) else { throw call.failure("the text is not valid Base64") }
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw call.failure("the decoded bytes are not UTF-8 text")
            }
            return .string(decoded)
        }
        self.register(
            "sha256",
            arity: 1...1,
            signature: "sha256(text)",
            summary: "SHA-256 of the text's UTF-8 bytes, lowercase hex"
        ) {
            call throws(FunctionError) in .string(Self.hex(SHA256.hash(data: Data(try call.string(0).utf8))))
        }
        self.register(
            "hmacSha256",
            arity: 2...2,
            signature: "hmacSha256(key, message)",
            summary: "HMAC-SHA256 of the message under the key (both UTF-8), lowercase hex"
        ) { call throws(FunctionError) in
            let key = SymmetricKey(data: Data(try call.string(0).utf8))
            let mac = HMAC<SHA256>.authenticationCode(for: Data(try call.string(1).utf8), using: key)
            return .string(Self.hex(mac))
        }
        self.register(
            "hexEncode",
            arity: 1...1,
            signature: "hexEncode(text)",
            summary: "the text's UTF-8 bytes in lowercase hex"
        ) {
            call throws(FunctionError) in
            let text = try call.string(0)
            try call.checkSize(text.utf8.count * 2)
            return .string(Self.hex(text.utf8))
        }
        self.register(
            "urlEncode",
            arity: 1...1,
            signature: "urlEncode(textOrObject)",
            summary:
                "percent-encoded text (all but A-Z a-z 0-9 - . _ ~), or an object as a query string with sorted keys"
        ) { call throws(FunctionError) in
            switch call.argument(0) {
            case .string(let text):
                try call.checkSize(text.utf8.count * 3)
                return .string(Self.percentEncode(text))
            case .object(let object):
                var parts: [String] = []
                var size = 0
                for key in object.keys.sorted() {
                    let value = object[key] ?? .null
                    if case .array = value {
                        throw call.failure("query values must be strings, numbers, booleans or null")
                    }
                    if case .object = value {
                        throw call.failure("query values must be strings, numbers, booleans or null")
                    }
                    let part = Self.percentEncode(key) + "=" + Self.percentEncode(value.interpolated)
                    size += part.utf8.count + 1
                    try call.checkSize(size)
                    parts.append(part)
                }
                return .string(parts.joined(separator: "&"))
            default: throw call.typeFailure(0, expected: "a string or an object")
            }
        }
        self.register(
            "urlDecode",
            arity: 1...1,
            signature: "urlDecode(text)",
            summary: "the text with %XX escapes decoded"
        ) {
            call throws(FunctionError) in
            guard let decoded = try call.string(0).removingPercentEncoding else {
                throw call.failure("the text has an invalid percent escape")
            }
            return .string(decoded)
        }
        self.register("uuid", arity: 0...0, signature: "uuid()", summary: "a new random UUID (version 4), lowercase") {
            _ throws(FunctionError) in .string(UUID().uuidString.lowercased())
        }
    }

    private static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        HexText.lowercase(bytes)
    }

    private static func hex(_ digest: some Digest) -> String { self.hex(Array(digest)) }

    private static func hex(_ code: HashedAuthenticationCode<SHA256>) -> String { self.hex(Array(code)) }

    /// RFC 3986 percent-encoding of everything but the unreserved characters.
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}

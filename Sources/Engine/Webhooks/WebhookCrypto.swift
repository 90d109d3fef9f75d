import Crypto
import Foundation

/// The byte-level pieces shared by verification and signing: MACs, encodings and the constant-time compare.
enum WebhookCrypto {
    /// The HMAC of `message` under `key`.
    static func mac(_ algorithm: WebhookHMACAlgorithm, key: [UInt8], message: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch algorithm {
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        }
    }

    /// Compares two byte strings without an early exit on the first differing byte.
    ///
    /// Time depends only on the lengths, which are public here (a digest length, or the length of a
    /// hash of the token), so an attacker learns nothing about how many leading bytes were right.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    /// Whether `candidate` equals any of `expected`, checking every one so the time does not say which matched.
    static func matchesAny(_ candidate: [UInt8], _ expected: [[UInt8]]) -> Bool {
        var found = false
        for value in expected where constantTimeEquals(candidate, value) {
            found = true
        }
        return found
    }

    /// SHA-256 of some bytes, used to bring bearer tokens of any length to one public length before comparing.
    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// Lower-case hexadecimal.
    static func hex(_ bytes: [UInt8]) -> String { HexText.lowercase(bytes) }

    /// Bytes from hexadecimal of either case; `nil` for an odd length or a non-hex character.
    static func decodeHex<S: StringProtocol>(_ text: S) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Standard (padded) base64.
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// Bytes from standard padded base64; `nil` if it is not that.
    static func decodeBase64<S: StringProtocol>(_ text: S) -> [UInt8]? {
        guard !text.isEmpty, let data = Data(base64Encoded: String(text)) else { return nil }
        return Array(data)
    }

    /// The HMAC key of a Standard Webhooks secret: base64-decode what follows `whsec_`.
    ///
    /// The prefix is optional, as in the reference libraries; `nil` if the rest is not base64.
    static func standardKey(_ secret: String) -> [UInt8]? {
        let prefix = "whsec_"
        let encoded = secret.hasPrefix(prefix) ? secret.dropFirst(prefix.count) : Substring(secret)
        return decodeBase64(encoded)
    }
}

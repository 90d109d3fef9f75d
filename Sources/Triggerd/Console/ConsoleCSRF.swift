import Crypto
import Engine

/// CSRF tokens for console forms: HMAC-SHA256 of the requester's identity under a key made when the daemon
/// starts. A token is only valid for the identity it was made for, needs no storage, and is void after a restart
/// (a form left open from before answers 403 and is shown again with a fresh token).
struct ConsoleCSRF: Sendable {
    // The key's bytes: `SymmetricKey` is not `Sendable`, so one is made per use.
    private let key: [UInt8]

    init() {
        self.key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    /// The token forms carry for `identity` (e.g. `uid:1000` on the socket, a session id over TCP).
    func token(for identity: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(("csrf:" + identity).utf8), using: SymmetricKey(data: self.key))
        return Self.hex(Array(mac))
    }

    /// Whether `candidate` is the token for `identity`, compared in constant time.
    func isValid(_ candidate: String?, for identity: String) -> Bool {
        guard let candidate else { return false }
        let expected = Array(self.token(for: identity).utf8)
        let given = Array(candidate.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ given[index] }
        return difference == 0
    }

    /// The identity a token is made for: the socket peer's uid.
    static func identity(of peer: PeerIdentity) -> String { "uid:\(peer.uid)" }

    private static func hex(_ bytes: [UInt8]) -> String { HexText.lowercase(bytes) }
}

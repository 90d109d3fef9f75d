import Engine

/// Who may use the control socket (SPEC §8): root, the daemon's own user, and members of `socket_group`.
struct ControlAccessPolicy: Sendable, Equatable {
    /// The daemon's effective uid.
    var daemonUID: Int
    /// The configured `socket_group`, if any.
    var adminGroup: String?

    /// Nil when `peer` may use the socket; otherwise the message of the refusal, naming the peer and the rule.
    func refusal(for peer: PeerIdentity) -> String? {
        if peer.uid == 0 || peer.uid == self.daemonUID { return nil }
        if let adminGroup, peer.groups.contains(adminGroup) { return nil }
        let who = "uid \(peer.uid) (\(peer.user))"
        if let adminGroup {
            return "control socket refused: \(who) is not root, the daemon's user, or a member of group '\(adminGroup)'"
        }
        return "control socket refused: \(who) is not root or the daemon's user, and no socket_group is configured"
    }
}

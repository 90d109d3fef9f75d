import Engine

#if canImport(Glibc)
    import Glibc
#endif

/// Turns the numbers of `PeerCredentials` into the names approvals and access checks use (passwd and group
/// databases, through NSS, so LDAP or systemd-userdbd users resolve as well as local ones).
enum PeerIdentityResolver {
    /// The identity of `credentials`: the user's name (or the uid in decimal when it has no passwd entry) and the
    /// names of its primary and supplementary groups (a group without a name appears as its gid in decimal).
    static func identity(of credentials: PeerCredentials) -> PeerIdentity {
        let user = self.userName(uid: credentials.uid)
        var gids: [gid_t] = [credentials.gid]
        if let user {
            gids += self.groupIDs(user: user, primary: credentials.gid)
        }
        var seen: Set<gid_t> = []
        let groups = gids.filter { seen.insert($0).inserted }.map { self.groupName(gid: $0) ?? String($0) }
        return PeerIdentity(uid: Int(credentials.uid), user: user ?? String(credentials.uid), groups: groups)
    }

    /// The name of `uid` in the passwd database, or nil.
    static func userName(uid: uid_t) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        return self.withGrowingBuffer(initial: Int(sysconf(Int32(_SC_GETPW_R_SIZE_MAX)))) { buffer, size in
            let rc = getpwuid_r(uid, &entry, buffer, size, &result)
            if rc == ERANGE { return .grow }
            guard rc == 0, result != nil, let name = entry.pw_name else { return .done(nil) }
            return .done(String(cString: name))
        }
    }

    /// The name of `gid` in the group database, or nil.
    static func groupName(gid: gid_t) -> String? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        return self.withGrowingBuffer(initial: Int(sysconf(Int32(_SC_GETGR_R_SIZE_MAX)))) { buffer, size in
            let rc = getgrgid_r(gid, &entry, buffer, size, &result)
            if rc == ERANGE { return .grow }
            guard rc == 0, result != nil, let name = entry.gr_name else { return .done(nil) }
            return .done(String(cString: name))
        }
    }

    /// The gid of the group called `name`, or nil when there is no such group.
    static func groupID(named name: String) -> gid_t? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        return self.withGrowingBuffer(initial: Int(sysconf(Int32(_SC_GETGR_R_SIZE_MAX)))) { buffer, size in
            let rc = getgrnam_r(name, &entry, buffer, size, &result)
            if rc == ERANGE { return .grow }
            guard rc == 0, result != nil else { return .done(nil) }
            return .done(entry.gr_gid)
        }
    }

    /// Every group `user` belongs to (getgrouplist), `primary` included.
    static func groupIDs(user: String, primary: gid_t) -> [gid_t] {
        var count: Int32 = 32
        // getgrouplist reports the needed size in `count` when the array is too small; a few rounds cover groups
        // that are added between calls.
        for _ in 0..<4 {
            var gids = [gid_t](repeating: 0, count: Int(count))
            let wanted = count
            let rc = getgrouplist(user, primary, &gids, &count)
            if rc >= 0 { return Array(gids.prefix(Int(count))) }
            if count <= wanted { count = wanted * 2 }
        }
        return [primary]
    }

    private enum BufferStep<T> {
        case done(T?)
        case grow
    }

    // The *_r lookups need a scratch buffer whose size is only a hint; they answer ERANGE when it is too small.
    private static func withGrowingBuffer<T>(initial: Int, _ body: (UnsafeMutablePointer<CChar>, Int) -> BufferStep<T>)
        -> T?
    {
        var size = initial > 0 ? initial : 1024
        while size <= 1 << 20 {
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer { buffer.deallocate() }
            switch body(buffer, size) {
            case .done(let value): return value
            case .grow: size *= 2
            }
        }
        return nil
    }
}

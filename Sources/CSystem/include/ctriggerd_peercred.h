// Peer credentials and the monotonic clock, for the control socket and sd_notify (module `CTriggerd`; the target
// is not named `CSystem` because swift-system, which swift-nio depends on, already has a target of that name).
#ifndef CTRIGGERD_PEERCRED_H
#define CTRIGGERD_PEERCRED_H

#include <stdint.h>

// The credentials of a Unix-socket peer, laid out exactly like Linux's `struct ucred` (pid, uid, gid), which
// glibc only declares under _GNU_SOURCE and Swift therefore cannot see. peercred.c checks the layout at compile
// time, so this struct can be handed to getsockopt(SO_PEERCRED) directly.
typedef struct ctriggerd_peer_credentials {
    int32_t pid;
    uint32_t uid;
    uint32_t gid;
} ctriggerd_peer_credentials;

// The `SO_PEERCRED` socket option name, or -1 where the platform has none.
int ctriggerd_so_peercred(void);

// Reads the peer credentials of the connected Unix socket `fd` with getsockopt(SO_PEERCRED).
// Returns 0 on success, or -1 with errno set (ENOTSUP where the platform has no SO_PEERCRED).
int ctriggerd_peer_cred(int fd, uint32_t *uid, uint32_t *gid, int32_t *pid);

// CLOCK_MONOTONIC in microseconds: the clock systemd reads `MONOTONIC_USEC=` against. (Swift's clocks do not
// expose their raw value, and `struct timespec` is awkward to reach under MemberImportVisibility.)
uint64_t ctriggerd_monotonic_usec(void);

// The device and inode of the open descriptor `fd` (fstat), as systemd writes them to `JOURNAL_STREAM`. Returns 0,
// or -1 with errno set. (Which Swift module owns `struct stat` depends on what a compile batch loaded first, so
// reading its members from Swift breaks under MemberImportVisibility from one build to the next.)
int ctriggerd_fd_identity(int fd, uint64_t *device, uint64_t *inode);

#endif

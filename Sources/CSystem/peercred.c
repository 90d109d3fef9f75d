// struct ucred is declared by glibc only under _GNU_SOURCE; it must be defined before any system header.
#define _GNU_SOURCE
#include <sys/stat.h>
#include "ctriggerd_peercred.h"

#include <errno.h>
#include <stddef.h>
#include <sys/socket.h>
#include <time.h>

#if defined(__linux__)
// The Swift side passes ctriggerd_peer_credentials where the kernel writes a struct ucred: keep them identical.
_Static_assert(sizeof(ctriggerd_peer_credentials) == sizeof(struct ucred), "ctriggerd_peer_credentials size");
_Static_assert(offsetof(ctriggerd_peer_credentials, pid) == offsetof(struct ucred, pid), "pid offset");
_Static_assert(offsetof(ctriggerd_peer_credentials, uid) == offsetof(struct ucred, uid), "uid offset");
_Static_assert(offsetof(ctriggerd_peer_credentials, gid) == offsetof(struct ucred, gid), "gid offset");
#endif

int ctriggerd_so_peercred(void) {
#if defined(__linux__)
    return SO_PEERCRED;
#else
    return -1;
#endif
}

int ctriggerd_peer_cred(int fd, uint32_t *uid, uint32_t *gid, int32_t *pid) {
#if defined(__linux__)
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        return -1;
    }
    if (len != sizeof(cred)) {
        errno = EINVAL;
        return -1;
    }
    *uid = cred.uid;
    *gid = cred.gid;
    *pid = cred.pid;
    return 0;
#else
    (void)fd; (void)uid; (void)gid; (void)pid;
    errno = ENOTSUP;
    return -1;
#endif
}

uint64_t ctriggerd_monotonic_usec(void) {
    struct timespec now;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) {
        return 0;
    }
    return (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u;
}

int ctriggerd_fd_identity(int fd, uint64_t *device, uint64_t *inode) {
    struct stat info;
    if (fstat(fd, &info) != 0) return -1;
    *device = (uint64_t)info.st_dev;
    *inode = (uint64_t)info.st_ino;
    return 0;
}

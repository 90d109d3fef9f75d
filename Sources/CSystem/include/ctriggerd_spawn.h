#pragma once
#include <spawn.h>

/// posix_spawn_file_actions_addchdir_np is a GNU extension that glibc hides from Swift's view.
int ctriggerd_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// pipe2(fds, O_CLOEXEC), also hidden without _GNU_SOURCE.
int ctriggerd_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every descriptor >= `from` before
/// exec. ENOSYS on an older glibc.
int ctriggerd_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

#pragma once
#include <spawn.h>

/// posix_spawn_file_actions_addchdir_np is a GNU extension that glibc hides from Swift's view.
int ctriggerd_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// pipe2(fds, O_CLOEXEC), also hidden without _GNU_SOURCE.
int ctriggerd_pipe_cloexec(int fds[2]);

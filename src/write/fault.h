/*
 * fault: the I/O calls of write/ and publish/, with failures on demand.
 *
 * Every system call that staging and publishing make on the way to a new
 * version (open, read, write, fsync, close, mkdir, chmod, rename, flock)
 * goes through these wrappers.  They behave exactly like the calls they
 * wrap unless the environment asks for a failure, so they are compiled into
 * every build (like jq's src/inject_errors.c, which is an LD_PRELOAD, or
 * SQLite's test VFS, which is a layer in the library):
 *
 *   BRIEFGEN_FAULT=write:3     the 3rd write fails (ENOSPC)
 *   BRIEFGEN_FAULT=fsync:1     the 1st fsync fails (EIO); likewise open,
 *                              read, close, mkdir, chmod, rename, lock
 *   BRIEFGEN_FAULT=any:K       the K-th wrapped call of any kind fails
 *                              (EIO, or ENOSPC when it is a write)
 *   BRIEFGEN_FAULT=rename:3+   the 3rd rename and every later one fail
 *                              (to make the undoing of a step fail too)
 *   BRIEFGEN_FAULT=count       nothing fails; at exit, print to stderr
 *                              "briefgen: fault: N calls (open A, ...)"
 *   BRIEFGEN_NO_EXCHANGE=1     renameat2(RENAME_EXCHANGE) fails with
 *                              EINVAL, as on Linux's CIFS client, without
 *                              counting as a call
 *
 * A failing call does nothing and returns -1 with errno set; each call
 * counts once (a write of 10 bytes that the kernel splits is still the
 * caller's one call per fault_write).  Without '+' only one call ever
 * fails, so the code that undoes a failed step runs unharmed.  The cleanup of temporary
 * folders (unlink, rmdir, and the reads that walk them) deliberately does
 * not go through here: its failure cannot damage a published version, and
 * it is reported as a warning, not a failure.
 *
 * The settings are read once, on the first wrapped call; fault_reset()
 * reads them again (for unit tests that change the environment).
 */
#ifndef BRIEFGEN_FAULT_H
#define BRIEFGEN_FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

int fault_openat(int dirfd, const char *path, int flags, mode_t mode);
ssize_t fault_read(int fd, void *buf, size_t len);
/* Writes all of len (retrying short writes and EINTR); returns 0 or -1. */
int fault_write_all(int fd, const void *buf, size_t len);
int fault_fsync(int fd);
int fault_close(int fd);
int fault_mkdirat(int dirfd, const char *path, mode_t mode);
int fault_fchmod(int fd, mode_t mode);
int fault_fchmodat(int dirfd, const char *path, mode_t mode);
int fault_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
/* renameat2(..., RENAME_EXCHANGE): swap two existing names atomically. */
int fault_exchangeat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
/* flock(fd, op) */
int fault_flock(int fd, int op);

/* True when errno from fault_exchangeat means "this filesystem cannot
 * exchange" (EINVAL, ENOSYS, EOPNOTSUPP/ENOTSUP), so two renames must do. */
bool fault_exchange_unsupported(int err);

/* Forget the counts and read the environment again. */
void fault_reset(void);
/* Whether BRIEFGEN_FAULT asks for anything (a failure, or counting), so
 * that every call must go through here, in order. */
bool fault_active(void);
/* Number of wrapped calls made so far (all kinds). */
unsigned long fault_calls(void);

#endif

#include "fault.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum kind { K_OPEN, K_READ, K_WRITE, K_FSYNC, K_CLOSE, K_MKDIR, K_CHMOD, K_RENAME, K_LOCK, NKINDS };

static const char *const kind_names[NKINDS] = {
	"open", "read", "write", "fsync", "close", "mkdir", "chmod", "rename", "lock",
};

static struct {
	bool loaded;
	bool counting;          /* BRIEFGEN_FAULT=count */
	bool no_exchange;       /* BRIEFGEN_NO_EXCHANGE=1 */
	int kind;               /* kind to fail, NKINDS for any, -1 for none */
	unsigned long at;       /* fail the at-th call of that kind */
	bool onward;            /* "kind:K+": and every later one */
	unsigned long calls[NKINDS];
	unsigned long total;
} st;

static void report(void)
{
	int k;

	fprintf(stderr, "briefgen: fault: %lu calls (", st.total);
	for (k = 0; k < NKINDS; k++)
		fprintf(stderr, "%s%s %lu", k ? ", " : "", kind_names[k], st.calls[k]);
	fputs(")\n", stderr);
}

static void load(void)
{
	const char *v = getenv("BRIEFGEN_FAULT");
	const char *x = getenv("BRIEFGEN_NO_EXCHANGE");
	static bool registered;

	memset(&st, 0, sizeof(st));
	st.loaded = true;
	st.kind = -1;
	st.no_exchange = x && *x && strcmp(x, "0") != 0;
	if (!v || !*v)
		return;
	if (!strcmp(v, "count")) {
		st.counting = true;
		/* Test-only output from a library module: the one place where the
		 * count can be taken whatever command runs.  Nothing is printed
		 * unless BRIEFGEN_FAULT=count. */
		if (!registered) {
			registered = true;
			atexit(report);
		}
		return;
	}
	{
		const char *colon = strchr(v, ':');
		char *end;
		unsigned long n;
		int k;

		if (!colon)
			return;
		errno = 0;
		n = strtoul(colon + 1, &end, 10);
		if (*end == '+') {
			st.onward = true;
			end++;
		}
		if (errno || *end || n == 0)
			return;
		if ((size_t)(colon - v) == 3 && !strncmp(v, "any", 3)) {
			st.kind = NKINDS;
		} else {
			for (k = 0; k < NKINDS; k++)
				if (strlen(kind_names[k]) == (size_t)(colon - v) &&
				    !strncmp(v, kind_names[k], (size_t)(colon - v)))
					st.kind = k;
		}
		st.at = n;
	}
}

/* Count a call of kind k; true when it is the one that must fail (errno is
 * then set). */
static bool fail(enum kind k)
{
	if (!st.loaded)
		load();
	st.calls[k]++;
	st.total++;
	if (st.kind < 0)
		return false;
	if ((st.kind == NKINDS && (st.total == st.at || (st.onward && st.total > st.at))) ||
	    (st.kind == (int)k && (st.calls[k] == st.at || (st.onward && st.calls[k] > st.at)))) {
		errno = k == K_WRITE ? ENOSPC : EIO;
		return true;
	}
	return false;
}

void fault_reset(void)
{
	load();
}

bool fault_active(void)
{
	if (!st.loaded)
		load();
	return st.counting || st.kind >= 0;
}

unsigned long fault_calls(void)
{
	return st.total;
}

int fault_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	if (fail(K_OPEN))
		return -1;
	return openat(dirfd, path, flags | O_CLOEXEC, mode);
}

ssize_t fault_read(int fd, void *buf, size_t len)
{
	ssize_t n;

	if (fail(K_READ))
		return -1;
	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

int fault_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	if (fail(K_WRITE))
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fault_fsync(int fd)
{
	if (fail(K_FSYNC))
		return -1;
	return fsync(fd);
}

int fault_close(int fd)
{
	if (fail(K_CLOSE)) {
		/* The descriptor is released all the same, as close(2) does on
		 * Linux even when it reports an error. */
		close(fd);
		errno = EIO;
		return -1;
	}
	return close(fd);
}

int fault_mkdirat(int dirfd, const char *path, mode_t mode)
{
	if (fail(K_MKDIR))
		return -1;
	return mkdirat(dirfd, path, mode);
}

int fault_fchmod(int fd, mode_t mode)
{
	if (fail(K_CHMOD))
		return -1;
	return fchmod(fd, mode);
}

int fault_fchmodat(int dirfd, const char *path, mode_t mode)
{
	if (fail(K_CHMOD))
		return -1;
	return fchmodat(dirfd, path, mode, 0);
}

int fault_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	if (fail(K_RENAME))
		return -1;
	return renameat(olddirfd, oldpath, newdirfd, newpath);
}

int fault_exchangeat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	if (!st.loaded)
		load();
	if (st.no_exchange) {
		errno = EINVAL;
		return -1;
	}
	if (fail(K_RENAME))
		return -1;
	return renameat2(olddirfd, oldpath, newdirfd, newpath, RENAME_EXCHANGE);
}

int fault_flock(int fd, int op)
{
	if (fail(K_LOCK))
		return -1;
	return flock(fd, op);
}

bool fault_exchange_unsupported(int err)
{
	return err == EINVAL || err == ENOSYS || err == EOPNOTSUPP || err == ENOTSUP;
}

#include "spill.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"

/* Writes to the file are gathered into pieces of this size. */
#define SPILL_CHUNK ((size_t)64 << 10)

/* Reads from the file too, ahead of what is asked: the pages are read in
 * about the order they were added, so one pread serves a few.  Each
 * thread keeps the last piece it read, of the file whose id it names (a
 * file is never written over, only added to, so the piece stays true
 * while that file lives; ids are never reused). */
#define SPILL_AHEAD ((size_t)32 << 10)

struct spill_ahead {
	unsigned long id;    /* the file's spill id, 0 for none */
	size_t off, len;
	char buf[SPILL_AHEAD];
};

static _Thread_local struct spill_ahead ahead;
static _Atomic unsigned long spill_ids;

void spill_init(struct spill *s, size_t limit)
{
	buf_init(&s->mem);
	s->base = 0;
	s->limit = limit;
	s->fd = -1;
	s->error = 0;
	s->id = 0;
}

void spill_release(struct spill *s)
{
	if (s->fd >= 0)
		close(s->fd);
	buf_release(&s->mem);
	spill_init(s, s->limit);
}

static int open_temp(void)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	path = xasprintf("%s/briefgen-spill-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Move what memory holds to the file. */
static int flush_mem(struct spill *s)
{
	if (s->fd < 0) {
		if ((s->fd = open_temp()) < 0)
			return -1;
		s->id = atomic_fetch_add(&spill_ids, 1) + 1;
	}
	if (write_all(s->fd, s->mem.ptr, s->mem.len) != 0)
		return -1;
	s->base += s->mem.len;
	/* The memory bound was reached once; from now on only a piece at a time. */
	buf_release(&s->mem);
	return 0;
}

size_t spill_add(struct spill *s, const void *data, size_t len)
{
	size_t off = s->base + s->mem.len;

	if (s->error)
		return (size_t)-1;
	/* Flush before the buffer would grow past the bound, not after:
	 * growing doubles it. */
	if (s->mem.len && s->mem.len + len > (s->fd < 0 ? s->limit : SPILL_CHUNK) &&
	    flush_mem(s) != 0) {
		s->error = errno ? errno : EIO;
		return (size_t)-1;
	}
	buf_add(&s->mem, data, len);
	return off;
}

int spill_read(const struct spill *s, size_t off, void *dst, size_t len)
{
	char *p = dst;

	if (off + len > s->base + s->mem.len) {
		errno = EINVAL;
		return -1;
	}
	/* The part in the file: from this thread's piece when it is there,
	 * else into it, when it fits (the file may end sooner). */
	if (len && off < s->base && len <= SPILL_AHEAD) {
		struct spill_ahead *a = &ahead;

		if (a->id != s->id || off < a->off || off + len > a->off + a->len) {
			size_t want = s->base - off < SPILL_AHEAD ? s->base - off : SPILL_AHEAD;
			ssize_t r;

			a->id = 0;
			do
				r = pread(s->fd, a->buf, want, (off_t)off);
			while (r < 0 && errno == EINTR);
			if (r > 0) {
				a->id = s->id;
				a->off = off;
				a->len = (size_t)r;
			}
		}
		if (a->id == s->id && off >= a->off && off < a->off + a->len) {
			size_t n = a->off + a->len - off < len ? a->off + a->len - off : len;

			memcpy(p, a->buf + (off - a->off), n);
			p += n;
			off += n;
			len -= n;
		}
	}
	/* The rest: pread leaves the file position alone, so threads may
	 * read at once. */
	while (len && off < s->base) {
		size_t n = s->base - off < len ? s->base - off : len;
		ssize_t r = pread(s->fd, p, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return -1;
		}
		p += r;
		off += (size_t)r;
		len -= (size_t)r;
	}
	if (len)
		memcpy(p, s->mem.ptr + (off - s->base), len);
	return 0;
}

bool spill_on_disk(const struct spill *s)
{
	return s->fd >= 0;
}

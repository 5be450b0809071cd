#include "spill.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"

/* Writes to the file are gathered into pieces of this size.  ext4 puts
 * a write into page cache folios as large as the write allows: at N =
 * 10 000, 256 KiB writes instead of 64 KiB cut its share of the samples
 * by a quarter (ext4_buffered_write_iter 1.9-2.0 % -> 1.4-1.6 %), with no
 * peak RSS to show for it; 1 MiB cut more but cost 0.6-0.8 MB of it. */
#define SPILL_CHUNK ((size_t)256 << 10)

/* Reads from the file too, ahead of what is asked: the pages are read in
 * about the order they were added, so one pread serves a few.  The pieces
 * are shared by the reading threads: the pool hands out the records one at
 * a time, so two threads read neighbouring records, and a piece of each
 * thread's own wasted half of every read on the other's records (N =
 * 10 000, -j 2: 2 550 preads of 84 MB for a file of 43.5 MB).  The lock is
 * held to look and to copy, not across a pread: a piece being read is
 * busy, seen by nobody else until it is in.  A piece is never stale: the
 * file is only added to, never written over, and the pieces go with it. */
#define SPILL_AHEAD ((size_t)32 << 10)
/* Pieces kept: each thread's and a neighbour's, for a few threads. */
#define SPILL_PIECES 4

struct spill_ahead {
	pthread_mutex_t lock;
	unsigned next;       /* where to look for a piece to read into (the oldest) */
	struct {
		size_t off, len; /* len 0: empty */
		bool busy;       /* a thread reads into it, without the lock */
		char *buf;       /* SPILL_AHEAD bytes, made when first used */
	} piece[SPILL_PIECES];
};

/* The piece holding [off, off + len), or SPILL_PIECES. */
static unsigned piece_with(const struct spill_ahead *a, size_t off, size_t len)
{
	unsigned k;

	for (k = 0; k < SPILL_PIECES; k++)
		if (a->piece[k].len && off >= a->piece[k].off &&
		    off + len <= a->piece[k].off + a->piece[k].len)
			break;
	return k;
}

/* Copy what piece k holds of [*off, *off + *len) to *p, moving them on. */
static void piece_copy(const struct spill_ahead *a, unsigned k, char **p, size_t *off, size_t *len)
{
	size_t end = a->piece[k].off + a->piece[k].len, n;

	if (!a->piece[k].len || *off < a->piece[k].off || *off >= end)
		return;
	n = end - *off < *len ? end - *off : *len;
	memcpy(*p, a->piece[k].buf + (*off - a->piece[k].off), n);
	*p += n;
	*off += n;
	*len -= n;
}

void spill_init(struct spill *s, size_t limit)
{
	buf_init(&s->mem);
	s->base = 0;
	s->limit = limit;
	s->expect = 0;
	s->adds = 0;
	s->fd = -1;
	s->error = 0;
	s->ahead = NULL;
}

void spill_expect(struct spill *s, size_t n)
{
	s->expect = n;
}

void spill_release(struct spill *s)
{
	unsigned k;

	if (s->fd >= 0)
		close(s->fd);
	if (s->ahead) {
		for (k = 0; k < SPILL_PIECES; k++)
			free(s->ahead->piece[k].buf);
		pthread_mutex_destroy(&s->ahead->lock);
		free(s->ahead);
	}
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

/* The pieces' lock is held for a copy of a few KiB: where glibc has them,
 * an adaptive mutex spins that long rather than sleeping in futex. */
static void init_lock(pthread_mutex_t *m)
{
#ifdef PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP
	pthread_mutexattr_t at;

	pthread_mutexattr_init(&at);
	pthread_mutexattr_settype(&at, PTHREAD_MUTEX_ADAPTIVE_NP);
	pthread_mutex_init(m, &at);
	pthread_mutexattr_destroy(&at);
#else
	pthread_mutex_init(m, NULL);
#endif
}

/* Move what memory holds to the file. */
static int flush_mem(struct spill *s)
{
	if (s->fd < 0) {
		if ((s->fd = open_temp()) < 0)
			return -1;
		s->ahead = xcalloc(1, sizeof(*s->ahead));
		init_lock(&s->ahead->lock);
	}
	if (write_all(s->fd, s->mem.ptr, s->mem.len) != 0)
		return -1;
	s->base += s->mem.len;
	/* From now on only a piece at a time: the memory of the bound (or
	 * of a record larger than a piece) is given back, a piece's is kept
	 * whole for the next, not grown again from nothing each time (at
	 * N = 10 000 that was ten reallocs and a piece's bytes copied per piece). */
	if (s->mem.cap > 2 * SPILL_CHUNK)
		buf_release(&s->mem);
	buf_reset(&s->mem);
	buf_grow(&s->mem, SPILL_CHUNK);
	return 0;
}

size_t spill_add(struct spill *s, const void *data, size_t len)
{
	size_t off = s->base + s->mem.len;

	if (s->error)
		return (size_t)-1;
	/* Bound to move to the file anyway (spill_expect): now, before the
	 * memory of the bound is filled and written out for nothing. */
	if (s->fd < 0 && ++s->adds == SPILL_GUESS + 1 && s->expect > SPILL_GUESS &&
	    s->mem.len / SPILL_GUESS * s->expect > s->limit && flush_mem(s) != 0) {
		s->error = errno ? errno : EIO;
		return (size_t)-1;
	}
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
	/* The part in the file: from a piece when one has it, else read into
	 * the oldest piece nobody is reading into, when it fits (the file may
	 * end sooner). */
	if (len && off < s->base && len <= SPILL_AHEAD) {
		struct spill_ahead *a = s->ahead;
		unsigned k, i;

		pthread_mutex_lock(&a->lock);
		k = piece_with(a, off, len);
		if (k < SPILL_PIECES) {
			piece_copy(a, k, &p, &off, &len);
			pthread_mutex_unlock(&a->lock);
		} else {
			for (i = 0; i < SPILL_PIECES && a->piece[k = (a->next + i) % SPILL_PIECES].busy;
			     i++)
				;
			if (i == SPILL_PIECES) {
				/* All busy (many threads): the rest reads it. */
				pthread_mutex_unlock(&a->lock);
			} else {
				size_t want = s->base - off < SPILL_AHEAD ? s->base - off : SPILL_AHEAD, n;
				ssize_t r;

				a->next = (k + 1) % SPILL_PIECES;
				a->piece[k].busy = true;
				a->piece[k].len = 0;
				pthread_mutex_unlock(&a->lock);
				if (!a->piece[k].buf)
					a->piece[k].buf = xmalloc(SPILL_AHEAD);
				do
					r = pread(s->fd, a->piece[k].buf, want, (off_t)off);
				while (r < 0 && errno == EINTR);
				/* Copied from before it is shown (under the lock):
				 * nobody else looks at a busy piece. */
				n = r > 0 ? ((size_t)r < len ? (size_t)r : len) : 0;
				memcpy(p, a->piece[k].buf, n);
				pthread_mutex_lock(&a->lock);
				if (r > 0) {
					a->piece[k].off = off;
					a->piece[k].len = (size_t)r;
				}
				a->piece[k].busy = false;
				pthread_mutex_unlock(&a->lock);
				p += n;
				off += n;
				len -= n;
			}
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

/*
 * spill: an append-only store of bytes that stays small in memory.
 *
 * What is added is kept in memory up to a bound (SPILL_MEMORY, 4 MiB: the
 * pages of about a thousand partners); past it, everything is moved to an
 * unnamed temporary file under $TMPDIR (default /tmp, opened
 * with O_TMPFILE where the filesystem allows, else created and unlinked at
 * once), and later additions go there in 256 KiB writes.  Nothing is left on
 * disk: the file goes when the spill is released or the process ends.
 *
 * Used to keep what every partner's page needs from the one pass over the
 * content files (model/content.h) without holding all of it in memory.
 *
 * When the caller says how many additions to expect (spill_expect) and the
 * first few of them show that they will not fit the bound, the store moves
 * to the file at once rather than after filling the bound's memory for
 * nothing (the same bytes end up in the same file either way).
 *
 * Reads (spill_read) may run in several threads at once, once adding is
 * over; adding is for one thread at a time.  Reads from the file go
 * through a few 32 KiB pieces that the reading threads share, read ahead
 * of what was asked: threads that take turns at the records in order then
 * read each part of the file once between them, not once each.
 */
#ifndef BRIEFGEN_SPILL_H
#define BRIEFGEN_SPILL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct spill_ahead;

/* Memory kept before the store moves to a file. */
#define SPILL_MEMORY ((size_t)4 << 20)

struct spill {
	struct buf mem;      /* the bytes from `base` on, not yet in the file */
	size_t base;         /* bytes written to the file */
	size_t limit;        /* memory bound before there is a file */
	size_t expect;       /* additions expected in all (spill_expect), 0: unknown */
	size_t adds;         /* additions so far */
	int fd;              /* -1 while everything is in memory */
	int error;           /* errno of the first failure, or 0 */
	struct spill_ahead *ahead;   /* the pieces read ahead, made with the file */
};

/* limit: bytes kept in memory before moving to a file (SPILL_MEMORY). */
void spill_init(struct spill *s, size_t limit);
/* About n additions are coming (a hint: any number may come).  Once
 * SPILL_GUESS of them are in, if they and n - SPILL_GUESS more of their
 * average size would pass the bound, the store moves to the file then. */
#define SPILL_GUESS 32
void spill_expect(struct spill *s, size_t n);
/* Close the file and free the memory. */
void spill_release(struct spill *s);

/* Add len bytes; returns their offset, or (size_t)-1 when the temporary
 * file cannot be made or written (s->error says why; the store is then
 * unusable). */
size_t spill_add(struct spill *s, const void *data, size_t len);

/* Copy len bytes at off into dst.  Returns 0, or -1 with errno set. */
int spill_read(const struct spill *s, size_t off, void *dst, size_t len);

/* Whether the store has moved to a file (for tests). */
bool spill_on_disk(const struct spill *s);

#endif

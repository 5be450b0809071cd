/*
 * arena: a bump allocator whose memory is freed all at once.
 *
 * The loaded YAML tree and the model built from it live in one arena per
 * content file (or per content folder), so they need no per-node frees.
 * arena_free() releases everything; pointers into the arena are then dead.
 */
#ifndef BRIEFGEN_ARENA_H
#define BRIEFGEN_ARENA_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;   /* bytes handed out, for benchmarks and limits */
	/* The free part of the head chunk: arena_alloc()'s quick path. */
	unsigned char *next, *end;
};

void arena_init(struct arena *a);
void arena_release(struct arena *a);
/* Free everything allocated from a, as arena_release() does, but keep one
 * chunk for what a allocates next (released with a): an arena emptied and
 * filled again and again (the items of a list rendered one at a time)
 * then takes no chunk from the spare list each time. */
void arena_reset(struct arena *a);
static inline void *arena_alloc(struct arena *a, size_t size);   /* zeroed, aligned */
static inline void *arena_take(struct arena *a, size_t size);    /* not zeroed, aligned */
static inline char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);

/* Released chunks are kept for the next arenas, up to this many (arena.c);
 * arena_spare_count() says how many are kept now (for tests). */
#define ARENA_SPARE_MAX 16
size_t arena_spare_count(void);

/* arena_alloc(), arena_take() and arena_strndup() from a new chunk
 * (arena.c); not for callers. */
void *arena_alloc_chunk(struct arena *a, size_t size);
void *arena_take_chunk(struct arena *a, size_t size);
char *arena_strndup_chunk(struct arena *a, const char *s, size_t n);

/* Inline: the model and the views make millions of small allocations, and
 * with the size known here the zeroing is a few stores, not a call. */
static inline void *arena_alloc(struct arena *a, size_t size)
{
	const uintptr_t align = alignof(max_align_t);
	uintptr_t at = ((uintptr_t)a->next + align - 1) & ~(align - 1);
	size_t need = size ? size : 1;

	if (!a->next || at > (uintptr_t)a->end || (uintptr_t)a->end - at < need)
		return arena_alloc_chunk(a, size);
	a->used += at + need - (uintptr_t)a->next;
	a->next = (unsigned char *)at + need;
	return memset((void *)at, 0, size);
}

/* arena_alloc() without the zeroing: the heap's blocks (util/heap.h), tens
 * of them for each prose field. */
static inline void *arena_take(struct arena *a, size_t size)
{
	const uintptr_t align = alignof(max_align_t);
	uintptr_t at = ((uintptr_t)a->next + align - 1) & ~(align - 1);
	size_t need = size ? size : 1;

	if (!a->next || at > (uintptr_t)a->end || (uintptr_t)a->end - at < need)
		return arena_take_chunk(a, size);
	a->used += at + need - (uintptr_t)a->next;
	a->next = (unsigned char *)at + need;
	return (void *)at;
}

/* Inline too: the loader copies every scalar.  Strings need no alignment:
 * packed, they take a third less room. */
static inline char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = (char *)a->next;

	if (!p || (size_t)(a->end - a->next) <= n)
		return arena_strndup_chunk(a, s, n);
	a->next += n + 1;
	a->used += n + 1;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

#endif

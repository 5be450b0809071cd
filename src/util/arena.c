#include "arena.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "spin.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define SPARE_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define SPARE_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define SPARE_POISON(p, n) ((void)(p), (void)(n))
#define SPARE_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CHUNK_SIZE 16384

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

/*
 * Released chunks of the usual size, kept for the next arena: the build
 * makes and releases an arena for every content file, prose field and
 * page, and malloc and free of a 16 KiB block cost a few hundred
 * instructions each.  At most ARENA_SPARE_MAX are kept (256 KiB, still
 * reachable at exit); the data of a chunk kept is poisoned under
 * AddressSanitizer (not its link, which the leak checker follows), so a
 * pointer into a released arena is still caught.  The list's lock is held
 * for a few instructions (util/spin.h).
 */
static atomic_flag spare_busy = ATOMIC_FLAG_INIT;
static struct arena_chunk *spare;
static size_t nspare;

static struct arena_chunk *spare_take(void)
{
	struct arena_chunk *c;

	spin_lock(&spare_busy);
	c = spare;
	if (c) {
		SPARE_UNPOISON(c->data, CHUNK_SIZE);
		spare = c->next;
		nspare--;
	}
	spin_unlock(&spare_busy);
	return c;
}

size_t arena_spare_count(void)
{
	size_t n;

	spin_lock(&spare_busy);
	n = nspare;
	spin_unlock(&spare_busy);
	return n;
}

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->next = a->end = NULL;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next, *keep = NULL;

	if (!c) {
		arena_init(a);   /* nothing taken: nothing to lock for */
		return;
	}
	spin_lock(&spare_busy);
	while (c) {
		next = c->next;
		if (c->size == CHUNK_SIZE && nspare < ARENA_SPARE_MAX) {
			c->next = spare;
			spare = c;
			nspare++;
			SPARE_POISON(c->data, CHUNK_SIZE);
		} else {
			c->next = keep;
			keep = c;
		}
		c = next;
	}
	spin_unlock(&spare_busy);
	while (keep) {
		next = keep->next;
		free(keep);
		keep = next;
	}
	arena_init(a);
}

/* size bytes at an address rounded up to align, from the head chunk or a
 * new one.  Not zeroed. */
static void *take(struct arena *a, size_t size, size_t align)
{
	uintptr_t at = ((uintptr_t)a->next + align - 1) & ~(uintptr_t)(align - 1);
	size_t need = size ? size : 1;
	struct arena_chunk *c;

	if (a->next && at <= (uintptr_t)a->end && (uintptr_t)a->end - at >= need) {
		a->used += at + need - (uintptr_t)a->next;
		a->next = (unsigned char *)at + need;
		return (void *)at;
	}
	c = need <= CHUNK_SIZE ? spare_take() : NULL;
	if (!c)
		c = xmalloc(sizeof(*c) + (need > CHUNK_SIZE ? need : CHUNK_SIZE));
	c->size = need > CHUNK_SIZE ? need : CHUNK_SIZE;
	a->used += need;
	/* A large block gets its own chunk behind the head, so the current
	 * chunk's free space is not wasted. */
	if (a->head && need > CHUNK_SIZE) {
		c->next = a->head->next;
		a->head->next = c;
		return c->data;
	}
	c->next = a->head;
	a->head = c;
	a->next = c->data + need;
	a->end = c->data + c->size;
	return c->data;
}

void *arena_alloc_chunk(struct arena *a, size_t size)
{
	void *p = take(a, size, alignof(max_align_t));

	memset(p, 0, size);
	return p;
}

void *arena_take_chunk(struct arena *a, size_t size)
{
	return take(a, size, alignof(max_align_t));
}

char *arena_strndup_chunk(struct arena *a, const char *s, size_t n)
{
	char *p = take(a, n + 1, 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/* Release every chunk but one of the usual size, which is kept, emptied,
 * for what is allocated next (arena.h). */
void arena_reset(struct arena *a)
{
	struct arena_chunk *c = a->head;
	struct arena rest;

	if (!c || c->size != CHUNK_SIZE) {
		arena_release(a);
		return;
	}
	if (c->next) {
		arena_init(&rest);
		rest.head = c->next;
		c->next = NULL;
		arena_release(&rest);
	}
	a->used = 0;
	a->next = c->data;
	a->end = c->data + CHUNK_SIZE;
}

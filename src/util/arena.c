#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define CHUNK_SIZE 16384

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t off;
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head, *next;

	while (c) {
		next = c->next;
		free(c);
		c = next;
	}
	arena_init(a);
}

/* size bytes at an offset rounded up to align, from the head chunk or a
 * new one.  Not zeroed. */
static void *take(struct arena *a, size_t size, size_t align)
{
	struct arena_chunk *c = a->head;
	size_t off = c ? (c->off + align - 1) & ~(align - 1) : 0;
	size_t need = size ? size : 1;
	void *p;

	if (!c || off > c->size || c->size - off < need) {
		size_t cap = need > CHUNK_SIZE ? need : CHUNK_SIZE;
		c = xmalloc(sizeof(*c) + cap);
		c->size = cap;
		c->off = 0;
		/* A large block gets its own chunk behind the head, so the
		 * current chunk's free space is not wasted. */
		if (a->head && need > CHUNK_SIZE) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
		off = 0;
	}
	p = c->data + off;
	a->used += off + need - c->off;
	c->off = off + need;
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = take(a, size, alignof(max_align_t));

	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	/* Strings need no alignment: packed, they take a third less room. */
	char *p = take(a, n + 1, 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

#define CHUNK_SIZE 16384

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->next = a->end = NULL;
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

void *arena_take(struct arena *a, size_t size)
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

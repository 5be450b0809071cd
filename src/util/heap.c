#include "heap.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* Before each block: its capacity, padded so the block stays aligned. */
struct head {
	alignas(max_align_t) size_t cap;
};

static struct head *head_of(const void *p)
{
	return (struct head *)((uintptr_t)p - sizeof(struct head));
}

/* The class of a request: the least k with HEAP_MIN << k >= size, or
 * HEAP_CLASSES for one over HEAP_MAX. */
static unsigned class_of(size_t size)
{
	unsigned k = 0;

	if (size <= HEAP_MIN)
		return 0;
	if (size > HEAP_MAX)
		return HEAP_CLASSES;
#if defined(__GNUC__)
	k = (unsigned)(sizeof(unsigned long long) * 8) - (unsigned)__builtin_clzll(size - 1) - 4;
#else
	while (((size_t)HEAP_MIN << k) < size)
		k++;
#endif
	return k;
}

void heap_init(struct heap *h)
{
	arena_init(&h->arena);
	memset(h->free, 0, sizeof(h->free));
}

void heap_release(struct heap *h)
{
	arena_release(&h->arena);
	memset(h->free, 0, sizeof(h->free));
}

void *heap_alloc(struct heap *h, size_t size)
{
	unsigned k = class_of(size);
	size_t cap = k < HEAP_CLASSES ? (size_t)HEAP_MIN << k : size;
	struct head *b;
	void *p;

	if (k < HEAP_CLASSES && h->free[k]) {
		p = h->free[k];
		memcpy(&h->free[k], p, sizeof(void *));
		return p;
	}
	if (cap > SIZE_MAX - sizeof(*b))
		alloc_fail(size);
	b = arena_take(&h->arena, sizeof(*b) + cap);
	b->cap = cap;
	return b + 1;
}

void *heap_calloc(struct heap *h, size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		alloc_fail(SIZE_MAX);
	p = heap_alloc(h, n * size);
	return memset(p, 0, n * size);
}

void *heap_realloc(struct heap *h, void *p, size_t size)
{
	struct head *b;
	unsigned k;
	size_t cap;
	void *q;

	if (!p)
		return heap_alloc(h, size);
	b = head_of(p);
	if (size <= b->cap)
		return p;
	/* The last block handed out grows into the chunk's free room. */
	k = class_of(size);
	cap = k < HEAP_CLASSES ? (size_t)HEAP_MIN << k : size;
	if ((unsigned char *)p + b->cap == h->arena.next &&
	    (size_t)(h->arena.end - (unsigned char *)p) >= cap) {
		h->arena.used += cap - b->cap;
		h->arena.next = (unsigned char *)p + cap;
		b->cap = cap;
		return p;
	}
	q = heap_alloc(h, size);
	memcpy(q, p, b->cap);
	heap_free(h, p);
	return q;
}

void heap_free(struct heap *h, void *p)
{
	unsigned k;

	if (!p)
		return;
	k = class_of(head_of(p)->cap);
	if (k >= HEAP_CLASSES)
		return;   /* over HEAP_MAX: kept until heap_release */
	memcpy(p, &h->free[k], sizeof(void *));
	h->free[k] = p;
}

size_t heap_capacity(const void *p)
{
	return head_of(p)->cap;
}

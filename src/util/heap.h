/*
 * heap: an arena whose blocks can be freed, reused and grown, for a library
 * that allocates and frees many small blocks during one piece of work (cmark
 * parsing and rendering one prose field: its nodes, iterators and growing
 * buffers).  A freed block goes on a list by its size class and is handed
 * out again for the next request of that class; a block grows in place while
 * it is the last one handed out.  heap_release() frees everything at once,
 * so blocks still in use at the end need no free of their own.
 *
 * Blocks are aligned as malloc's are.  A block's capacity is its request
 * rounded up to a power of two (at least HEAP_MIN); requests over HEAP_MAX
 * are served as asked and not reused when freed.  So the memory held is at
 * most about twice what is in use at the worst moment, plus what was freed
 * in blocks over HEAP_MAX.  Out of memory aborts, as in alloc.h.
 *
 * Not thread-safe: a heap belongs to one thread (or is locked by its user).
 */
#ifndef BRIEFGEN_HEAP_H
#define BRIEFGEN_HEAP_H

#include <stddef.h>

#include "arena.h"

#define HEAP_MIN 16
#define HEAP_CLASSES 17   /* 16 bytes .. 1 MiB */
#define HEAP_MAX ((size_t)HEAP_MIN << (HEAP_CLASSES - 1))

struct heap {
	struct arena arena;
	void *free[HEAP_CLASSES];   /* freed blocks of each class, linked through their first bytes */
};

void heap_init(struct heap *h);
/* Free every block at once; the heap is then empty, as after heap_init. */
void heap_release(struct heap *h);
/* size bytes, not zeroed (size 0: a block of HEAP_MIN). */
void *heap_alloc(struct heap *h, size_t size);
/* n * size bytes, zeroed; a product that overflows aborts. */
void *heap_calloc(struct heap *h, size_t n, size_t size);
/* p (from this heap, or NULL: heap_alloc) with room for size bytes, its
 * contents kept up to the lesser of its old and new sizes: p itself while
 * its capacity holds size or it can grow in place, else a new block (p is
 * then freed). */
void *heap_realloc(struct heap *h, void *p, size_t size);
/* Give p (from this heap, or NULL) back for reuse. */
void heap_free(struct heap *h, void *p);
/* How many bytes p can hold: for tests. */
size_t heap_capacity(const void *p);

#endif

/*
 * arena: a bump allocator whose memory is freed all at once.
 *
 * The loaded YAML tree and the model built from it live in one arena per
 * content file (or per content folder), so they need no per-node frees.
 * arena_free() releases everything; pointers into the arena are then dead.
 */
#ifndef BRIEFGEN_ARENA_H
#define BRIEFGEN_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;   /* bytes handed out, for benchmarks and limits */
};

void arena_init(struct arena *a);
void arena_release(struct arena *a);
void *arena_alloc(struct arena *a, size_t size);   /* zeroed, aligned */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);

#endif

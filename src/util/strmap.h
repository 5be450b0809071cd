/*
 * strmap: a map from strings to indexes (open addressing).
 *
 * Used where a linear search over every partner would make a build
 * quadratic in the number of partners.  Keys are borrowed: they must
 * outlive the map.  strmap_release() frees the table.
 */
#ifndef BRIEFGEN_STRMAP_H
#define BRIEFGEN_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap_slot {
	const char *key;
	size_t value;
};

struct strmap {
	struct strmap_slot *slots;
	size_t n, cap;     /* cap is 0 or a power of two */
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
/* Set key to value (a later set of the same key replaces it). */
void strmap_set(struct strmap *m, const char *key, size_t value);
/* True, with *value set, when key is in the map. */
bool strmap_get(const struct strmap *m, const char *key, size_t *value);

#endif

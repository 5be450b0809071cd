/*
 * decode: check a node tree against a schema and fill a record.
 *
 * Every problem is added to diags and decoding goes on, so one run reports
 * every error of a file.  Fields that fail keep their zero value.  Strings
 * in the record are borrowed from the tree; lists are allocated in arena.
 */
#ifndef BRIEFGEN_DECODE_H
#define BRIEFGEN_DECODE_H

#include <stdbool.h>

#include "../load/node.h"
#include "../util/arena.h"
#include "../diag/diag.h"
#include "schema.h"

/* Decode map into record (schema->size bytes, zeroed by the caller).
 * Returns true when no error was added. */
bool decode_record(const struct schema *schema, const struct node *map, void *record,
		   struct arena *arena, struct diags *diags);

/* Edit distance, for "did you mean" suggestions. */
size_t decode_distance(const char *a, const char *b);
/* The candidate closest to word (distance <= 2, or a prefix), or NULL. */
const char *decode_suggest(const char *word, const char *const *candidates, size_t n);

#endif

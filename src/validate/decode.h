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

/*
 * How the links of a Markdown field are checked: check() gets the field's
 * text (NUL-terminated, borrowed from the tree, so the record holds the
 * same pointer afterwards) and returns the first destination refused
 * (links.h; malloc'd) or NULL.  decode_record() uses links_first_refused();
 * a caller that parses the prose anyway passes its own, so that each field
 * is parsed once (model/content.h).
 */
struct decode_links {
	char *(*check)(void *ud, const char *md, size_t len);
	void *ud;
};

/* decode_record() with the links of Markdown fields checked by links. */
bool decode_record_links(const struct schema *schema, const struct node *map, void *record,
			 struct arena *arena, struct diags *diags, const struct decode_links *links);

/* Edit distance, for "did you mean" suggestions. */
size_t decode_distance(const char *a, const char *b);
/* The candidate closest to word (distance <= 2, or a prefix), or NULL. */
const char *decode_suggest(const char *word, const char *const *candidates, size_t n);

#endif

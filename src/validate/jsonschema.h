/*
 * jsonschema: the content format as JSON Schema (draft-07), for editors.
 *
 * yaml-language-server (VS Code's YAML extension, and other editors' LSP
 * clients) reads a JSON Schema named by a file's first line
 *   # yaml-language-server: $schema=.schema/partner.schema.json
 * and then completes keys, shows their descriptions on hover and flags
 * wrong values while the secretary types.  This module writes that schema
 * from the same tables the decoder checks with (schema.h), so the editor
 * and `briefgen check` cannot drift apart: every key with its description,
 * type, allowed values and example, the required keys, no other keys
 * (additionalProperties: false), patterns for slugs, dates and one-line
 * texts, bounds for years, amounts and numbers, nested records inline.
 *
 * What JSON Schema cannot say stays with `briefgen check`: the cross-file
 * rules, the Markdown byte limit, the characters refused in any text, a
 * date that does not exist (2006-02-30).  One place the schema is
 * stricter: an optional key left empty, which check ignores, is flagged
 * (only amounts may be null).  Examples are the table's YAML examples
 * read into JSON values of the field's type, or the example text itself
 * where that cannot be done ("[...]").
 *
 * The text is deterministic, UTF-8, two-space indented, ending in a
 * newline.  The caller frees it.
 */
#ifndef BRIEFGEN_JSONSCHEMA_H
#define BRIEFGEN_JSONSCHEMA_H

#include <stddef.h>

#include "schema.h"

/* The JSON Schema of a file kind (schema_briefing or schema_partner);
 * *len (when not NULL) gets its length. */
char *jsonschema_text(const struct schema *s, size_t *len);

#endif

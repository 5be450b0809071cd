/*
 * briefedit: a candidate added to briefing.yaml's text, not to its tree.
 *
 * Reading briefing.yaml into a tree and writing it back would lose its
 * comments and layout, which secretaries rely on.  briefedit instead
 * inserts lines (or, in a flow list `[a, b]`, a few characters) at the
 * place the loader's positioned tree points to, in the file's own line
 * ends, and leaves every other byte as it was:
 *
 *   candidates: is a block list     a line "<same prefix>- slug" after its last item
 *   candidates: [a, b] or []        ", slug" (or "slug") before the ']'
 *   candidates: (empty)             a line "  - slug" after the key
 *   no candidates in the section    "candidates:" and the item at the end of the section
 *   no new_partnerships             the section, with a short text, at the end of the file
 *
 * The end of a section is found from the next top-level key: the lines
 * just before it that are blank or comments at column 1 belong to that
 * key and are left in front of it.
 */
#ifndef BRIEFGEN_BRIEFEDIT_H
#define BRIEFGEN_BRIEFEDIT_H

#include <stddef.h>

/*
 * The text of briefing.yaml (len bytes) with slug added to
 * new_partnerships.candidates; name is the partner's name, for the
 * section's text when the section is made.  Returns the new text
 * (malloc'd, *out_len bytes), or NULL with *err set (translated, malloc'd)
 * when the file does not load or has a shape the edit cannot be sure of.
 * The result is read again: it must load, decode with no more errors than
 * text, and name slug as a candidate.
 */
char *briefedit_add_candidate(const char *text, size_t len, const char *slug, const char *name,
			      size_t *out_len, char **err);

#endif

/*
 * loader: read one YAML file into a positioned node tree.
 *
 * Limits (documented in briefgen(5)): a file is at most LOAD_MAX_FILE bytes,
 * nesting is at most LOAD_MAX_DEPTH levels, a mapping has at most
 * LOAD_MAX_KEYS keys, a file holds one document whose
 * top level is a mapping.  Anchors and aliases are refused (an alias bomb
 * can then never eat memory), so are tags, duplicate keys, keys that are not
 * scalars, invalid UTF-8 and NUL bytes.  A UTF-8 byte order mark and CRLF
 * line ends are accepted.
 *
 * Problems go to diags, with the file's display name and 1-based line and
 * column (libyaml's 0-based marks are converted here, once).
 */
#ifndef BRIEFGEN_LOADER_H
#define BRIEFGEN_LOADER_H

#include <stddef.h>

#include "../util/arena.h"
#include "../diag/diag.h"
#include "node.h"

#define LOAD_MAX_FILE (256 * 1024)
#define LOAD_MAX_DEPTH 16
/* Keys in one mapping: no briefgen mapping has more than a few dozen, and
 * the cap keeps the duplicate-key check (pairwise) fast on any input. */
#define LOAD_MAX_KEYS 1000

/*
 * Parse text (len bytes) as the file named display.  Returns the root map,
 * allocated in arena, or NULL after adding at least one error to diags.
 */
struct node *load_text(const char *display, const char *text, size_t len, struct arena *arena,
		       struct diags *diags);

/*
 * Read path and parse it, showing it as path in diagnostics.  Returns NULL
 * on an I/O error (reported without a line) or a YAML error.  *io_error is
 * set to 1 when the file could not be read at all (exit status 2 material).
 */
struct node *load_file(const char *path, struct arena *arena, struct diags *diags, int *io_error);

/* Read a whole file into a malloc'd NUL-terminated buffer, refusing files
 * over max bytes (errno EFBIG).  Returns NULL with errno set. */
char *load_read_file(const char *path, size_t max, size_t *len);

#endif

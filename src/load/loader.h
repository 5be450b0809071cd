/*
 * loader: read one YAML file into a positioned node tree.
 *
 * Limits (documented in briefgen(5)): a file is at most LOAD_MAX_FILE bytes,
 * nesting is at most LOAD_MAX_DEPTH levels, a mapping has at most
 * LOAD_MAX_KEYS keys, a file holds one document whose
 * top level is a mapping.  Anchors and aliases are refused (an alias bomb
 * can then never eat memory), so are tags, duplicate keys, keys that are not
 * scalars, invalid UTF-8 and NUL bytes.  A UTF-8 byte order mark and CRLF
 * line ends are accepted.  Control characters (text.h) are refused in the
 * file and, written as escapes, in any value, each at its own place; the
 * places of tabs and format characters in a value are kept on its node
 * (node_chars) for the decoder, which knows which fields may hold them.
 *
 * Problems go to diags, with the file's display name and 1-based line and
 * column (libyaml's 0-based marks are converted here, once).
 */
#ifndef BRIEFGEN_LOADER_H
#define BRIEFGEN_LOADER_H

#include <stdbool.h>
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
 * Only a regular file is read: a FIFO, socket, device or folder is an
 * error at once (never a read that blocks), and not an I/O error.
 */
struct node *load_file(const char *path, struct arena *arena, struct diags *diags, int *io_error);

/*
 * load_file for a file of the content folder whose real path is root (from
 * load_real_root): a file that resolves outside root (a symbolic link out,
 * or in a folder that is one) is an error before a byte of it is read.
 */
struct node *load_file_in(const char *path, const char *root, struct arena *arena,
			  struct diags *diags, int *io_error);

/* Why a file was not read. */
enum load_refusal {
	LOAD_ERRNO,          /* open or read failed: err */
	LOAD_TOO_BIG,        /* over the limit */
	LOAD_NOT_REGULAR,    /* a FIFO, socket, device or folder: mode */
	LOAD_OUTSIDE         /* resolves outside the root folder */
};

struct load_failure {
	enum load_refusal kind;
	int err;
	unsigned mode;
};

/*
 * Read a whole regular file into a malloc'd NUL-terminated buffer, refusing
 * files over max bytes.  The file is opened with O_NONBLOCK and checked
 * with fstat, so a FIFO or device never blocks.  When root is not NULL
 * (a real path), the file's real path must lie inside it, checked before
 * anything is opened.  Returns NULL with *why filled.
 */
char *load_read_file_in(const char *path, const char *root, size_t max, size_t *len,
			struct load_failure *why);

/* load_read_file_in without a root.  Returns NULL with errno set: EFBIG
 * for a file over max, EINVAL for one that is not a regular file. */
char *load_read_file(const char *path, size_t max, size_t *len);

/* Add the error for a file that was not read (at path, without a line, so
 * no line of it is ever shown); folder names root ("content folder"). */
void load_report(const char *path, const struct load_failure *why, const char *folder,
		 struct diags *diags);

/* The real path of a folder, malloc'd, for load_file_in; NULL with errno. */
char *load_real_root(const char *dir);
/* Is the real path real root itself or inside it? */
bool load_path_inside(const char *real, const char *root);
/* "a named pipe (FIFO)", "a socket", ... for a st_mode. */
const char *load_file_type(unsigned mode);

#endif

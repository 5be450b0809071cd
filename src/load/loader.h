/*
 * loader: read one YAML file into a positioned node tree.
 *
 * Limits (documented in briefgen(5)): a file is at most LOAD_MAX_FILE bytes
 * (briefing.yaml: load_briefing_limit, more in a folder with many partners),
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
/*
 * briefing.yaml names every partner, in `partners` and again in a decision,
 * so it grows with the folder: its limit is LOAD_MAX_FILE and
 * LOAD_BRIEFING_PER_PARTNER bytes more for each partner file present, at
 * most LOAD_MAX_BRIEFING (reached at 14 336 partner files).  128 bytes hold
 * a partner's two block-list lines ("  - gyor-moson-sopron" and
 * "        - gyor-moson-sopron") with slugs of up to 50 characters; 20 000
 * partners with slugs like the seed's (12 to 17 characters) need about
 * 0.9 MB of the 2 MiB.  A file over its limit is still refused from its size,
 * before a byte of it is read.  What a file under the limit can cost grows
 * with its size (a flood of wrong items: about 350 000 errors per MiB), but
 * a folder allowed a larger briefing.yaml also holds that many partner
 * files of up to 256 KiB each: the allowance adds at most 1/2048 to what a
 * run may read, and at 2 MiB `check` of the worst briefing.yaml stays
 * within the second or so of a folder's worth of checks.
 */
#define LOAD_BRIEFING_PER_PARTNER 128
#define LOAD_MAX_BRIEFING (2 * 1024 * 1024)
#define LOAD_MAX_DEPTH 16
/* Keys in one mapping: no briefgen mapping has more than a few dozen, and
 * the cap keeps the duplicate-key check (pairwise) fast on any input. */
#define LOAD_MAX_KEYS 1000

/* briefing.yaml's limit in a content folder with partner_files partner
 * files: see LOAD_BRIEFING_PER_PARTNER.  LOAD_MAX_FILE for none. */
size_t load_briefing_limit(size_t partner_files);

/*
 * The partner files in the content folder dir, as load_briefing_limit
 * counts them: the names in dir/partners that end in ".yaml" and do not
 * begin with '.' (what check lists as partner files, including the ones
 * it then refuses for their names).  0 when there is no such folder or it
 * cannot be read.  For callers that have no listing of the folder at hand.
 */
size_t load_count_partner_files(const char *dir);

/* The limit for the file at path: load_briefing_limit for a file named
 * briefing.yaml (counting the partners/ beside it), else LOAD_MAX_FILE. */
size_t load_limit_for(const char *path);

/*
 * Parse text (len bytes) as the file named display.  Returns the root map,
 * allocated in arena, or NULL after adding at least one error to diags.
 * A text over LOAD_MAX_FILE bytes is refused.
 */
struct node *load_text(const char *display, const char *text, size_t len, struct arena *arena,
		       struct diags *diags);

/* load_text with the limit max instead: LOAD_MAX_FILE, or briefing.yaml's
 * from load_briefing_limit (the message then explains that limit). */
struct node *load_text_limit(const char *display, const char *text, size_t len, size_t max,
			     struct arena *arena, struct diags *diags);

/* Whether the text's check steps over plain runs 32 bytes at a time with
 * AVX2 where the processor has it (the default), else with SSE2; for tests
 * of the other way.  Not to be changed while another thread loads. */
void load_scan_wide(bool on);

/* The libyaml parsers kept for the next texts (at most 8; a parse that
 * ends cleanly gives its parser back): how many there are, and free them
 * all (for tests, and for a caller done loading). */
size_t load_parser_spares(void);
void load_drop_parsers(void);

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

/* load_file_in with the limit max (as load_text_limit): a file over it is
 * refused from its size, before a byte of it is read. */
struct node *load_file_limit(const char *path, const char *root, size_t max, struct arena *arena,
			     struct diags *diags, int *io_error);

/*
 * The quick way to many files of one folder of the content folder: the
 * folder at path is opened once and its real path checked to lie inside
 * root (load_folder_open; -1 when it cannot be opened or does not, and
 * when root is NULL).  load_file_at then reads the file name (no '/') of
 * that folder without resolving its path again: a regular file that is
 * not a link is opened in the folder with O_NOFOLLOW, so it lies inside
 * root; anything else (a link, a FIFO, a missing file, dirfd -1) goes
 * load_file_limit's careful way with path, which decides and reports as
 * it does.  path is what diagnostics show.  The caller closes dirfd.
 * regular: the folder's listing said name is a regular file (d_type
 * DT_REG), so it is opened without being looked at first; what is opened
 * is still checked (fstat) and anything but a regular file goes the
 * careful way as above.  false when not known (DT_UNKNOWN) or anything else.
 */
int load_folder_open(const char *path, const char *root);
struct node *load_file_at(int dirfd, const char *name, bool regular, const char *path,
			  const char *root, size_t max, struct arena *arena, struct diags *diags,
			  int *io_error);

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
	size_t max;          /* LOAD_TOO_BIG: the limit it is over */
};

/*
 * Read a whole regular file into a malloc'd NUL-terminated buffer, refusing
 * files over max bytes.  The file is opened with O_NONBLOCK and checked
 * with fstat, so a FIFO or device never blocks.  When root is not NULL
 * (a real path), the file's real path must lie inside it, checked before a
 * byte of it is read: a regular file that is not itself a link is opened
 * and the kernel's name for it checked (/proc/self/fd); anything else is
 * checked with realpath() before it is opened.  Returns NULL with *why
 * filled.
 */
char *load_read_file_in(const char *path, const char *root, size_t max, size_t *len,
			struct load_failure *why);

/* load_read_file_in for the file name of the folder open at dirfd (see
 * load_file_at). */
char *load_read_file_at(int dirfd, const char *name, bool regular, const char *path,
			const char *root, size_t max, size_t *len, struct load_failure *why);

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

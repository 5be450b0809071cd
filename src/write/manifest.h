/*
 * manifest: SHA256SUMS, the checksum list every published folder carries.
 *
 * The text is what `sha256sum -c` reads: one line per file,
 *
 *   <64 lowercase hex digits><space><space><path>\n
 *
 * sorted by path (byte order, so the same on every machine), paths relative
 * to the folder and '/'-separated.  SHA256SUMS never lists itself.  Digests
 * are computed with nettle's SHA-256.
 *
 * A struct manifest owns its entries' paths; manifest_release() frees them.
 * Functions that can fail return 0, or -1 with *err set to a message the
 * caller frees ("partners/x.html: read: Input/output error").
 */
#ifndef BRIEFGEN_MANIFEST_H
#define BRIEFGEN_MANIFEST_H

#include <stddef.h>
#include <time.h>

#include "../util/buf.h"

#define MANIFEST_NAME "SHA256SUMS"
#define MANIFEST_DIGEST_SIZE 32

struct manifest_entry {
	char *path;
	unsigned char digest[MANIFEST_DIGEST_SIZE];
};

struct manifest {
	struct manifest_entry *items;
	size_t n, cap;
};

void manifest_init(struct manifest *m);
void manifest_release(struct manifest *m);

/* Add path (copied) with its digest. */
void manifest_add(struct manifest *m, const char *path,
		  const unsigned char digest[MANIFEST_DIGEST_SIZE]);
/* Sort by path; returns the first path that occurs twice, or NULL. */
const char *manifest_sort(struct manifest *m);
/* The entry for path, or NULL (the manifest must be sorted). */
const struct manifest_entry *manifest_find(const struct manifest *m, const char *path);
/* Append the SHA256SUMS text of m, sorted, to out (sorts m). */
void manifest_format(struct manifest *m, struct buf *out);
/* Append the line of SHA256SUMS for path with digest to out: for a caller
 * that has the entries in order already. */
void manifest_format_line(struct buf *out, const char *path,
			  const unsigned char digest[MANIFEST_DIGEST_SIZE]);

/* Hash every file of the folder dir, recursively, except a top-level
 * SHA256SUMS, into m.  Symbolic links and other non-regular files are an
 * error (a published folder holds only files and folders). */
int manifest_scan(struct manifest *m, const char *dir, char **err);

/* Parse SHA256SUMS text into m.  Accepts what sha256sum writes: text ("  ")
 * and binary (" *") markers, and the backslash-escaped form of names with
 * '\\' or newlines.  Refuses absolute paths and ".." parts, so verifying
 * never reads outside the folder.  name labels messages ("site/SHA256SUMS:3:
 * ..."). */
int manifest_parse(struct manifest *m, const char *name, const char *text, size_t len,
		   char **err);

/* Whether a path is one briefgen may write or read below a folder:
 * relative, '/'-separated, no empty, "." or ".." parts, no backslash or
 * control characters.  Returns NULL when safe, else why not (static). */
const char *manifest_unsafe_path(const char *path);

/* What names one version of a folder: the count and digest of its
 * SHA256SUMS, and when that was written (its modification time, which a
 * dated build sets to SOURCE_DATE_EPOCH, staging.h). */
#define MANIFEST_SHORT_DIGEST 12

struct manifest_summary {
	size_t files;                             /* lines of SHA256SUMS */
	char digest[MANIFEST_SHORT_DIGEST + 1];   /* first hex digits of its SHA-256 */
	struct timespec built;                    /* its modification time */
};

/* Summarize dir/SHA256SUMS.  Returns 1 when done, 0 when dir has no
 * SHA256SUMS (or does not exist: *err is not set), -1 with *err when it
 * could not be read or parsed. */
int manifest_summarize(const char *dir, struct manifest_summary *sum, char **err);

/* Verification of a folder against its SHA256SUMS. */
enum manifest_problem { MANIFEST_MISSING, MANIFEST_CHANGED, MANIFEST_EXTRA };

struct manifest_finding {
	char *path;
	enum manifest_problem problem;
};

struct manifest_report {
	struct manifest_finding *items;   /* sorted by path */
	size_t n, cap;
	size_t verified;                  /* files that matched */
};

void manifest_report_release(struct manifest_report *r);
/* "missing", "changed" or "extra". */
const char *manifest_problem_name(enum manifest_problem p);

/* Check dir against dir/SHA256SUMS: every listed file that is missing,
 * every listed file whose digest differs or that is no longer a regular
 * file (changed), and every file, link or other non-folder entry present
 * but not listed (extra; SHA256SUMS itself excepted).  Symbolic links are
 * never followed.  Returns 0 when
 * the check could be made (the report may still hold findings), -1 when it
 * could not (no readable SHA256SUMS, malformed line, read error). */
int manifest_verify(const char *dir, struct manifest_report *r, char **err);

#endif

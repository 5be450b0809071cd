/*
 * staging: replacing an output folder whole.
 *
 * A build never writes into its output folder.  It writes a complete new
 * version into a staging folder beside it (same parent, so the same
 * filesystem), flushes it, and swaps it in with one rename, so whoever
 * opens the folder at any moment sees the old version or the new one,
 * whole (redis rdbSave, git lockfile.h, applied to a folder):
 *
 *   struct staging *s = staging_begin("public", 0, &err);
 *   struct output o = staging_output(s);
 *   ... output_put(&o, "index.html", html, len) ...
 *   if (staging_commit(s, &err) < 0) ... (s is gone either way)
 *
 * Every folder briefgen writes carries two files besides the rendered ones:
 *
 *   .briefgen-files  the marker: the list of files briefgen wrote there,
 *                    which tells the next run that the folder and those
 *                    files are its own (any other file would be lost by a
 *                    replacement, so its presence makes staging_begin
 *                    refuse);
 *   SHA256SUMS       every other file's SHA-256, as `sha256sum -c` reads
 *                    it (manifest.h); its modification time is the build
 *                    time (staging_set_date).
 *
 * Names beside out that briefgen uses (and may replace or remove):
 *   .<name>.staging-XXXXXX   the new version while it is written
 *   .<name>.previous         the version before, with STAGING_KEEP_PREVIOUS
 *   .<name>.old-XXXXXX       an old version on its way out
 *
 * Files are created 0644 and folders 0755 whatever the umask, since a
 * published folder is read by colleagues.  All I/O goes through fault.h,
 * so tests can fail any single step.
 *
 * Errors are messages in *err (malloc'd, the caller frees), naming the path
 * and the step that failed: "partners/x.html: write: No space left on
 * device".  Nothing here prints.
 */
#ifndef BRIEFGEN_STAGING_H
#define BRIEFGEN_STAGING_H

#include <stdbool.h>
#include <stddef.h>

#include "../render/output.h"

#define STAGING_MARKER ".briefgen-files"

enum {
	STAGING_SYNC = 1 << 0,          /* fsync every file and folder, and the parent */
	STAGING_KEEP_PREVIOUS = 1 << 1, /* keep the replaced version as .<name>.previous */
	STAGING_FORCE = 1 << 2,         /* replace a folder that is not briefgen's */
};

struct staging;

/*
 * Prepare to replace the folder out (which need not exist yet; its parent
 * must).  Refuses, returning NULL with *err set, when out exists and is not
 * a folder (a file or a symbolic link: never replaced), or, unless flags
 * has STAGING_FORCE, when out is a non-empty folder without the marker, or
 * holds files or folders that the marker does not list (they are named in
 * the message).  For those two refusals, which STAGING_FORCE lifts, errno
 * is EEXIST on return, so a caller can mention its own force option; for
 * any other failure errno is not EEXIST.
 *
 * Otherwise creates the staging folder and returns a staging that the
 * caller ends with exactly one of staging_commit() or staging_abort().
 */
struct staging *staging_begin(const char *out, unsigned flags, char **err);

/*
 * An output (render/output.h) that writes into the staging folder, making
 * subfolders as needed.  Borrowed: valid until the staging ends.  put
 * writes a whole file (a second put of the same path replaces it); append
 * creates the file on its first call and adds to it afterwards, with any
 * number of files open at once; a path may not be used both ways.  Unsafe
 * paths (absolute, "..", ".", empty parts, backslash, control characters)
 * and the two reserved names are refused.  On failure the call returns -1
 * and the message is kept: staging_error() returns it and staging_commit()
 * fails with it.
 */
struct output staging_output(struct staging *s);

/*
 * The output also writes ahead (output.h, write_ahead and put_written):
 * another thread writes a file's bytes into the staging folder and the
 * build's thread registers it later, in order.  write_ahead refuses (-1,
 * nothing recorded) until the first file was created, and always under
 * STAGING_SYNC, when files need a chmod to get their mode, when fault.h is
 * active (BRIEFGEN_FAULT), and when the file's folder is not made yet.
 * The number of files registered so far by put_written (for tests):
 */
size_t staging_written_ahead(const struct staging *s);

/* The first failure recorded by the output, or NULL.  Borrowed. */
const char *staging_error(const struct staging *s);

/* Give SHA256SUMS the modification time epoch (seconds since 1970, UTC)
 * instead of the moment it is written: SOURCE_DATE_EPOCH, so that a dated
 * build says when it was built (manifest_summarize reads it back).
 * -1: now. */
void staging_set_date(struct staging *s, long long epoch);

/* Number of files the committed folder's SHA256SUMS will list: those
 * written so far plus the marker (SHA256SUMS never lists itself). */
size_t staging_count(const struct staging *s);

/* Whether out existed when the staging began (so the commit replaces a
 * version rather than creating the folder). */
bool staging_replaces(const struct staging *s);

/* Where to send warnings (the two-rename fallback; an old version that
 * could not be removed).  Without it warnings are dropped. */
void staging_set_warning(struct staging *s, void (*warn)(void *ud, const char *msg),
			 void *ud);

/*
 * Finish and swap in, consuming s whatever the outcome (do not call
 * staging_abort() afterwards).  Closes open files, writes the marker and
 * SHA256SUMS, with STAGING_SYNC fsyncs every file, every folder and the
 * parent, then swaps the staging folder in with one
 * renameat2(RENAME_EXCHANGE), or one rename when out did not exist.  The
 * replaced version is removed, or with STAGING_KEEP_PREVIOUS kept as
 * .<name>.previous (replacing an older one).
 *
 * When the filesystem cannot exchange (EINVAL, ENOSYS, EOPNOTSUPP: Linux's
 * CIFS client), falls back to two renames, out -> aside and staging -> out,
 * back to back, and warns that it did: for that instant out does not exist.
 *
 * Returns 0, or -1 with *err set.  On failure out (and .<name>.previous)
 * are exactly as before and the staging folder is removed; every step
 * taken is undone in reverse, and should an undo itself fail, the message
 * says so and names where the versions are, and nothing is removed.
 */
int staging_commit(struct staging *s, char **err);

/* Remove the staging folder and free s.  Accepts NULL. */
void staging_abort(struct staging *s);

/*
 * Swap out and .<name>.previous (so a second call swaps them back), with
 * one renameat2(RENAME_EXCHANGE), or where the filesystem cannot, three
 * renames (out -> aside, previous -> out, aside -> previous) and a warning.
 * flags: STAGING_SYNC fsyncs the parent afterwards.  Returns 0, or -1 with
 * *err set and both folders as before ("no previous version" when there is
 * none).
 */
int staging_rollback(const char *out, unsigned flags, void (*warn)(void *ud, const char *msg),
		     void *ud, char **err);

/* The path of briefgen's sibling name ".<name><suffix>" beside out (e.g.
 * suffix ".lock" gives "dir/.site.lock"), or NULL with *err set when out
 * cannot name a folder to replace ("", ".", "..", "/").  Caller frees. */
char *staging_sibling(const char *out, const char *suffix, char **err);

/*
 * Remove leftovers of interrupted runs beside out (.<name>.staging-* and
 * .<name>.old-* folders).  Only safe while nothing else stages out at the
 * same time, i.e. under publish's lock.  Best effort: returns the number of
 * folders removed.
 */
size_t staging_remove_leftovers(const char *out);

#endif

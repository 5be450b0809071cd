/*
 * publish: put a rendered site at a path, atomically, keeping the version
 * before it.
 *
 * A publish takes a lock (flock on ".<name>.lock" beside PATH, kept there
 * for good: removing a lock file races with the next locker), so two
 * publishes or rollbacks of the same PATH never interleave; removes what an
 * interrupted publish left beside PATH; renders into a staging folder
 * beside PATH (staging.h: same filesystem as PATH wherever the working
 * folder is, never /tmp), flushed to disk; and swaps it in with one rename,
 * keeping the replaced version as ".<name>.previous" for publish_rollback().
 *
 * publish/ does not know how a site is rendered: the caller passes a
 * render callback (cli/ calls site_build from it).  Nothing here prints:
 * warnings go to a callback, failures come back as messages in *err
 * (malloc'd, the caller frees) naming what failed.
 */
#ifndef BRIEFGEN_PUBLISH_H
#define BRIEFGEN_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include "../render/output.h"
#include "../write/manifest.h"

/* How long a publish waits for another one on the same PATH to finish. */
#define PUBLISH_LOCK_WAIT_MS 10000

enum publish_status {
	PUBLISH_OK = 0,
	PUBLISH_FAILED,     /* I/O failure, or render failed: PATH is as before */
	PUBLISH_REFUSED,    /* PATH is not briefgen's (or holds others' files): --force */
	PUBLISH_BUSY,       /* another publish held the lock for too long */
	PUBLISH_RENDER,     /* the render callback failed without an output error */
	PUBLISH_UNSAFE,     /* PATH is, is inside or holds a source folder, or its
			     * parent folder does not exist: nothing was written,
			     * and --force does not change that */
};

/* A folder a publish must never write into, replace or move: the content
 * folder, the templates folder.  what names it in messages ("content
 * folder"). */
struct publish_source {
	const char *path;
	const char *what;       /* English, marked N_(): translated where used */
};

struct publish_options {
	bool force;             /* replace a folder that briefgen did not publish */
	int lock_wait_ms;       /* 0: PUBLISH_LOCK_WAIT_MS */
	/* A dated build (SOURCE_DATE_EPOCH): its SHA256SUMS carries date as
	 * its modification time, the build time publish_describe reports.
	 * Undated: the moment it is written. */
	bool dated;
	long long date;
	/* Render the site into out; 0 or -1.  Must stop at the first failed
	 * output call. */
	int (*render)(void *ud, const struct output *out);
	void *render_ud;
	/* The folders the site is built from (publish_check_target); may be
	 * NULL with nsources 0. */
	const struct publish_source *sources;
	size_t nsources;
	/* Warnings (e.g. the two-rename fallback); may be NULL. */
	void (*warn)(void *ud, const char *msg);
	void *warn_ud;
};

/* One version of a published folder, as publish_describe() found it. */
enum publish_version_kind {
	PUBLISH_NO_VERSION,     /* no such folder */
	PUBLISH_VERSION,        /* a folder with its SHA256SUMS: sum is set */
	PUBLISH_UNKNOWN,        /* a folder without a readable SHA256SUMS (one
				 * that --force replaced, or a damaged one) */
};

struct publish_version {
	enum publish_version_kind kind;
	struct manifest_summary sum;
};

/* What is live at a path and what is kept beside it for --rollback. */
struct publish_state {
	struct publish_version live, kept;
};

struct publish_result {
	size_t files;           /* files SHA256SUMS lists */
	bool kept_previous;     /* a version was replaced and kept for rollback */
	struct publish_state state;   /* after the publish, under its lock */
};

/*
 * Refuse a target that would touch a source: returns 0 when path may be
 * published to, else -1 with *err (malloc'd, one line) saying why:
 *   - the folder that would hold path does not exist (publish makes PATH,
 *     never its parents: a mistyped share path is not quietly created);
 *   - path is one of sources, lies inside one, or holds one.
 * Paths are compared as real paths: the parent folder (and path itself
 * when it exists) with every symlink resolved, the sources likewise; a
 * source that does not exist is skipped.  Nothing is written.  publish_site
 * and publish_rollback call it first, before the lock file is made.
 */
int publish_check_target(const char *path, const struct publish_source *sources,
			 size_t nsources, char **err);

/*
 * Publish to path.  On PUBLISH_OK, *res (if not NULL) says what was done.  On PUBLISH_RENDER, *err is NULL: the render
 * callback reported its own problems.  On every other failure *err says
 * what failed, and path and its previous version are exactly as before.
 * PUBLISH_UNSAFE (publish_check_target) comes before anything is written,
 * whatever opt->force says.
 */
enum publish_status publish_site(const char *path, const struct publish_options *opt,
				 struct publish_result *res, char **err);

/*
 * Swap path and its previous version (under the same lock), so a second
 * rollback brings the newer one back.  opt may be NULL (only lock_wait_ms,
 * sources and warn are used).  On PUBLISH_OK *state (if not NULL) describes
 * both versions as the rollback left them, read under its lock.  Returns
 * PUBLISH_OK, PUBLISH_BUSY or PUBLISH_FAILED ("no previous version ..."
 * included) with *err set.
 */
enum publish_status publish_rollback(const char *path, const struct publish_options *opt,
				     struct publish_state *state, char **err);

/*
 * Describe path and the version kept beside it (.<name>.previous): which
 * exist, and for each its SHA256SUMS summary (manifest_summarize).  Reads
 * only; takes no lock.
 */
void publish_describe(const char *path, struct publish_state *state);

/*
 * One version in words, translated, malloc'd: "built 2006-10-20 14:03
 * (local time), 20 files, SHA256SUMS 3f2a9c0d1e4b".  The build time is
 * SHA256SUMS's modification time: when it was written, or the
 * SOURCE_DATE_EPOCH of a dated build.
 */
char *publish_version_text(const struct publish_version *v);

/* Both versions as lines to print, translated, malloc'd, each line
 * "<prefix>: live now: <version>\n", then "<prefix>: kept for --rollback:
 * <version>\n" when one is kept. */
char *publish_state_text(const struct publish_state *state, const char *prefix);

/* Which of two versions was built later: >0 a, <0 b, 0 the same time or
 * not known for both. */
int publish_version_cmp(const struct publish_version *a, const struct publish_version *b);

#endif

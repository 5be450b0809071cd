/*
 * snapshot: one build of the site as serve hands it out, immutable once
 * made and shared by reference count.
 *
 * A snapshot holds either the whole site in memory (files) or, when the
 * content has errors, the error page that replaces its pages.  The server
 * keeps one current snapshot; each request takes a reference for as long
 * as its response is being sent, so a rebuild swaps in a new snapshot
 * without ever changing a file a request is reading, and the old one is
 * freed when its last request is done.
 *
 * Lifecycle: snapshot_build() returns a snapshot holding one reference (the
 * caller's); snapshot_ref() adds one; snapshot_unref() drops one and frees
 * the snapshot with the last (it accepts NULL).  Both are thread-safe.
 */
#ifndef BRIEFGEN_SNAPSHOT_H
#define BRIEFGEN_SNAPSHOT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "../pdf/engine.h"
#include "../render/docinfo.h"

#include "../render/fileset.h"
#include "../render/site.h"
#include "../util/buf.h"
#include "../diag/diag.h"

struct snapshot {
	atomic_uint refs;
	struct fileset *files;     /* the site; NULL when the content has errors */
	struct buf error_page;     /* when files is NULL: the page listing them */
	size_t nfiles;
	char lang[8];              /* briefing.yaml's `language` ("da"); "" when unread */
	/* bilag.pdf, printed on the first request for it (snapshot_pdf) */
	struct docinfo info;       /* set when files is */
	pthread_mutex_t pdf_lock;  /* guards the three below */
	bool pdf_done;
	struct buf pdf;
	char *pdf_error;
};

/*
 * What an update (snapshot_update) needs from the last good build: the
 * content, loaded and kept (content_load_kept), the site's cache of every
 * output in pieces (site.h), and the diagnostics the build added after
 * loading.  Owned by the caller of snapshot_build, used by one thread at a
 * time; the snapshots made from it share its blobs by reference, so they
 * outlive it.
 */
struct snapshot_cache;

/*
 * Load, check and render the content folder dir in memory with opt (which
 * should have live_reload set).  Never fails: content with errors, a
 * folder that cannot be read or a template that does not render gives a
 * snapshot with the error page.  Every diagnostic, sorted, is added to
 * diags (whose strict flag the caller sets, and which must be empty), for
 * the terminal.  cache: NULL, or where to put what snapshot_update needs
 * (NULL unless the build succeeded; the caller frees it with
 * snapshot_cache_free; opt must outlive it).
 */
struct snapshot *snapshot_build(const char *dir, const struct site_options *opt,
				struct diags *diags, struct snapshot_cache **cache);

/*
 * The build after partner file partners/<slug>.yaml changed (and nothing
 * else did since the build that made cache): that file read again, the
 * pages that show its data rendered again, the rest shared with the build
 * before; byte for byte what snapshot_build would make, with the same
 * diagnostics (added to the empty diags, sorted).  Returns NULL when it
 * cannot (the slug is not a partner of the content, the file has errors or
 * warnings under strict, a bound of the build, too much replaced): the
 * cache is then unusable, free it and call snapshot_build.
 */
struct snapshot *snapshot_update(struct snapshot_cache *cache, const char *slug,
				 struct diags *diags);

/* Whether the partners/ folder holds the same files as when the content
 * of cache was loaded (content_listing_same): check it before an update
 * when files there may have appeared or gone. */
bool snapshot_cache_listing_same(const struct snapshot_cache *cache);

/* Updates done with the cache (for tests), and how many partners the last
 * one rendered again. */
size_t snapshot_cache_updates(const struct snapshot_cache *cache);
size_t snapshot_cache_rendered(const struct snapshot_cache *cache);

/* Accepts NULL. */
void snapshot_cache_free(struct snapshot_cache *cache);

/*
 * The site's PDF (pdf.h), printed with e on the first call and kept for
 * the snapshot's life; later and concurrent calls wait for that print and
 * share its outcome.  date: SOURCE_DATE_EPOCH or -1.  Returns 0 with *pdf
 * borrowed (valid while the caller holds a reference), or -1 with *err
 * borrowed: the snapshot has errors, or the engine failed.
 */
int snapshot_pdf(struct snapshot *s, const struct engine *e, long long date,
		 const struct buf **pdf, const char **err);

struct snapshot *snapshot_ref(struct snapshot *s);
void snapshot_unref(struct snapshot *s);

/* True when a and b would answer every request alike: the same files with
 * the same bytes, or the same error page.  Files that share a blob are
 * not compared byte for byte. */
bool snapshot_same(const struct snapshot *a, const struct snapshot *b);

#endif

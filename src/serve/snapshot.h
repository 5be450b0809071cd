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

#include <stdatomic.h>
#include <stdbool.h>

#include "../render/fileset.h"
#include "../render/site.h"
#include "../util/buf.h"
#include "../validate/diag.h"

struct snapshot {
	atomic_uint refs;
	struct fileset *files;     /* the site; NULL when the content has errors */
	struct buf error_page;     /* when files is NULL: the page listing them */
	size_t nfiles;
};

/*
 * Load, check and render the content folder dir in memory with opt (which
 * should have live_reload set).  Never fails: content with errors, a
 * folder that cannot be read or a template that does not render gives a
 * snapshot with the error page.  Every diagnostic, sorted, is added to
 * diags (whose strict flag the caller sets), for the terminal.
 */
struct snapshot *snapshot_build(const char *dir, const struct site_options *opt,
				struct diags *diags);

struct snapshot *snapshot_ref(struct snapshot *s);
void snapshot_unref(struct snapshot *s);

/* True when a and b would answer every request alike: the same files with
 * the same bytes, or the same error page. */
bool snapshot_same(const struct snapshot *a, const struct snapshot *b);

#endif

/*
 * preview: `briefgen serve` without the command line: build the content in
 * memory, serve it (server.h), watch the folders (watch.h), rebuild and
 * swap the new build in when a file changes.
 *
 * Rebuilds.  A partner file saved (partners/<slug>.yaml written and
 * closed, or renamed onto its name) while nothing else changed is an
 * update of the last good build (snapshot_update): that file is read and
 * checked again, the pages that show its data are rendered again (its own,
 * those of the partners a cost is shared with either way, the overview,
 * the budget page and the whole appendix's own parts), and every other
 * file is shared with the build before; the result, files and
 * diagnostics, is byte for byte what a full build gives (tests/serve
 * compares them after random edits).  Any other change (briefing.yaml,
 * templates, i18n, a partner file made, removed or renamed away, a file in
 * partners/ that was not there before), a save when the last build failed,
 * or an update that cannot be made (the file has errors, a bound of the
 * build) is a full rebuild, as is the first build.  Other files coming and
 * going in partners/ (an editor's temporary file renamed onto the partner
 * file) are checked against the folder's listing rather than assumed to be
 * a change.  Only what changed is compared with the current build (shared
 * files are not compared byte for byte), and the browsers are told to
 * reload only when some byte of the output changed (an editor touching a
 * file, or saving it unchanged, does not reload the page).
 *
 * When a build starts: a finished save of a file a build reads (written
 * and closed, or renamed onto its name) starts it at once; other changes
 * (files made, removed, renamed away, an editor's temporary file) are
 * debounced: the build starts once no event has come for
 * PREVIEW_DEBOUNCE_MS, at the latest PREVIEW_MAX_DELAY_MS after the first.
 * The build
 * runs in a thread of its own while the server goes on answering from the
 * current snapshot and the watch loop goes on seeing changes and stops (so
 * a file whose read blocks cannot freeze the preview or keep SIGTERM from
 * stopping it); the swap is one pointer under a lock.  A build that fails
 * right after a change is not shown at once: an editor saving in place
 * truncates the file and then writes it, and a build in between sees an
 * empty or half-written file.  The content is built again
 * PREVIEW_SETTLE_MS later (or after the next change) and only that
 * build's errors are shown.  When the
 * content (or templates) folder itself disappears (a checkout, a copy over
 * it), the browser shows the error and the folder is looked for again
 * until it is back.
 *
 * Messages (diagnostics, one line per rebuild) go to the log stream.
 */
#ifndef BRIEFGEN_PREVIEW_H
#define BRIEFGEN_PREVIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "../render/site.h"

#define PREVIEW_DEBOUNCE_MS 100
#define PREVIEW_MAX_DELAY_MS 1000
#define PREVIEW_RETRY_MS 500       /* looking for a content folder that went away */
#define PREVIEW_SETTLE_MS 300      /* a failed build is tried again this much later */
#define PREVIEW_STOP_WAIT_MS 250   /* how long a stop waits for a build in progress */

struct preview_options {
	const char *dir;               /* the content folder */
	const char *bind;              /* numeric address; NULL: 127.0.0.1 */
	unsigned port;                 /* 0: any free port */
	struct site_options site;      /* live_reload is set by preview_start */
	const char *chromium;          /* --chromium for /bilag.pdf, or NULL (engine.h) */
	bool strict;                   /* warnings count as errors */
	bool source;                   /* show source lines under diagnostics */
	FILE *log;
	int stop_fd;                   /* readable: stop (preview_start's first build
					* too); -1: none */
};

struct preview;

/*
 * Build the content once, start watching and serving.  Content with errors
 * is no reason to fail (the browser shows them); returns NULL with *err
 * malloc'd when the folder is not a folder, cannot be watched, or the
 * server cannot listen, and NULL with *err NULL when o->stop_fd became
 * readable during the first build.  The options are copied; their strings are
 * borrowed and must outlive the preview.
 */
struct preview *preview_start(const struct preview_options *o, char **err);

/* The URL it serves at, e.g. "http://127.0.0.1:8000/".  Borrowed. */
const char *preview_url(const struct preview *p);

/*
 * Watch and rebuild until stop_fd is readable (the caller's signalfd, or a
 * pipe in tests).  Returns 0, or -1 with *err malloc'd when watching
 * failed.
 */
int preview_run(struct preview *p, int stop_fd, char **err);

/* Stop serving and free everything.  Accepts NULL. */
void preview_free(struct preview *p);

#endif

/*
 * preview: `briefgen serve` without the command line: build the content in
 * memory, serve it (server.h), watch the folders (watch.h), rebuild and
 * swap the new build in when a file changes.
 *
 * Rebuilds: every change is followed by a full rebuild of the site into a
 * new snapshot.  The bundled content builds in a few milliseconds, so
 * tracking which page depends on which file would buy nothing worth its
 * bugs; what is cheap and is done is to compare the new build with the
 * current one and tell the browsers to reload only when some byte of the
 * output changed (an editor touching a file, or saving it unchanged, does
 * not reload the page).  Changes are debounced: a rebuild starts once no
 * event has come for PREVIEW_DEBOUNCE_MS (editors write a file in several
 * steps), at the latest PREVIEW_MAX_DELAY_MS after the first.  The build
 * runs in the caller's thread while the server goes on answering from the
 * current snapshot; the swap is one pointer under a lock.  When the
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

struct preview_options {
	const char *dir;               /* the content folder */
	const char *bind;              /* numeric address; NULL: 127.0.0.1 */
	unsigned port;                 /* 0: any free port */
	struct site_options site;      /* live_reload is set by preview_start */
	const char *chromium;          /* --chromium for /bilag.pdf, or NULL (engine.h) */
	bool strict;                   /* warnings count as errors */
	bool source;                   /* show source lines under diagnostics */
	FILE *log;
};

struct preview;

/*
 * Build the content once, start watching and serving.  Content with errors
 * is no reason to fail (the browser shows them); returns NULL with *err
 * malloc'd when the folder is not a folder, cannot be watched, or the
 * server cannot listen.  The options are copied; their strings are
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

/*
 * engine: Chromium, started by briefgen to print one page of a built site
 * to PDF.
 *
 * The engine is Debian's Chromium in headless mode, driven by its command
 * line (--print-to-pdf): that gives every control the appendix needs (A4
 * and margins come from the page's own @page rules, the outline from
 * --generate-pdf-document-outline, tagging is Chromium's default), without a
 * DevTools client.  Each run:
 *
 *   - gets a private work folder (mkdtemp under $TMPDIR) holding Chromium's
 *     profile, HOME, cache and temporary files, removed afterwards whatever
 *     happened;
 *   - has no network: every host name resolves to nothing and every other
 *     connection goes to a proxy that does not exist, so the page can load
 *     only its own files (file://);
 *   - runs in a process group of its own, killed whole when the run ends, on
 *     success, on failure and on timeout, and with PR_SET_PDEATHSIG, so no
 *     process outlives briefgen even when briefgen itself is killed.
 *
 * Nothing here prints: failures are messages in *err (malloc'd, the caller
 * frees), one line each, that say what to do.
 */
#ifndef BRIEFGEN_ENGINE_H
#define BRIEFGEN_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>

#include "../util/buf.h"

/* How long one print may take before it is killed, unless
 * BRIEFGEN_PDF_TIMEOUT (seconds) says otherwise. */
#define ENGINE_TIMEOUT_S 60

struct engine {
	char *path;            /* the Chromium binary, absolute or as given */
	int timeout_ms;
	/* When not NULL and set non-zero (by a signal handler, or by serve
	 * when it stops), a run kills Chromium and fails with "interrupted".
	 * Atomic: lock-free, so a signal handler may set it too. */
	const atomic_int *cancel;
};

/*
 * Find the engine: explicit (--chromium PATH) when not NULL, else
 * $BRIEFGEN_CHROMIUM, else `chromium` on $PATH.  The timeout is
 * $BRIEFGEN_PDF_TIMEOUT seconds, else ENGINE_TIMEOUT_S.  Returns 0, or -1
 * with *err naming what to install or which flag to use.  Release with
 * engine_release().
 */
int engine_find(struct engine *e, const char *explicit_path, char **err);
void engine_release(struct engine *e);

/*
 * Print the local file html (an absolute path) to PDF and put the PDF's
 * bytes in *pdf.  Returns 0, or -1 with *err set (Chromium missing, crashed,
 * timed out, wrote nothing); *pdf is then empty.  Never leaves a process or
 * a temporary file behind.
 */
int engine_print(const struct engine *e, const char *html, struct buf *pdf, char **err);

#endif

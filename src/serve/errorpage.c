#include "errorpage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../render/site.h"

#include "../util/alloc.h"

/* Text of a diagnostic: control and format characters written as escapes
 * (\x1b, \u202e) as on the terminal, then escaped for HTML, so nothing in
 * a file can reorder or hide text on the page. */
static void add_text(struct buf *b, const char *s)
{
	struct buf e = BUF_INIT;

	diag_escape(&e, s, strlen(s));
	buf_add_html(b, e.ptr, e.len);
	buf_release(&e);
}

/* The report exactly as the terminal shows it (diags_print), escaped. */
static void add_terminal_report(struct buf *b, const struct diags *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	diags_print(d, f, true);
	if (fclose(f) == 0 && len) {
		buf_adds(b, "<details open><summary>As <code>briefgen check</code> shows it"
			    "</summary><pre>");
		buf_add_html(b, text, len);
		buf_adds(b, "</pre></details>\n");
	}
	free(text);
}

void errorpage_render(struct buf *out, const struct diags *d, const char *dir)
{
	size_t i, hidden, errors = d->errors + (d->strict ? d->warnings : 0);
	bool *shown = xcalloc(d->n ? d->n : 1, sizeof(*shown));

	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>briefgen: the site cannot be built</title>\n<style>\n"
		      "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;"
		      "padding:0 1rem;color:#1a1a1a;background:#fff}\n"
		      "h1{font-size:1.4rem;color:#a00000}\n"
		      "ol{padding-left:1.5rem}li{margin:.6rem 0}\n"
		      "code,pre{font-family:ui-monospace,monospace;font-size:.95rem}\n"
		      "pre{background:#f4f4f4;padding:1rem;overflow:auto}\n"
		      ".error{color:#a00000;font-weight:bold}"
		      ".warning{color:#8a5a00;font-weight:bold}"
		      ".note{color:#444}.hint{color:#444}\n"
		      "</style>\n</head>\n<body>\n<main>\n<h1>");
	buf_addf(out, "%zu error%s", errors, errors == 1 ? "" : "s");
	buf_adds(out, " to fix</h1>\n<p>The site in <code>");
	add_text(out, dir);
	buf_adds(out, "</code> cannot be built until they are fixed.  This page reloads by "
		      "itself when a file is saved.</p>\n<ol class=\"diagnostics\">\n");
	/* The same diagnostics as the terminal shows in full, no more. */
	hidden = diags_select(d, shown);
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->items[i];
		enum severity sev = g->severity;

		if (!shown[i])
			continue;
		if (sev == SEV_WARNING && d->strict)
			sev = SEV_ERROR;
		buf_addf(out, "<li class=\"diagnostic\"><code class=\"where\">");
		if (g->file[0] && g->line > 0) {
			add_text(out, g->file);
			buf_addf(out, ":%d:%d", g->line, g->col);
		} else if (g->file[0]) {
			add_text(out, g->file);
		} else {
			buf_adds(out, "briefgen");
		}
		buf_addf(out, "</code>: <span class=\"%s\">%s</span>: <span class=\"message\">",
			 diag_severity_name(sev), diag_severity_name(sev));
		add_text(out, g->message);
		buf_adds(out, "</span>");
		if (g->hint) {
			buf_adds(out, "<br><span class=\"hint\">hint: ");
			add_text(out, g->hint);
			buf_adds(out, "</span>");
		}
		buf_adds(out, "</li>\n");
	}
	buf_adds(out, "</ol>\n");
	if (hidden)
		buf_addf(out, "<p class=\"more\">%zu more diagnostic%s not listed (at most %d of a "
			 "file and %d in all are); the count above includes them.</p>\n",
			 hidden, hidden == 1 ? "" : "s", DIAGS_PER_FILE, DIAGS_PER_RUN);
	free(shown);
	add_terminal_report(out, d);
	buf_adds(out, "</main>\n" SITE_LIVE_RELOAD_SCRIPT "\n</body>\n</html>\n");
}

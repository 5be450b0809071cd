#include "errorpage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../render/site.h"

#include "../util/alloc.h"
#include "../util/intl.h"

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

/* The report exactly as the terminal shows it (diags_print), escaped and
 * wrapped rather than cut off at the right edge. */
static void add_terminal_report(struct buf *b, const struct diags *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	diags_print(d, f, true);
	if (fclose(f) == 0 && len) {
		buf_adds(b, "<details open><summary>");
		/* TRANSLATORS: over the report as the terminal shows it;
		 * `briefgen check` is a command, keep it. */
		buf_adds(b, _("As <code>briefgen check</code> shows it"));
		buf_adds(b, "</summary><pre>");
		buf_add_html(b, text, len);
		buf_adds(b, "</pre></details>\n");
	}
	free(text);
}

static void add_head(struct buf *out)
{
	buf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>", intl_language());
	buf_add_html(out, _("briefgen: the site cannot be built"),
		     strlen(_("briefgen: the site cannot be built")));
	buf_adds(out, "</title>\n<style>\n"
		      "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;"
		      "padding:0 1rem;color:#1a1a1a;background:#fff;overflow-wrap:anywhere}\n"
		      "h1{font-size:1.4rem;color:#a00000}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}\n"
		      "ol{padding-left:1.5rem}li{margin:.6rem 0}\n"
		      "code,pre{font-family:ui-monospace,monospace;font-size:.95rem}\n"
		      "pre{background:#f4f4f4;padding:1rem;white-space:pre-wrap;"
		      "overflow-wrap:anywhere}\n"
		      ".error{color:#a00000;font-weight:bold}"
		      ".warning{color:#8a5a00;font-weight:bold}"
		      ".note{color:#444}.hint{color:#444}\n"
		      "</style>\n</head>\n<body>\n<main>\n<h1>");
}

/* One diagnostic as a list item: where, severity (English, as editors
 * read it), message and hint. */
static void add_item(struct buf *out, const struct diag *g, enum severity sev)
{
	buf_adds(out, "<li class=\"diagnostic\"><code class=\"where\">");
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
		buf_adds(out, "<br><span class=\"hint\">");
		buf_add_html(out, _("hint: "), strlen(_("hint: ")));
		add_text(out, g->hint);
		buf_adds(out, "</span>");
	}
	buf_adds(out, "</li>\n");
}

/* The severity a diagnostic is listed under: its own (a warning is an
 * error under --strict), a note its parent's (notes follow their parent
 * once sorted). */
static enum severity listed_as(const struct diags *d, const struct diag *g, enum severity prev)
{
	if (g->severity == SEV_NOTE)
		return prev;
	return g->severity == SEV_WARNING && !d->strict ? SEV_WARNING : SEV_ERROR;
}

/* The shown diagnostics listed under sev, under a heading that counts them
 * all ("2 errors"); nothing when there are none. */
static void add_group(struct buf *out, const struct diags *d, const bool *shown,
		      enum severity sev, size_t count)
{
	const char *id = sev == SEV_ERROR ? "errors" : "warnings";
	enum severity under = SEV_ERROR;
	size_t i;

	if (!count)
		return;
	buf_addf(out, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\" class=\"%s\">", id, id,
		 diag_severity_name(sev));
	if (sev == SEV_ERROR)
		buf_addf(out, ngettext("%zu error", "%zu errors", count), count);
	else
		buf_addf(out, ngettext("%zu warning", "%zu warnings", count), count);
	buf_addf(out, "</h2>\n<ol class=\"diagnostics %s\">\n", id);
	for (i = 0; i < d->n; i++) {
		under = listed_as(d, &d->items[i], under);
		if (shown[i] && under == sev)
			add_item(out, &d->items[i], d->items[i].severity == SEV_NOTE ? SEV_NOTE : sev);
	}
	buf_adds(out, "</ol>\n</section>\n");
}

void errorpage_render(struct buf *out, const struct diags *d, const char *dir)
{
	size_t hidden, errors = d->errors + (d->strict ? d->warnings : 0);
	size_t warnings = d->strict ? 0 : d->warnings;
	bool *shown = xcalloc(d->n ? d->n : 1, sizeof(*shown));
	struct buf t = BUF_INIT;

	add_head(out);
	buf_add_html(out, _("The site cannot be built"), strlen(_("The site cannot be built")));
	buf_adds(out, "</h1>\n<p>");
	/* The folder's name is escaped, then set into the translated sentence. */
	buf_adds(&t, "<code>");
	add_text(&t, dir);
	buf_adds(&t, "</code>");
	/* TRANSLATORS: %s is the content folder's name. */
	buf_addf(out, _("The site in %s cannot be built until the errors are fixed. This page "
			"reloads by itself when a file is saved."), t.ptr);
	buf_release(&t);
	buf_adds(out, "</p>\n");
	/* The same diagnostics as the terminal shows in full, no more. */
	hidden = diags_select(d, shown);
	add_group(out, d, shown, SEV_ERROR, errors);
	add_group(out, d, shown, SEV_WARNING, warnings);
	if (hidden) {
		buf_adds(out, "<p class=\"more\">");
		buf_addf(out, ngettext("%zu more diagnostic not listed (at most %d of a file and %d "
				       "in all are); the counts above include it.",
				       "%zu more diagnostics not listed (at most %d of a file and %d "
				       "in all are); the counts above include them.", hidden),
			 hidden, DIAGS_PER_FILE, DIAGS_PER_RUN);
		buf_adds(out, "</p>\n");
	}
	free(shown);
	add_terminal_report(out, d);
	buf_adds(out, "</main>\n" SITE_LIVE_RELOAD_SCRIPT "\n</body>\n</html>\n");
}

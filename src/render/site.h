/*
 * site: render a loaded content folder into an output (output.h).
 *
 * The files, all with relative links so the folder works from file://, a
 * network share or any sub-path of a web server:
 *
 *   index.html              the appendix: meeting, text, overview, recommendation
 *   partners/<slug>.html    one page per partner
 *   budget.html             every cost line, totals, scenario, bar chart
 *   print.html              the whole appendix as one document, for A4
 *   briefing.md             the whole appendix as Markdown
 *   partners/<slug>.md      one Markdown file per partner
 *   assets/style.css        the stylesheet (screen and print)
 *
 * The PDF (bilag.pdf) is made by the caller from print.html; when
 * opt->pdf_bytes > 0 every HTML page but print.html links to it.
 *
 * Pages are rendered one at a time and handed to the output; each
 * partner's prose and institutions come back one at a time from the
 * content's spill (content_page), so memory does not grow with the length
 * of the partners' texts.  Output is deterministic: no timestamps
 * unless SOURCE_DATE_EPOCH is set (opt->source_date_epoch >= 0).
 */
#ifndef BRIEFGEN_SITE_H
#define BRIEFGEN_SITE_H

#include <stdbool.h>

#include "../model/content.h"
#include "../diag/diag.h"
#include "output.h"
#include "templates.h"

/* Added to every HTML page in serve mode only (never to built or published
 * files): reload when the server says the site changed. */
#define SITE_LIVE_RELOAD_SCRIPT \
	"<script>(function(){var es=new EventSource(\"/__briefgen/events\");" \
	"es.addEventListener(\"reload\",function(){location.reload();});})();</script>"

/*
 * Bounds of a build (briefgen(1), LIMITS): rendering stops with an error
 * naming the template when one output file passes SITE_MAX_FILE bytes or
 * all files together pass SITE_MAX_BUILD bytes, so a template that nests a
 * section over the partners inside another cannot fill the disk or the
 * preview's memory.  The bundled content makes about 130 KB.
 */
#define SITE_MAX_FILE ((size_t)64 << 20)     /* 64 MiB */
#define SITE_MAX_BUILD ((size_t)1 << 30)     /* 1 GiB */

/* Threads that render partners when site_options.jobs is 0: one per CPU,
 * at most this many. */
#define SITE_MAX_AUTO_JOBS 8
/* The most -j takes. */
#define SITE_MAX_JOBS 64

struct site_options {
	const char *lang;             /* "da", "en"; NULL: briefing.yaml's language */
	const char *templates_dir;    /* --templates, or NULL */
	bool include_internal;        /* --include-internal */
	bool live_reload;             /* serve mode: add the reload script */
	long long source_date_epoch;  /* -1: not set */
	long long pdf_bytes;          /* size of bilag.pdf built with the site; 0: none;
				       * -1: offered (serve), size not known */
	int jobs;                     /* threads rendering partners (-j); 0: one per CPU
				       * (at most SITE_MAX_AUTO_JOBS); 1: the build's own only.
				       * The output is the same, byte for byte, whatever it is */
	size_t max_file_bytes;        /* SITE_MAX_FILE (tests make it smaller) */
	size_t max_build_bytes;       /* SITE_MAX_BUILD */
};

/* How the site wants prose made ready when the content is loaded for it
 * (content_load): HTML and Markdown with headings below the page's own. */
extern const struct content_prose site_prose;

/* Fill opt with the defaults (and SOURCE_DATE_EPOCH from the environment). */
void site_options_init(struct site_options *opt);

/*
 * Render c (which must have loaded without errors, with site_prose) into out.  Returns the
 * number of files written, or -1 after adding an error to diags (a
 * template error, a partner file that changed and no longer loads) or
 * when the output failed (*out_failed is then true).
 */
int site_build(const struct content *c, const struct site_options *opt, const struct output *out,
	       struct diags *diags, bool *out_failed);

/*
 * serve's incremental builds.  A site_cache keeps, between builds, what
 * rendering needs (templates, labels, compiled templates) and every
 * output of the last build in pieces: each partner's page, its Markdown
 * and its sections of print.html and briefing.md, and the parts of those
 * two around the partners, index.html, budget.html and the stylesheet, in
 * reference-counted blobs that the filesets made from it share
 * (fileset.h); and the rendered rows of the long lists (the overview, the
 * budget's partners, the partners a decision names) as fragments
 * (mustache_env_keep_fragments), each made again only when its partner is
 * rendered again or what else it shows changed.  The cache borrows c and opt: they must stay alive, and c
 * change only through content_reload_partner(), until site_cache_free().
 */
struct site_cache;
struct fileset;

/*
 * site_build() into the empty fileset fs, keeping in *cache (NULL on
 * failure) what site_update() needs.  Returns the number of files, or -1
 * after adding an error to diags.
 */
int site_build_cached(const struct content *c, const struct site_options *opt,
		      struct fileset *fs, struct diags *diags, struct site_cache **cache);

/*
 * After partner i of the cache's content was reloaded (old: its digest
 * before), render again what shows its data (its own outputs, those of the
 * partners a cost shares with it either way, the whole appendix's own
 * parts, index.html and budget.html) and put the whole site into the
 * empty fileset fs, byte for byte what site_build() would make; an
 * unchanged file is the same blob as in the fileset before.  Returns the
 * number of files, or -1 (a template error or a bound of the build, with
 * diags; the cache is then unusable: free it and build in full).
 */
int site_update(struct site_cache *sc, size_t i, const struct partner *old, struct fileset *fs,
		struct diags *diags);

/* How many updates succeeded, and how many partners the last one
 * rendered (for tests and the preview's messages). */
size_t site_cache_updates(const struct site_cache *sc);
size_t site_cache_rendered(const struct site_cache *sc);

/* Accepts NULL. */
void site_cache_free(struct site_cache *sc);

#endif

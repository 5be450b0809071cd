/*
 * content: a content folder, loaded, validated and cross-checked.
 *
 * content_load() reads briefing.yaml and every partners/<slug>.yaml, checks
 * each against the schema and the cross-file rules (each partner named once
 * and has a file, shared costs point at partners, statuses agree with the
 * decisions, years near the meeting), and adds every problem to diags.
 *
 * Each file is read and parsed once.  To keep memory flat however many
 * partners there are, a partner's tree is freed after it is checked; the
 * content keeps a digest of it (everything but summary, body and
 * institutions, with node pointers cleared) for the pages that show every
 * partner.  When the content is loaded for a site (a struct content_prose
 * is given), what the partner's own page needs besides (its prose rendered
 * to HTML and Markdown, its institutions) is made from the same tree, and
 * each prose field is parsed once for the link check and both renderings;
 * that goes to a spill (util/spill.h), so it lives in a temporary file
 * rather than in memory when the folder is large.  content_page() gives it
 * back.  Partner files are loaded by several threads at once where there
 * are several CPUs; what they find is taken in the partners' order, so the
 * result does not depend on it.
 *
 * The content owns its arena: the briefing's tree and record, the digests
 * and every string in them, and the pages' spill.  content_release() frees
 * all of it.
 */
#ifndef BRIEFGEN_CONTENT_H
#define BRIEFGEN_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "../util/spill.h"
#include "../util/strmap.h"
#include "../diag/diag.h"
#include "../validate/record.h"

/* A partner's `summary` is the short paragraph that leads its page and
 * stands for it in overviews: longer than this many characters is a warning
 * (briefgen(5)).  The longest of the bundled content has 429; the issue's
 * careless example 2 400. */
#define CONTENT_MAX_SUMMARY 600

/*
 * Prose made ready for the pages while the folder loads.  render() gets
 * the CommonMark source of one field, parses it once and either returns
 * the first link destination that validation refuses (links.h; malloc'd,
 * nothing appended) or appends the field as HTML to html and as Markdown
 * to md and returns NULL.  render/site.h supplies the site's (site_prose).
 */
struct content_prose {
	char *(*render)(const char *src, size_t len, struct buf *html, struct buf *md);
};

/* A prose field of briefing.yaml as the pages show it. */
struct content_text {
	const char *src;             /* the field's value in c->briefing */
	const char *html, *md;       /* NUL-terminated, in the content's arena */
	size_t html_len, md_len;
};

/* What a partner's own page and its section of the whole appendix need
 * besides its digest.  Strings are NUL-terminated, NULL where the file has
 * none; everything lives in the arena given to content_page(). */
struct content_page {
	const char *summary;                 /* the source text */
	const char *summary_html, *summary_md;
	size_t summary_html_len, summary_md_len;
	const char *body_html, *body_md;
	size_t body_html_len, body_md_len;
	struct institution *institutions;    /* node pointers NULL */
	size_t ninstitutions;
};

struct content_partner {
	const char *slug;
	char *path;                  /* in the arena */
	struct partner *digest;      /* NULL when the file failed to load or decode */
	bool has_page;               /* its page is in c->pages (a digest and prose given) */
	size_t page_off, page_len;
	bool candidate;              /* named in new_partnerships.candidates */
	bool named;                  /* named in briefing's partners or candidates */
	bool listed_regular;         /* partners/'s listing said a regular file (DT_REG) */
	/* The decisions (other than `note`) that name it: how many, and the
	 * first two with the place of the name, for diagnostics. */
	size_t ndecisions;
	const struct decision *decision[2];
	const struct node *decision_at[2];
	const struct decision *last_decision;
};

struct content {
	struct arena arena;
	const char *dir;
	const char *root;            /* dir's real path: no file outside it is read */
	struct briefing *briefing;   /* NULL when briefing.yaml failed */
	struct content_partner *partners;   /* briefing order, then candidates, then unnamed files */
	size_t npartners;
	struct strmap index;         /* slug -> position in partners */
	bool io_error;               /* a file or folder could not be read at all */
	const struct content_prose *prose;   /* borrowed; NULL: loaded to be checked only */
	struct content_text *texts;  /* the briefing's prose, sorted by src */
	size_t ntexts;
	struct spill pages;          /* the partners' pages (content_page) */
	struct arena *digests;       /* the digests, one arena per loading thread */
	unsigned ndigests;
	/* Loaded with content_load_kept() (serve), what content_reload_partner and
	 * content_diags need: */
	bool keep;
	bool strict;                 /* the diagnostics' strict flag at load */
	struct diags kept_before;    /* what content_load found before the partner files */
	struct diags *kept;          /* partner i's own diagnostics (npartners) */
	size_t pages_live;           /* bytes of the pages in use in c->pages */
	size_t pages_dropped;        /* bytes of pages replaced by a reload */
	size_t reloads;              /* partner files reloaded (for tests) */
	char **listing;              /* the names in partners/ as listed, sorted */
	size_t nlisting, caplisting;
	bool listed;                 /* partners/ was listed */
};

/* Threads that load partner files when content_options.jobs is 0: one per
 * CPU, at most this many. */
#define CONTENT_MAX_AUTO_JOBS 8

struct content_options {
	/* With prose (borrowed for the life of the content), also make what
	 * the pages need (content_text, content_page); NULL to only check. */
	const struct content_prose *prose;
	/* Threads that load and check the partner files (util/pool.h): 0 one
	 * per CPU, 1 the caller's only.  The content and the diagnostics are
	 * the same whatever it is. */
	int jobs;
};

/* Load and check the folder dir (opt NULL: check only, one thread per
 * CPU).  Returns true when it could be read at all (diags may still hold
 * errors: see diags_failed()). */
bool content_load(struct content *c, const char *dir, const struct content_options *opt,
		  struct diags *diags);
/* content_load(), keeping each partner's diagnostics apart for
 * content_reload_partner() and content_diags() (serve's incremental
 * builds); diags must be unsorted. */
bool content_load_kept(struct content *c, const char *dir, const struct content_options *opt,
		       struct diags *diags);
/* Free everything c holds; c may be released again (nothing happens). */
void content_release(struct content *c);

/* The briefing's prose field whose value is src (the very pointer in
 * c->briefing), rendered; NULL when it was not (loaded without prose). */
const struct content_text *content_text(const struct content *c, const char *src);

/* Partner number i's page into *page, its strings allocated in arena.
 * Returns 0, or -1 with errno set: ENOENT when the content was loaded
 * without prose or the partner has no digest, another value when the
 * temporary file cannot be read.  Safe to call from several threads at
 * once (with an arena each). */
int content_page(const struct content *c, size_t i, struct arena *arena,
		 struct content_page *page);

/*
 * Read partner number i's file again after it changed, check it and
 * replace its digest, its page and its diagnostics (a content loaded with
 * keep and prose; its other partners, briefing and slugs unchanged).  What
 * the checks of one partner file read besides the file is the briefing and
 * the set of slugs (check_partner), so the result is what content_load
 * would give.  The old digest stays valid (in the content's arena) until
 * content_release().  Returns 0; or -1, with c unchanged, when the file
 * has errors (or warnings, under strict), cannot be read, or c is not kept
 * or holds more replaced pages than live ones (garbage bounded): then load
 * the content again.
 */
int content_reload_partner(struct content *c, size_t i);

/* Whether partners/ holds the same names now as when c (loaded with
 * content_load_kept) was loaded, besides the hidden and backup files the
 * load ignores: else a reload of one file is not what a load would give
 * (a partner file more or less, a file that is warned about). */
bool content_listing_same(const struct content *c);

/* Append a copy of c's diagnostics, as content_load() added them (a
 * content loaded with keep), to diags (unsorted). */
void content_diags(const struct content *c, struct diags *diags);

/* The partner with this slug, or NULL. */
const struct content_partner *content_find(const struct content *c, const char *slug);

/* Load partner number i in full again, from its file, into arena (the
 * caller releases it); for tests and tools, a build does not.  Returns
 * NULL (with diags) if it no longer loads. */
struct partner *content_load_partner(const struct content *c, size_t i, struct arena *arena,
				     struct diags *diags);

#endif

#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/content.h"
#include "../pdf/pdf.h"
#include "../util/alloc.h"
#include "../util/intl.h"
#include "../validate/schema.h"
#include "errorpage.h"

struct snapshot_cache {
	struct content content;
	const struct site_options *opt;
	struct site_cache *site;
	struct diags after;        /* what the build added after loading, unsorted */
	struct docinfo info;       /* the last build's (docinfo.h) */
	char lang[8];
	size_t updates;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void docinfo_copy(struct docinfo *to, const struct docinfo *from)
{
	to->title = dup_or_null(from->title);
	to->subject = dup_or_null(from->subject);
	to->author = dup_or_null(from->author);
	to->keywords = dup_or_null(from->keywords);
	to->lang = dup_or_null(from->lang);
}

static struct snapshot *snapshot_new(void)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));

	atomic_init(&s->refs, 1);
	buf_init(&s->error_page);
	buf_init(&s->pdf);
	pthread_mutex_init(&s->pdf_lock, NULL);
	return s;
}

struct snapshot *snapshot_build(const char *dir, const struct site_options *opt,
				struct diags *diags, struct snapshot_cache **cache)
{
	struct snapshot *s = snapshot_new();
	struct snapshot_cache *sc = NULL;
	struct content local, *c = &local;
	struct content_options copt = {&site_prose, opt->jobs};
	struct fileset *fs = NULL;
	struct output out;
	bool out_failed = false;
	size_t loaded;
	int n;

	if (cache) {
		*cache = NULL;
		sc = xcalloc(1, sizeof(*sc));
		sc->opt = opt;
		diags_init(&sc->after);
		c = &sc->content;
		content_load_kept(c, dir, &copt, diags);
	} else {
		content_load(c, dir, &copt, diags);
	}
	loaded = diags->n;
	if (c->briefing)
		snprintf(s->lang, sizeof(s->lang), "%s",
			 schema_language_values[c->briefing->language]);
	if (c->io_error || diags_failed(diags))
		goto out;
	fs = fileset_new();
	if (sc) {
		n = site_build_cached(c, opt, fs, diags, &sc->site);
	} else {
		out = fileset_output(fs);
		n = site_build(c, opt, &out, diags, &out_failed);
	}
	if (n < 0 || docinfo_init(&s->info, c, opt, diags) != 0) {
		fileset_free(fs);
		fs = NULL;
		goto out;
	}
	s->files = fs;
	s->nfiles = (size_t)n;
	if (sc && !diags_failed(diags)) {
		diags_append_copy(&sc->after, diags, loaded);
		docinfo_copy(&sc->info, &s->info);
		snprintf(sc->lang, sizeof(sc->lang), "%s", s->lang);
		*cache = sc;
		sc = NULL;
	}
out:
	if (sc)
		snapshot_cache_free(sc);
	else if (!cache)
		content_release(c);
	diags_sort(diags);
	if (!s->files)
		errorpage_render(&s->error_page, diags, dir);
	return s;
}

struct snapshot *snapshot_update(struct snapshot_cache *sc, const char *slug,
				 struct diags *diags)
{
	struct snapshot *s = NULL;
	const struct content_partner *cp = content_find(&sc->content, slug);
	const struct partner *old;
	struct fileset *fs = NULL;
	struct diags more;
	size_t i;
	int n;

	if (!cp || !cp->digest || !sc->site)
		return NULL;
	i = (size_t)(cp - sc->content.partners);
	old = cp->digest;
	if (content_reload_partner(&sc->content, i) != 0)
		return NULL;
	/* The content's diagnostics as a full load gives them; then those of
	 * rendering, which are the last full build's: anything new from the
	 * render (an error, a bound) is left to a full build to say. */
	content_diags(&sc->content, diags);
	if (diags_failed(diags))
		return NULL;
	diags_init(&more);
	fs = fileset_new();
	n = site_update(sc->site, i, old, fs, &more);
	if (n < 0 || more.n)
		goto fail;
	s = snapshot_new();
	snprintf(s->lang, sizeof(s->lang), "%s", sc->lang);
	/* What the PDF says about itself reads of the partners only the names
	 * of those shown (docinfo.h): the same unless the update changed them. */
	if (!strcmp(old->name, cp->digest->name) && old->internal == cp->digest->internal) {
		docinfo_copy(&s->info, &sc->info);
	} else {
		if (docinfo_init(&s->info, &sc->content, sc->opt, &more) != 0)
			goto fail;
		if (more.n) {
			docinfo_release(&s->info);
			goto fail;
		}
		docinfo_release(&sc->info);
		docinfo_copy(&sc->info, &s->info);
	}
	diags_release(&more);
	diags_append_copy(diags, &sc->after, 0);
	diags_sort(diags);
	s->files = fs;
	s->nfiles = (size_t)n;
	sc->updates++;
	return s;
fail:
	diags_release(&more);
	fileset_free(fs);
	snapshot_unref(s);
	return NULL;
}

size_t snapshot_cache_updates(const struct snapshot_cache *sc)
{
	return sc ? sc->updates : 0;
}

bool snapshot_cache_listing_same(const struct snapshot_cache *sc)
{
	return sc && content_listing_same(&sc->content);
}

size_t snapshot_cache_rendered(const struct snapshot_cache *sc)
{
	return sc ? site_cache_rendered(sc->site) : 0;
}

void snapshot_cache_free(struct snapshot_cache *sc)
{
	if (!sc)
		return;
	site_cache_free(sc->site);
	content_release(&sc->content);
	docinfo_release(&sc->info);
	diags_release(&sc->after);
	free(sc);
}

struct snapshot *snapshot_ref(struct snapshot *s)
{
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
	return s;
}

void snapshot_unref(struct snapshot *s)
{
	if (!s || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
		return;
	if (s->files)
		docinfo_release(&s->info);
	fileset_free(s->files);
	buf_release(&s->error_page);
	buf_release(&s->pdf);
	free(s->pdf_error);
	pthread_mutex_destroy(&s->pdf_lock);
	free(s);
}

int snapshot_pdf(struct snapshot *s, const struct engine *e, long long date,
		 const struct buf **pdf, const char **err)
{
	int rc;

	pthread_mutex_lock(&s->pdf_lock);
	if (!s->pdf_done) {
		/* The print reads the environment and says what failed: the
		 * build thread must not switch the message language meanwhile. */
		intl_hold();
		if (!s->files)
			s->pdf_error = xstrdup(_("the site cannot be built now; open / to see why"));
		else
			pdf_make(s->files, e, &s->info, date, &s->pdf, &s->pdf_error);
		intl_release();
		s->pdf_done = true;
	}
	rc = s->pdf_error ? -1 : 0;
	*pdf = &s->pdf;
	*err = s->pdf_error;
	pthread_mutex_unlock(&s->pdf_lock);
	return rc;
}

bool snapshot_same(const struct snapshot *a, const struct snapshot *b)
{
	size_t i;

	if (!a || !b || !a->files != !b->files)
		return false;
	if (!a->files)
		return a->error_page.len == b->error_page.len &&
		       memcmp(a->error_page.ptr, b->error_page.ptr, a->error_page.len) == 0;
	if (a->files->n != b->files->n)
		return false;
	for (i = 0; i < a->files->n; i++) {
		const struct fileset_file *fa = &a->files->files[i];
		const struct fileset_file *fb = fileset_get(b->files, fa->path);

		if (!fb || !fileset_same_file(fa, fb))
			return false;
	}
	return true;
}

#include "site.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "../model/budget.h"
#include "../util/alloc.h"
#include "../util/buf.h"
#include "../validate/schema.h"
#include "chart.h"
#include "fileset.h"
#include "i18n.h"
#include "markdown.h"
#include "mustache.h"
#include "view.h"
#include "../util/intl.h"
#include "../util/pool.h"

/* Headings inside prose start below the page's own <h2>. */
#define PROSE_HEADING 3

struct compiled {
	char *path;
	const char *asked;       /* the path pointer it was first asked for */
	struct mustache *tmpl;
};

struct site;

struct worker;

struct loader_ctx {
	struct site *s;
	const char *kind;          /* "html" or "md" */
	struct worker *worker;     /* NULL: the build's own environments */
};

struct partial;

/* How many years around the budget year a site makes once (year_view). */
#define SITE_YEARS 64

struct site {
	const struct content *c;
	const struct briefing *b;
	const struct site_options *opt;
	const struct output *out;
	struct diags *diags;
	struct templates *tpl;
	struct loader_ctx html_ctx, md_ctx;
	struct mustache_env *html_env, *md_env;
	struct compiled *compiled;
	size_t ncompiled, capcompiled;
	struct i18n i18n;
	bool have_i18n;
	struct budget budget;
	struct arena common_arena;
	struct view *common;
	size_t *rows;              /* the overview's partners: positions in c->partners */
	size_t nrows;
	/* The visible partners each decision names (collect_decided): their
	 * positions in c->partners, in the decision's order; one block. */
	size_t *decided, *decided_at;   /* decision d: decided[decided_at[d] ...
					 * decided_at[d + 1]) */
	int files;
	bool failed, out_failed;
	size_t bytes;              /* written so far, all files */
	struct strmap sizes;       /* other files written in pieces -> their size so far */
	struct arena size_keys;    /* their paths */
	/* The size so far of the two files every partner adds a part to
	 * (print.html, briefing.md): counted here, not in sizes, so the
	 * partners' parts hash no path (appendix_counter). */
	size_t appendix_bytes[2];
	/* The partials the build's environments loaded, for the pool's. */
	pthread_mutex_t partials_lock;
	struct partial *partials;
	size_t npartials, cappartials;
	/* The menu of every page, made once by build_common: NAV_NONE and
	 * one with each of nav_pages[] current. */
	struct view *nav[4];
	/* The keys a partner's contexts share whoever the partner is, made
	 * once by build_common: its page's, and its section's of the whole
	 * appendix (by candidate).  partner_ctx copies one and adds the rest. */
	struct view *partner_page, *partner_print[2];
	/* Texts every partner's views share, made once by build_common (a
	 * string view is never changed, so any tree may hold it). */
	struct view *kind_label[3];      /* by enum cost_kind */
	struct view *status_label[4];    /* by enum status */
	struct view *status_text[4];     /* schema_status_values, by enum status */
	struct view *not_stated;         /* an amount not stated */
	struct view *per_year;           /* when a yearly cost without until falls */
	const char *until;               /* the label */
	struct view *per_year_until;     /* "<per_year>, <until> ": a yearly cost's
					  * when, before its last year */
	/* The years around the budget year as string views (year_view):
	 * years[k] is year years_from + k. */
	struct view *years[SITE_YEARS];
	long long years_from;
	/* The budget's chart (chart_svg), made with the budget (site_budget):
	 * the budget page and the whole appendix both show it. */
	struct buf chart;
	/* Building for serve's updates (site_build_cached): what emit and
	 * emit_part hand out is also copied to capture, and kept in cache. */
	struct site_cache *cache;
	struct buf *capture;
	/* What render_file renders into: emptied, never freed, between
	 * files, so its capacity is paid for once (the build's thread only). */
	struct buf rendered;
};

void site_options_init(struct site_options *opt)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;

	memset(opt, 0, sizeof(*opt));
	opt->source_date_epoch = -1;
	opt->max_file_bytes = SITE_MAX_FILE;
	opt->max_build_bytes = SITE_MAX_BUILD;
	if (sde && *sde) {
		long long v = strtoll(sde, &end, 10);
		if (!*end && v >= 0)
			opt->source_date_epoch = v;
	}
}

/* ---- the keys of the views ------------------------------------------------ */

/*
 * Every key site.c sets, interned once per process (site_keys_resolve,
 * from site_open), so that making a view hashes and compares no string:
 * set(a, map, K_name, value).  Keep the list sorted; a key not in it is a
 * compile error.
 */
#define SITE_KEYS(X) X(a11y_label) X(a11y_url) X(a11y_url_md) X(addressee_line) X(alt_label) \
	X(alt_partners_total) X(alt_total) X(alternatives) X(amount) X(background) X(body_html) \
	X(body_md) X(briefing) X(budget) X(budget_year) X(built) X(by) X(candidate) X(candidates) \
	X(chart_svg) X(city) X(committee) X(considerations) X(cost_text) X(costs) X(country) \
	X(country_name) X(current) X(date) X(date_iso) X(decisions) X(ended_names) X(ended_total) X(ends) \
	X(focus) X(focus_text) X(footer) X(has_alternatives) X(has_candidates) X(has_costs) X(has_ended) \
	X(has_institutions) X(has_new_partnerships) X(has_own_costs) X(has_partners) X(has_pot) \
	X(has_year_total) X(href) X(href_md) X(in_year) X(include_internal) X(institutions) X(internal) \
	X(introduction_html) X(introduction_md) X(item) X(item_line) X(kind_label) X(label) X(lang) \
	X(live_reload) X(live_reload_script) X(local_name) X(lower_bound) X(meeting) X(meeting_body) \
	X(meeting_line) X(name) X(nav) X(new_partnerships) X(not_stated) X(note) X(organisation) \
	X(origin) X(own_cost_text) X(own_costs) X(page_of_css) X(page_title) X(part_h) X(part_md) \
	X(partner) X(partners) X(partners_intro_html) X(partners_intro_md) X(partners_once) \
	X(partners_total) X(partners_yearly) X(pdf) X(pot) X(pot_total) X(prepared_by) X(print) \
	X(priorities) X(purposes) X(recommendation) X(root) X(running_header_css) X(shared) \
	X(shared_from) X(shared_from_href) X(shared_in) X(shared_in_costs) X(shared_with) \
	X(shared_with_text) X(since) X(site) X(size) X(slug) X(stated) X(status) X(status_label) X(sub_h) \
	X(sub_md) X(subtitle) X(summary_html) X(summary_md) X(summary_said) X(t) X(text_html) X(text_md) \
	X(title) X(total) X(ui_lang) X(ui_lang_differs) X(until) X(when) X(year) X(year_total) X(yearly)

#define SITE_KEY_ENUM(k) K_##k,
#define SITE_KEY_NAME(k) #k,
enum site_key { SITE_KEYS(SITE_KEY_ENUM) NSITE_KEYS };
static const char *const site_key_names[NSITE_KEYS] = {SITE_KEYS(SITE_KEY_NAME)};
static const struct atom *site_keys[NSITE_KEYS];
static pthread_once_t site_keys_once = PTHREAD_ONCE_INIT;
/* view.h's shared null and booleans (static views, never changed), taken
 * once with the keys: the views below set them without a call. */
static struct view *site_null, *site_bools[2];

static void site_keys_resolve(void)
{
	view_keys_intern(site_key_names, NSITE_KEYS, site_keys);
	site_null = view_null(NULL);
	site_bools[0] = view_bool(NULL, false);
	site_bools[1] = view_bool(NULL, true);
}

static struct view *set(struct arena *a, struct view *map, enum site_key k, struct view *v)
{
	return view_set_key(a, map, site_keys[k], v);
}

static struct view *set_bool(struct arena *a, struct view *map, enum site_key k, bool b)
{
	return set(a, map, k, site_bools[b]);
}

/* s copied, or null when s is NULL. */
static struct view *set_str(struct arena *a, struct view *map, enum site_key k, const char *s)
{
	return set(a, map, k, s ? view_string(a, s) : site_null);
}

/* ---- templates ----------------------------------------------------------- */

static void partial_remember(struct site *s, const char *name, const char *text, size_t len);

static const char *load_partial(void *ud, const char *name, size_t *len)
{
	struct loader_ctx *lc = ud;
	char *path = xasprintf("%s/%s.mustache", lc->kind, name);
	size_t n = 0;
	const char *text = templates_get(lc->s->tpl, path, &n, NULL);

	free(path);
	path = xasprintf("%s/%s", lc->kind, name);
	partial_remember(lc->s, path, text, n);
	free(path);
	*len = n;
	return text;
}

static const struct mustache *template_get(struct site *s, const char *path)
{
	const char *text, *origin;
	size_t len, i, before;
	char *err = NULL;
	struct mustache *m;

	/* The callers name templates with the literals of their tables, four
	 * of them per partner: the same pointer again is found without
	 * comparing strings but one (the address alone could be a freed
	 * string's, reused). */
	for (i = 0; i < s->ncompiled; i++)
		if (s->compiled[i].asked == path && !strcmp(s->compiled[i].path, path))
			return s->compiled[i].tmpl;
	for (i = 0; i < s->ncompiled; i++)
		if (!strcmp(s->compiled[i].path, path))
			return s->compiled[i].tmpl;
	before = s->diags->errors;
	text = templates_get(s->tpl, path, &len, &origin);
	/* A refused file (a FIFO, a link out) was reported by templates_get. */
	if (!text && s->diags->errors > before)
		return NULL;
	if (!text) {
		diags_add(s->diags, SEV_ERROR, path, 0, 0,
			  _("restore it, or remove the override folder's broken copy"),
			  "template not found");
		return NULL;
	}
	m = mustache_compile(origin, text, len, &err);
	if (!m) {
		diags_add(s->diags, SEV_ERROR, NULL, 0, 0, NULL, "template: %s", err);
		free(err);
		return NULL;
	}
	s->compiled = xgrow(s->compiled, sizeof(*s->compiled), s->ncompiled + 1, &s->capcompiled);
	s->compiled[s->ncompiled].path = xstrdup(path);
	s->compiled[s->ncompiled].asked = path;
	s->compiled[s->ncompiled].tmpl = m;
	s->ncompiled++;
	return m;
}

/* Render template path (e.g. "html/index.mustache") against ctx into out. */
static int render(struct site *s, const char *path, const struct view *ctx, struct buf *out)
{
	const struct mustache *m = template_get(s, path);
	char *err = NULL;
	struct mustache_env *env = !strncmp(path, "md/", 3) ? s->md_env : s->html_env;
	size_t errors = s->diags->errors;

	if (!m)
		return -1;
	if (mustache_render(env, m, ctx, out, &err) != 0) {
		/* A size bound is reported by render_file, a flush refused at a
		 * bound by count_bytes. */
		if (!mustache_env_limit_hit(env) && s->diags->errors == errors)
			diags_add(s->diags, SEV_ERROR, NULL, 0, 0, NULL, "template: %s", err);
		free(err);
		return -1;
	}
	return 0;
}

/* ---- output -------------------------------------------------------------- */

/* Which of site.appendix_bytes counts path: 0 print.html, 1 briefing.md,
 * -1 another file. */
static int appendix_counter(const char *path)
{
	if (path[0] == 'p' && !strcmp(path, "print.html"))
		return 0;
	if (path[0] == 'b' && !strcmp(path, "briefing.md"))
		return 1;
	return -1;
}

static size_t file_size_so_far(const struct site *s, const char *path)
{
	int own = appendix_counter(path);
	size_t n = 0;

	if (own >= 0)
		return s->appendix_bytes[own];
	if (s->sizes.n)
		strmap_get(&s->sizes, path, &n);
	return n;
}

/* "64 MiB", "256 KiB": a bound as the documentation writes it. */
static void add_bound(struct buf *b, size_t n)
{
	if (n >= (1u << 20) && n % (1u << 20) == 0)
		buf_addf(b, "%zu MiB", n >> 20);
	else if (n >= 1024 && n % 1024 == 0)
		buf_addf(b, "%zu KiB", n >> 10);
	else
		buf_addf(b, ngettext("%zu byte", "%zu bytes", n), n);
}

static void size_limit_error(struct site *s, const char *tmpl, const char *path, bool whole)
{
	struct buf bound = BUF_INIT;

	add_bound(&bound, whole ? s->opt->max_build_bytes : s->opt->max_file_bytes);
	if (whole)
		diags_add(s->diags, SEV_ERROR, NULL, 0, 0,
			  _("look for a section over a list inside another section over a list"),
			  "template '%s': the build passes %s in all at '%s', the limit of one build",
			  tmpl, bound.ptr, path);
	else
		diags_add(s->diags, SEV_ERROR, NULL, 0, 0,
			  _("look for a section over a list inside another section over a list"),
			  "template '%s': '%s' passes %s, the limit of one output file", tmpl, path,
			  bound.ptr);
	buf_release(&bound);
}

/* Count len more bytes of path; -1 (with an error naming tmpl) past a bound. */
static int count_bytes(struct site *s, const char *tmpl, const char *path, size_t len,
		       bool pieces)
{
	size_t before = file_size_so_far(s, path);

	if (len > s->opt->max_file_bytes - before) {
		size_limit_error(s, tmpl, path, false);
		return -1;
	}
	if (len > s->opt->max_build_bytes - s->bytes) {
		size_limit_error(s, tmpl, path, true);
		return -1;
	}
	s->bytes += len;
	if (pieces) {
		int own = appendix_counter(path);

		if (own >= 0)
			s->appendix_bytes[own] = before + len;
		else
			strmap_set(&s->sizes, before ? path : arena_strdup(&s->size_keys, path),
				   before + len);
	}
	return 0;
}

static int emit(struct site *s, const char *tmpl, const char *path, const struct buf *data)
{
	if (count_bytes(s, tmpl, path, data->len, false))
		return -1;
	if (s->capture)
		buf_add(s->capture, data->ptr, data->len);
	if (output_put(s->out, path, data->ptr, data->len) != 0) {
		s->out_failed = true;
		return -1;
	}
	s->files++;
	return 0;
}

/* emit, with the data's SHA-256 already computed (NULL: not). */
static int emit_digest(struct site *s, const char *tmpl, const char *path, const struct buf *data,
		       const unsigned char *digest)
{
	if (!digest)
		return emit(s, tmpl, path, data);
	if (count_bytes(s, tmpl, path, data->len, false))
		return -1;
	if (s->capture)
		buf_add(s->capture, data->ptr, data->len);
	if (output_put_digest(s->out, path, data->ptr, data->len, digest) != 0) {
		s->out_failed = true;
		return -1;
	}
	s->files++;
	return 0;
}

/* emit_digest for a file the output already holds (output.h,
 * write_ahead): the same byte counts, then registered without a write. */
static int emit_written(struct site *s, const char *tmpl, const char *path, size_t len,
			const unsigned char *digest)
{
	if (count_bytes(s, tmpl, path, len, false))
		return -1;
	if (s->out->put_written(s->out->ctx, path, len, digest) != 0) {
		s->out_failed = true;
		return -1;
	}
	s->files++;
	return 0;
}

static int emit_part(struct site *s, const char *tmpl, const char *path, const struct buf *data,
		     bool first)
{
	if (count_bytes(s, tmpl, path, data->len, true))
		return -1;
	if (s->capture)
		buf_add(s->capture, data->ptr, data->len);
	if (output_append(s->out, path, data->ptr, data->len) != 0) {
		s->out_failed = true;
		return -1;
	}
	if (first)
		s->files++;
	return 0;
}

/* A file being rendered: pages with long tables reach the output in pieces
 * (mustache_env_set_flush), the rest in one put. */
struct stream {
	struct site *s;
	const char *tmpl;
	const char *path;
	bool first;      /* the file has not been started yet */
	bool streamed;   /* some of it went out already: finish with append */
};

/* Hand the output this far to the file; flushing past 64 KiB keeps a
 * page of ten thousand rows from being held whole. */
#define FLUSH_AT (64 * 1024)

static int flush_stream(void *ud, struct buf *out)
{
	struct stream *st = ud;

	if (emit_part(st->s, st->tmpl, st->path, out, st->first))
		return -1;
	st->first = false;
	st->streamed = true;
	buf_reset(out);
	return 0;
}

static int render_file(struct site *s, const char *tmpl, const struct view *ctx, const char *path,
		       bool append, bool first)
{
	struct stream st = {s, tmpl, path, first, append};
	struct mustache_env *env = !strncmp(tmpl, "md/", 3) ? s->md_env : s->html_env;
	struct buf *b = &s->rendered;
	size_t room_file = s->opt->max_file_bytes - file_size_so_far(s, path),
	       room_build = s->opt->max_build_bytes - s->bytes;
	size_t room;
	int rc;

	/* The render itself stops just past the room left, so a template that
	 * explodes is not held in memory whole before it is refused. */
	mustache_env_set_flush(env, flush_stream, &st, FLUSH_AT);
	room = room_file < room_build ? room_file : room_build;
	mustache_env_set_limit(env, room ? room : 1);
	buf_reset(b);
	rc = render(s, tmpl, ctx, b);
	mustache_env_set_limit(env, 0);
	mustache_env_set_flush(env, NULL, NULL, 0);
	if (!rc)
		rc = st.streamed ? emit_part(s, tmpl, path, b, st.first) : emit(s, tmpl, path, b);
	else if (mustache_env_limit_hit(env))
		size_limit_error(s, tmpl, path, room_build <= room_file);
	buf_reset(b);
	return rc;
}

/* Render a template as a whole file. */
static int page(struct site *s, const char *tmpl, const struct view *ctx, const char *path)
{
	return render_file(s, tmpl, ctx, path, false, true);
}

/* Render a template and append it to a file written in pieces. */
static int part(struct site *s, const char *tmpl, const struct view *ctx, const char *path,
		bool first)
{
	return render_file(s, tmpl, ctx, path, true, first);
}

/* ---- small view helpers -------------------------------------------------- */

static struct view *str_or_null(struct arena *a, const char *s)
{
	return s ? view_string(a, s) : site_null;
}

/*
 * The views below borrow the strings of the content, the budget and the
 * language file instead of copying them: all of them outlive the build,
 * and a view lives only while its page is rendered.
 */
static struct view *text_view(struct arena *a, const char *s)
{
	return view_string_borrowed(a, s, strlen(s));
}

static struct view *text_or_null(struct arena *a, const char *s)
{
	return s ? text_view(a, s) : site_null;
}

static struct view *int_view(struct arena *a, long long v)
{
	char tmp[BUF_INT_MAX], *p;

	if (!v)
		return site_null;
	p = buf_int_text(tmp + sizeof(tmp), v);
	return view_stringn(a, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* A year (or another number) as int_view makes it, 0 as null: the years
 * around the budget year are made once (build_common), not per cost. */
static struct view *year_view(struct site *s, struct arena *a, long long y)
{
	if (y && y >= s->years_from && y < s->years_from + SITE_YEARS)
		return s->years[y - s->years_from];
	return int_view(a, y);
}

/* tmp's text as a new string view; tmp is emptied. */
static struct view *tmp_view(struct arena *a, struct buf *tmp)
{
	struct view *v = view_stringn(a, tmp->ptr, tmp->len);

	buf_reset(tmp);
	return v;
}

static struct view *set_buf(struct arena *a, struct view *map, enum site_key k, struct buf *b)
{
	struct view *v = view_stringn(a, b->ptr, b->len);
	buf_reset(b);
	return set(a, map, k, v);
}

/* Markdown as HTML and as normalised Markdown: key_html and key_md.  The
 * briefing's fields were rendered when the content was loaded. */
static void set_prose(struct site *s, struct arena *a, struct view *map, enum site_key key_html,
		      enum site_key key_md, const char *src, int heading)
{
	const struct content_text *t = content_text(s->c, src);
	struct buf html = BUF_INIT, md = BUF_INIT;

	if (!src) {
		set(a, map, key_html, site_null);
		set(a, map, key_md, site_null);
		return;
	}
	if (t) {
		set(a, map, key_html, view_string_borrowed(a, t->html, t->html_len));
		set(a, map, key_md, view_string_borrowed(a, t->md, t->md_len));
		return;
	}
	markdown_render(src, strlen(src), heading, &html, &md);
	set_buf(a, map, key_html, &html);
	set_buf(a, map, key_md, &md);
	buf_release(&html);
	buf_release(&md);
}

/* A prose field of a partner's page, rendered when the content was loaded. */
static void set_rendered(struct arena *a, struct view *map, enum site_key key_html,
			 const char *html, size_t html_len, enum site_key key_md, const char *md,
			 size_t md_len)
{
	set(a, map, key_html, html ? view_string_borrowed(a, html, html_len) : site_null);
	set(a, map, key_md, md ? view_string_borrowed(a, md, md_len) : site_null);
}

static char *prose_render(const char *src, size_t len, struct buf *html, struct buf *md)
{
	return markdown_prose(src, len, PROSE_HEADING, html, md);
}

const struct content_prose site_prose = {prose_render};

/* An amount or a total as text, formatted in tmp (emptied). */
static struct view *money_view(struct site *s, struct arena *a, const struct money *m,
			       struct buf *tmp)
{
	bool any = m->any && (m->amount || !m->lower_bound);

	/* Most totals are an amount and no more (i18n_money). */
	if (any && !m->lower_bound) {
		size_t len;
		const char *text = i18n_amount_text(&s->i18n, m->amount, a, &len);

		return view_string_borrowed(a, text, len);
	}
	buf_reset(tmp);
	i18n_money(&s->i18n, m->amount, m->lower_bound, any, tmp);
	return tmp_view(a, tmp);
}

static struct view *amount_view(struct site *s, struct arena *a, const struct amount *am)
{
	size_t len;
	const char *text;

	if (!am->stated)
		return s->not_stated;
	text = i18n_amount_text(&s->i18n, am->value, a, &len);
	return view_string_borrowed(a, text, len);
}

static const char *label(struct site *s, const char *key)
{
	return i18n_label(&s->i18n, key);
}

static const char *status_label(struct site *s, int status)
{
	static const char *const keys[] = {"status_continue", "status_terminate", "status_explore",
					   "status_note"};
	return label(s, keys[status]);
}

static const char *partner_name(const struct content *c, const char *slug)
{
	const struct content_partner *cp = content_find(c, slug);
	return cp && cp->digest ? cp->digest->name : slug;
}

/* Is the partner at position i of the content shown? */
static bool partner_visible_at(const struct site *s, size_t i)
{
	const struct content_partner *cp = &s->c->partners[i];
	return cp->digest && (s->opt->include_internal || !cp->digest->internal);
}

static bool partner_visible(const struct site *s, const char *slug)
{
	size_t i;
	return strmap_get(&s->c->index, slug, &i) && partner_visible_at(s, i);
}

static struct view *joined_view(struct arena *a, const char *const *parts, const size_t *lens,
				size_t n);

/* ---- CSS strings ---------------------------------------------------------- */

/* s as a CSS string literal, quotes included, safe inside an HTML <style>
 * element whatever s holds: backslash, quote, control characters and '<'
 * (so "</style>" cannot close the element) become CSS escapes ("\3c "). */
static void css_string(struct buf *b, const char *s, size_t len)
{
	size_t k;

	buf_addc(b, '"');
	for (k = 0; k < len; k++) {
		unsigned char c = (unsigned char)s[k];
		if (c == '\\' || c == '"' || c == '<' || c == '>' || c == '&' || c < 0x20 || c == 0x7f)
			buf_addf(b, "\\%x ", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

/* "Side {n} af {N}" as a CSS content value: "Side " counter(page) " af "
 * counter(pages).  Text between the placeholders becomes CSS strings. */
static void css_page_of(struct buf *b, const char *pattern)
{
	const char *p = pattern, *start = pattern;

	while (*p) {
		const char *counter = !strncmp(p, "{n}", 3) ? "counter(page)"
				      : !strncmp(p, "{N}", 3) ? "counter(pages)" : NULL;
		if (!counter) {
			p++;
			continue;
		}
		if (p > start) {
			css_string(b, start, (size_t)(p - start));
			buf_addc(b, ' ');
		}
		buf_adds(b, counter);
		buf_addc(b, ' ');
		p += 3;
		start = p;
	}
	if (p > start)
		css_string(b, start, (size_t)(p - start));
	while (b->len && b->ptr[b->len - 1] == ' ')
		b->ptr[--b->len] = '\0';
	if (!b->len)
		buf_adds(b, "counter(page)");
}

/* ---- the common part of every page -------------------------------------- */

/* The pages of the menu: name, file. */
static const char *const nav_pages[][2] = {
	{"index", "index.html"}, {"budget", "budget.html"}, {"print", "print.html"}};
#define NAV_NONE (sizeof(nav_pages) / sizeof(nav_pages[0]))

/* The menu with nav_pages[current] marked (NAV_NONE: none). */
static struct view *nav_view(struct site *s, struct arena *a, size_t current)
{
	struct view *nav = view_list(a);
	size_t i;

	for (i = 0; i < NAV_NONE; i++) {
		struct view *item = view_map(a);
		char key[32];

		snprintf(key, sizeof(key), "nav_%s", nav_pages[i][0]);
		set_str(a, item, K_href, nav_pages[i][1]);
		set_str(a, item, K_label, label(s, key));
		set_bool(a, item, K_current, i == current);
		view_push(a, nav, item);
	}
	return nav;
}

static struct view *page_view(struct site *s, struct arena *a, const char *root,
			      const char *current, const char *title);

/* site.partner_page and partner_print: page_view's keys without the title,
 * and the keys partner_ctx sets that do not depend on the partner. */
static void partner_protos(struct site *s, struct arena *a)
{
	struct view *v;
	int c;

	/* The partner's own page: its sections are h2 under the h1 name. */
	v = page_view(s, a, "../", NULL, NULL);
	set(a, v, K_sub_h, text_view(a, "h2"));
	set(a, v, K_sub_md, text_view(a, "##"));
	s->partner_page = v;
	for (c = 0; c < 2; c++) {
		v = page_view(s, a, "", "print", NULL);
		set_bool(a, v, K_print, true);
		set_bool(a, v, K_candidate, c);
		/* In the whole appendix a partner is an h3 under
		 * "Samarbejdspartnere"; a candidate an h4 under "Samarbejder
		 * under overvejelse". */
		set(a, v, K_part_h, text_view(a, c ? "h4" : "h3"));
		set(a, v, K_part_md, text_view(a, c ? "####" : "###"));
		set(a, v, K_sub_h, text_view(a, c ? "h5" : "h4"));
		set(a, v, K_sub_md, text_view(a, c ? "#####" : "####"));
		s->partner_print[c] = v;
	}
}

static void build_common(struct site *s)
{
	struct arena *a = &s->common_arena;
	struct view *v = view_map(a), *site = view_map(a), *footer = view_map(a);
	struct buf b = BUF_INIT;
	const struct briefing *br = s->b;
	size_t k;

	/* The page's language is the content's; labels may be in another
	 * (--lang), and then the navigation and footer say so. */
	set_str(a, v, K_lang, schema_language_values[s->b->language]);
	set_str(a, v, K_ui_lang, s->i18n.lang);
	set_bool(a, v, K_ui_lang_differs,
		      strcmp(s->i18n.lang, schema_language_values[s->b->language]) != 0);
	set(a, v, K_t, s->i18n.labels);
	set_bool(a, v, K_include_internal, s->opt->include_internal);
	set_bool(a, v, K_live_reload, s->opt->live_reload);
	if (s->opt->live_reload)
		set_str(a, v, K_live_reload_script, SITE_LIVE_RELOAD_SCRIPT);

	set_str(a, site, K_title, br->title);
	set(a, site, K_subtitle, str_or_null(a, br->subtitle));
	set(a, site, K_organisation, str_or_null(a, br->organisation));
	set_str(a, site, K_committee, br->meeting.committee);
	/* The appendix belongs to one body's meeting (meeting.body, or the
	 * committee itself) and is a recommendation to the committee. */
	set_str(a, site, K_meeting_body,
		     br->meeting.body ? br->meeting.body : br->meeting.committee);
	set(a, site, K_prepared_by, str_or_null(a, br->meeting.prepared_by));
	set(a, site, K_item, int_view(a, br->meeting.item));
	i18n_date(&s->i18n, &br->meeting.date, &b);
	set_buf(a, site, K_date, &b);
	buf_addf(&b, "%04d-%02d-%02d", br->meeting.date.year, br->meeting.date.month,
		 br->meeting.date.day);
	set_buf(a, site, K_date_iso, &b);
	buf_addf(&b, "%s %d", label(s, "appendix_to_item"), br->meeting.item);
	set_buf(a, site, K_item_line, &b);
	/* "møde i <body> den 23. oktober 2006" */
	buf_addf(&b, "%s %s %s ", label(s, "meeting_of"),
		 br->meeting.body ? br->meeting.body : br->meeting.committee,
		 label(s, "meeting_on"));
	i18n_date(&s->i18n, &br->meeting.date, &b);
	set_buf(a, site, K_meeting, &b);
	buf_addf(&b, "%s %d · %s %s %s ", label(s, "appendix_to_item"), br->meeting.item,
		 label(s, "meeting_of"),
		 br->meeting.body ? br->meeting.body : br->meeting.committee,
		 label(s, "meeting_on"));
	i18n_date(&s->i18n, &br->meeting.date, &b);
	set_buf(a, site, K_meeting_line, &b);
	buf_addf(&b, "%s %s", label(s, "recommendation_to"), br->meeting.committee);
	set_buf(a, site, K_addressee_line, &b);
	/* print.html's running header and page numbers: margin boxes take only
	 * literal CSS, so the text is a CSS string made here. */
	{
		struct buf h = BUF_INIT;
		buf_addf(&h, "%s %d · %s", label(s, "appendix_to_item"), br->meeting.item,
			 br->title);
		css_string(&b, h.ptr, h.len);
		set_buf(a, site, K_running_header_css, &b);
		buf_release(&h);
	}
	css_page_of(&b, label(s, "page_of"));
	set_buf(a, site, K_page_of_css, &b);
	set(a, site, K_budget_year, int_view(a, br->budget_year));
	set(a, v, K_site, site);
	if (s->opt->pdf_bytes != 0) {
		struct view *pdf = view_map(a);
		set_str(a, pdf, K_href, "bilag.pdf");
		/* serve prints on demand: the size is not known yet */
		if (s->opt->pdf_bytes > 0) {
			i18n_size(&s->i18n, s->opt->pdf_bytes, &b);
			set_buf(a, pdf, K_size, &b);
		} else {
			set(a, pdf, K_size, site_null);
		}
		set(a, v, K_pdf, pdf);
	} else {
		set(a, v, K_pdf, site_null);
	}

	set_str(a, footer, K_a11y_label,
		     br->accessibility_statement.label ? br->accessibility_statement.label
						       : label(s, "accessibility_statement"));
	set(a, footer, K_a11y_url, str_or_null(a, br->accessibility_statement.url));
	if (br->accessibility_statement.url) {
		struct buf md = BUF_INIT;
		const char *u = br->accessibility_statement.url;

		markdown_link_destination(u, strlen(u), &md);
		set(a, footer, K_a11y_url_md, view_string(a, md.ptr));
		buf_release(&md);
	}
	if (s->opt->source_date_epoch >= 0) {
		time_t t = (time_t)s->opt->source_date_epoch;
		struct tm tm;
		struct date d;
		gmtime_r(&t, &tm);
		d.year = tm.tm_year + 1900;
		d.month = tm.tm_mon + 1;
		d.day = tm.tm_mday;
		i18n_date(&s->i18n, &d, &b);
		set_buf(a, footer, K_built, &b);
	}
	set(a, v, K_footer, footer);
	buf_release(&b);
	s->common = v;
	for (k = 0; k <= NAV_NONE; k++)
		s->nav[k] = nav_view(s, a, k);
	for (k = 0; k < 3; k++) {
		static const char *const kind_keys[] = {"kind_max", "kind_estimate", "kind_fixed"};
		s->kind_label[k] = text_view(a, label(s, kind_keys[k]));
	}
	for (k = 0; k < 4; k++) {
		s->status_label[k] = text_view(a, status_label(s, (int)k));
		s->status_text[k] = text_view(a, schema_status_values[k]);
	}
	s->not_stated = text_view(a, s->i18n.not_stated);
	s->years_from = (long long)br->budget_year - SITE_YEARS / 2;
	for (k = 0; k < SITE_YEARS; k++) {
		char tmp[BUF_INT_MAX], *p = buf_int_text(tmp + sizeof(tmp), s->years_from + (long long)k);

		s->years[k] = view_stringn(a, p, (size_t)(tmp + sizeof(tmp) - p));
	}
	partner_protos(s, a);
	s->per_year = text_view(a, label(s, "per_year"));
	s->until = label(s, "until");
	{
		const char *parts[4] = {s->per_year->text, ", ", s->until, " "};
		size_t lens[4] = {s->per_year->len, 2, strlen(s->until), 1};

		s->per_year_until = joined_view(a, parts, lens, 4);
	}
}

/* A page's own map: the common keys, the way back to the root, the menu
 * (made by build_common); the title unless it is NULL (partner_protos). */
static struct view *page_view(struct site *s, struct arena *a, const char *root,
			      const char *current, const char *title)
{
	/* Room for what partner_ctx adds too. */
	struct view *v = view_map_copy(a, s->common, 12);
	size_t k = NAV_NONE;

	while (current && k-- > 0)
		if (!strcmp(current, nav_pages[k][0]))
			break;
	if (k >= NAV_NONE)
		k = NAV_NONE;
	set(a, v, K_root, text_view(a, root));
	if (title)
		set(a, v, K_page_title, text_view(a, title));
	set(a, v, K_nav, s->nav[k]);
	return v;
}

/* ---- costs and partners --------------------------------------------------- */

/* The n strings parts[i] (lens[i] bytes each) one after the other, as a
 * new string view in a: no buffer to grow and copy from. */
static struct view *joined_view(struct arena *a, const char *const *parts, const size_t *lens,
				size_t n)
{
	size_t len = 0, i;
	char *p, *at;

	for (i = 0; i < n; i++)
		len += lens[i];
	p = at = arena_alloc(a, len + 1);   /* zeroed: NUL-terminated */
	for (i = 0; i < n; i++) {
		memcpy(at, parts[i], lens[i]);
		at += lens[i];
	}
	return view_string_borrowed(a, p, len);
}

/* "partners/<slug>.html" and (md not NULL) ".md" as new string views. */
static void partner_hrefs(struct arena *a, const char *slug, struct view **html,
			  struct view **md)
{
	size_t n = strlen(slug);
	/* Both in one block, written once: the slug is copied twice, the
	 * rest are constants. */
	char *h = arena_take(a, 2 * (9 + n) + 6 + 4), *m = h + 9 + n + 6;

	memcpy(h, "partners/", 9);
	memcpy(h + 9, slug, n);
	memcpy(h + 9 + n, ".html", 6);
	*html = view_string_borrowed(a, h, 9 + n + 5);
	if (md) {
		memcpy(m, h, 9 + n);
		memcpy(m + 9 + n, ".md", 4);
		*md = view_string_borrowed(a, m, 9 + n + 3);
	}
}

/* A partner named in a list: its name and links. */
static struct view *named_view(struct arena *a, const char *slug, const char *name)
{
	/* Four keys: room made at once, not grown at the first. */
	struct view *item = view_map_sized(a, 4), *html, *md;

	set(a, item, K_name, text_view(a, name));
	set(a, item, K_slug, text_view(a, slug));
	partner_hrefs(a, slug, &html, &md);
	set(a, item, K_href, html);
	set(a, item, K_href_md, md);
	return item;
}

static struct view *name_view(struct site *s, struct arena *a, const char *slug)
{
	return named_view(a, slug, partner_name(s->c, slug));
}

/* The visible partners of slugs; their names, comma-separated, appended to
 * text when it is not NULL. */
static struct view *names_view(struct site *s, struct arena *a, const struct strings *slugs,
			       struct buf *text)
{
	struct view *list = view_list(a);
	size_t i;

	for (i = 0; i < slugs->n; i++) {
		if (!partner_visible(s, slugs->items[i]))
			continue;
		view_push(a, list, name_view(s, a, slugs->items[i]));
		if (text) {
			if (text->len)
				buf_add(text, ", ", 2);
			buf_adds(text, partner_name(s->c, slugs->items[i]));
		}
	}
	return list;
}

/* Whether cost_view shows k's note after prev: not when prev said it. */
static bool note_shown(const struct cost *k, const struct cost *prev)
{
	return k->note && !(prev && prev->note && !strcmp(prev->note, k->note));
}

/* A cost line.  prev is the line before it in the same table (or NULL): a
 * note it repeats word for word is not shown again (one source sentence
 * may state two costs).  tmp is scratch. */
static struct view *cost_view(struct site *s, struct arena *a, const struct cost *k,
			      const struct partner *owner, bool shared_in, const struct cost *prev,
			      struct buf *tmp)
{
	/* Room for every key below: 14, and 3 for a shared cost. */
	struct view *v = view_map_sized(a, k->shared_with.n || shared_in ? 17 : 14);
	struct view *alts = view_list(a);
	size_t i;

	set(a, v, K_label, text_view(a, k->label));
	set(a, v, K_amount, amount_view(s, a, &k->amount));
	set_bool(a, v, K_stated, k->amount.stated);
	set_bool(a, v, K_not_stated, !k->amount.stated);
	set(a, v, K_kind_label, s->kind_label[k->kind]);
	set_bool(a, v, K_yearly, k->recurrence == RECUR_YEARLY);
	set(a, v, K_year, year_view(s, a, k->year));
	set(a, v, K_until, year_view(s, a, k->until));
	set(a, v, K_note, note_shown(k, prev) ? text_view(a, k->note) : site_null);
	set_bool(a, v, K_shared_in, shared_in);
	set_bool(a, v, K_internal, k->internal);
	set_bool(a, v, K_in_year, budget_in_year(k, s->b->budget_year));
	buf_reset(tmp);
	if (k->recurrence == RECUR_YEARLY && !k->until) {
		set(a, v, K_when, s->per_year);
	} else if (k->recurrence != RECUR_YEARLY && k->year) {
		/* The year's text, as year is (not null: the year is not 0). */
		set(a, v, K_when, year_view(s, a, k->year));
	} else {
		if (k->recurrence == RECUR_YEARLY) {
			/* until is not 0 here: year_view gives its text. */
			const struct view *y = year_view(s, a, k->until);
			const char *parts[2] = {s->per_year_until->text, y->text};
			size_t lens[2] = {s->per_year_until->len, y->len};

			set(a, v, K_when, joined_view(a, parts, lens, 2));
		} else {
			buf_add_int(tmp, k->year);
			set(a, v, K_when, tmp_view(a, tmp));
		}
	}
	if (k->shared_with.n && !shared_in) {
		struct buf text = BUF_INIT;

		set(a, v, K_shared_with, names_view(s, a, &k->shared_with, &text));
		set(a, v, K_shared_with_text, tmp_view(a, &text));
		set_bool(a, v, K_shared, true);
		buf_release(&text);
	} else if (shared_in) {
		struct view *href;

		set(a, v, K_shared_from, text_view(a, owner->name));
		partner_hrefs(a, owner->slug, &href, NULL);
		set(a, v, K_shared_from_href, href);
		set_bool(a, v, K_shared, true);
	}
	for (i = 0; i < k->alternatives.n; i++) {
		struct view *alt = view_map_sized(a, 2);
		set(a, alt, K_label, text_view(a, k->alternatives.items[i].label));
		set(a, alt, K_amount, amount_view(s, a, &k->alternatives.items[i].amount));
		view_push(a, alts, alt);
	}
	set(a, v, K_alternatives, alts);
	return v;
}

/*
 * The notes of cost lines as one paragraph, in order: the source's
 * sentences about the costs, each once.  A note that ends in a letter or a
 * digit, without a full stop, was half of a sentence cut at a dash, and
 * the dash joins it to the next again.  The lines of the n that count: not
 * internal ones unless include_internal, and with own_only not those
 * shared in.  A new string view in a, or null when it is empty; measured
 * first, then written, so no buffer grows.
 */
static struct view *cost_notes_view(struct arena *a, const struct budget_line *lines, size_t n,
				    bool own_only, bool include_internal)
{
	/* The notes that count, each with its length without trailing space
	 * and what comes before it (0 nothing, 1 a space, 2 a dash): measured
	 * once, then written. */
	struct note {
		const char *text;
		size_t len;
		int sep;
	} *notes;
	static const char *const seps[3] = {"", " ", " – "};
	static const size_t seplens[3] = {0, 1, sizeof(" – ") - 1};
	const char *last = NULL;
	unsigned char end = 0;
	size_t len = 0, nn = 0, i;
	char *out, *at;

	if (!n)
		return site_null;
	notes = arena_take(a, n * sizeof(*notes));
	for (i = 0; i < n; i++) {
		const struct cost *k = lines[i].cost;
		struct note *nt;
		size_t nl;

		if ((k->internal && !include_internal) || (own_only && lines[i].shared_in) ||
		    !k->note || (last && !strcmp(last, k->note)))
			continue;
		nt = &notes[nn++];
		nt->sep = 0;
		if (len) {
			nt->sep = isalnum(end) || end >= 0x80 ? 2 : 1;
			len += seplens[nt->sep];
			end = ' ';
		}
		nl = strlen(k->note);
		while (nl && (k->note[nl - 1] == ' ' || k->note[nl - 1] == '\n'))
			nl--;
		nt->text = k->note;
		nt->len = nl;
		len += nl;
		if (nl)
			end = (unsigned char)k->note[nl - 1];
		last = k->note;
	}
	if (!len)
		return site_null;
	out = at = arena_alloc(a, len + 1);   /* zeroed: NUL-terminated */
	for (i = 0; i < nn; i++) {
		size_t ns = seplens[notes[i].sep];

		memcpy(at, seps[notes[i].sep], ns);
		memcpy(at + ns, notes[i].text, notes[i].len);
		at += ns + notes[i].len;
	}
	return view_string_borrowed(a, out, len);
}

/* The focus items' text, comma-separated, as a new string view: the
 * items are focus's string views (their lengths known). */
static struct view *focus_text_view(struct arena *a, const struct view *focus)
{
	size_t len = 0, i;
	char *p, *at;

	for (i = 0; i < focus->n; i++)
		len += (i ? 2 : 0) + focus->items[i]->len;
	p = at = arena_alloc(a, len + 1);   /* zeroed: NUL-terminated */
	for (i = 0; i < focus->n; i++) {
		size_t n = focus->items[i]->len;

		if (i) {
			memcpy(at, ", ", 2);
			at += 2;
		}
		memcpy(at, focus->items[i]->text, n);
		at += n;
	}
	return view_string_borrowed(a, p, len);
}

/* The facts of a partner that the overview, the budget and its page share;
 * bp is its budget_partner (NULL: none).  tmp is scratch. */
static struct view *partner_facts(struct site *s, struct arena *a, const struct partner *p,
				  const struct budget_partner *bp, bool with_costs, struct buf *tmp)
{
	/* Room for partner_full's keys too. */
	struct view *v = view_map_sized(a, 32), *focus = view_list(a), *html, *md;
	size_t i;

	set(a, v, K_slug, text_view(a, p->slug));
	set(a, v, K_name, text_view(a, p->name));
	set(a, v, K_local_name, text_or_null(a, p->local_name));
	set(a, v, K_country, text_view(a, p->country));
	set(a, v, K_country_name, text_view(a, i18n_country(&s->i18n, p->country)));
	set(a, v, K_since, year_view(s, a, p->since));
	set(a, v, K_origin, text_or_null(a, p->origin));
	set(a, v, K_status, s->status_text[p->status]);
	set(a, v, K_status_label, s->status_label[p->status]);
	set_bool(a, v, K_internal, p->internal);
	for (i = 0; i < p->focus.n; i++)
		view_push(a, focus, text_view(a, p->focus.items[i]));
	set(a, v, K_focus, focus);
	set(a, v, K_focus_text, focus_text_view(a, focus));
	partner_hrefs(a, p->slug, &html, &md);
	set(a, v, K_href, html);
	set(a, v, K_href_md, md);
	if (bp) {
		set(a, v, K_year_total, money_view(s, a, &bp->year_total, tmp));
		set_bool(a, v, K_has_year_total, bp->year_total.any);
		/* A partnership the recommendation ends: its costs are shown, but
		 * apart from the totals (budget.h). */
		set_bool(a, v, K_ends, bp->ended && bp->year_total.any);
		set_bool(a, v, K_has_costs, bp->n > 0);
	}
	/* The overview needs only the total: building every cost line of
	 * thousands of partners would cost memory for nothing. */
	if (bp && with_costs) {
		struct view *costs = view_list(a), *own, *shared_in = view_list(a);
		struct view *notes;
		const struct cost *prev = NULL, *prev_own = NULL;
		size_t nin = 0;

		/* Without lines shared in (most partners), its own lines are all
		 * of them, each read after the same line as in all costs: the
		 * same list. */
		for (i = 0; i < bp->n; i++)
			nin += bp->lines[i].shared_in;
		own = nin ? view_list(a) : costs;
		for (i = 0; i < bp->n; i++) {
			const struct budget_line *l = &bp->lines[i];
			struct view *line = cost_view(s, a, l->cost, l->owner, l->shared_in, prev, tmp);

			view_push(a, costs, line);
			if (!nin) {
				prev = l->cost;
				continue;
			}
			/* The whole appendix shows a shared cost once, in its
			 * owner's table; the others name it.  Where the line
			 * there reads as in all costs (the same note shown), the
			 * view is shared: views are never changed once made. */
			if (l->shared_in) {
				view_push(a, shared_in,
					  note_shown(l->cost, prev) == note_shown(l->cost, NULL)
						  ? line
						  : cost_view(s, a, l->cost, l->owner, true, NULL, tmp));
			} else {
				view_push(a, own,
					  note_shown(l->cost, prev) == note_shown(l->cost, prev_own)
						  ? line
						  : cost_view(s, a, l->cost, l->owner, false, prev_own,
							      tmp));
				prev_own = l->cost;
			}
			prev = l->cost;
		}
		set(a, v, K_costs, costs);
		set(a, v, K_own_costs, own);
		set_bool(a, v, K_has_own_costs, own->n > 0);
		set(a, v, K_shared_in_costs, shared_in);
		/* A partner's page tells every cost it shows; the whole appendix
		 * tells a shared cost in its owner's section only. */
		notes = set(a, v, K_cost_text,
			    cost_notes_view(a, bp->lines, bp->n, false, s->opt->include_internal));
		/* Without lines shared in, the same text too. */
		set(a, v, K_own_cost_text,
		    nin ? cost_notes_view(a, bp->lines, bp->n, true, s->opt->include_internal)
				 : notes);
	}
	return v;
}

/* A whole partner for its own page: its facts and its page (content.h). */
static struct view *partner_full(struct site *s, struct arena *a, size_t i_partner,
				 const struct content_page *pg, struct buf *tmp)
{
	struct view *v = partner_facts(s, a, s->c->partners[i_partner].digest,
				       budget_at(&s->budget, i_partner), true, tmp);
	struct view *inst = view_list(a);
	size_t i;

	set_rendered(a, v, K_summary_html, pg->summary_html, pg->summary_html_len, K_summary_md,
		     pg->summary_md, pg->summary_md_len);
	set_rendered(a, v, K_body_html, pg->body_html, pg->body_html_len, K_body_md, pg->body_md,
		     pg->body_md_len);
	for (i = 0; i < pg->ninstitutions; i++) {
		struct view *iv = view_map_sized(a, 3);
		/* The page lives in a, as the view does. */
		set(a, iv, K_name, text_view(a, pg->institutions[i].name));
		set(a, iv, K_city, text_or_null(a, pg->institutions[i].city));
		set(a, iv, K_note, text_or_null(a, pg->institutions[i].note));
		view_push(a, inst, iv);
	}
	set(a, v, K_institutions, inst);
	set_bool(a, v, K_has_institutions, pg->ninstitutions > 0);
	return v;
}

/* Does text hold needle word for word (runs of white space compared as one)? */
static bool says(const char *text, const char *needle)
{
	const char *t, *a, *b;

	if (!text || !needle || !*needle)
		return false;
	for (t = text; *t; t++) {
		for (a = t, b = needle; *a && *b;) {
			bool sa = *a == ' ' || *a == '\n' || *a == '\t';
			bool sb = *b == ' ' || *b == '\n' || *b == '\t';
			if (sa && sb) {
				while (*a == ' ' || *a == '\n' || *a == '\t')
					a++;
				while (*b == ' ' || *b == '\n' || *b == '\t')
					b++;
			} else if (*a == *b) {
				a++;
				b++;
			} else {
				break;
			}
		}
		if (!*b)
			return true;
	}
	return false;
}

/* ---- long lists, made one item at a time ------------------------------- */

static uint64_t partner_stamp(const struct site *s, size_t i);
static uint64_t slug_stamp(const struct site *s, const char *slug, const struct partner *p);

/* The ids of the lists made on demand (view_source.id). */
static const char overview_list, budget_list;

/* What the partners' lists below read as they make items: the site, and
 * scratch of the page that renders them (it outlives the render, and one
 * page is rendered by one thread). */
struct lazy {
	struct site *s;
	struct buf *tmp;
};

static struct lazy *lazy_new(struct arena *a, struct site *s, struct buf *tmp)
{
	struct lazy *lz = arena_alloc(a, sizeof(*lz));

	lz->s = s;
	lz->tmp = tmp;
	return lz;
}

static struct view *overview_row(void *ud, size_t i, struct arena *scratch)
{
	struct lazy *lz = ud;
	struct site *s = lz->s;

	return partner_facts(s, scratch, s->c->partners[s->rows[i]].digest,
			     budget_at(&s->budget, s->rows[i]), false, lz->tmp);
}

static uint64_t overview_stamp(void *ud, size_t i)
{
	struct lazy *lz = ud;

	return partner_stamp(lz->s, lz->s->rows[i]);
}

static struct view *budget_group(void *ud, size_t i, struct arena *scratch)
{
	struct lazy *lz = ud;
	struct site *s = lz->s;

	return partner_facts(s, scratch, s->budget.partners[i].partner, &s->budget.partners[i],
			     true, lz->tmp);
}

static uint64_t budget_stamp(void *ud, size_t i)
{
	struct lazy *lz = ud;
	struct site *s = lz->s;
	const struct partner *p = s->budget.partners[i].partner;

	return slug_stamp(s, p->slug, p);
}

/* The visible partners a decision names, made on demand: a decision may
 * name every partner there is. */
struct decision_names {
	struct site *s;
	const size_t *visible;    /* positions in c->partners (s->decided) */
};

static struct view *decision_name(void *ud, size_t i, struct arena *scratch)
{
	struct decision_names *dn = ud;
	const struct content_partner *cp = &dn->s->c->partners[dn->visible[i]];

	/* Visible: it has a digest (partner_name). */
	return named_view(scratch, cp->slug, cp->digest->name);
}

static uint64_t decision_stamp(void *ud, size_t i)
{
	struct decision_names *dn = ud;

	return partner_stamp(dn->s, dn->visible[i]);
}

/* The visible partners decision d names (slugs, the list's id). */
static struct view *decision_names_view(struct site *s, struct arena *a, size_t d,
					const struct strings *slugs)
{
	struct decision_names *dn = arena_alloc(a, sizeof(*dn));
	struct view_source src = {decision_name, dn, slugs, decision_stamp};

	dn->s = s;
	dn->visible = s->decided + s->decided_at[d];
	return view_lazy_list(a, s->decided_at[d + 1] - s->decided_at[d], &src);
}

/* The visible partners of every decision, into s->decided: the overview,
 * the appendix and briefing.md each list them. */
static void collect_decided(struct site *s)
{
	const struct decision *ds = s->b->recommendation.decisions.items;
	size_t nd = s->b->recommendation.decisions.n, d, i, j, n = 0;

	for (d = 0; d < nd; d++)
		n += ds[d].partners.n;
	free(s->decided);
	free(s->decided_at);
	s->decided = xmalloc((n ? n : 1) * sizeof(*s->decided));
	s->decided_at = xmalloc((nd + 1) * sizeof(*s->decided_at));
	n = 0;
	for (d = 0; d < nd; d++) {
		const struct strings *slugs = &ds[d].partners;

		s->decided_at[d] = n;
		for (i = 0; i < slugs->n; i++)
			if (strmap_get(&s->c->index, slugs->items[i], &j) &&
			    partner_visible_at(s, j))
				s->decided[n++] = j;
	}
	s->decided_at[nd] = n;
}

/* The partners of the overview table: visible, not candidates. */
static void collect_rows(struct site *s)
{
	size_t i;

	s->rows = xmalloc((s->c->npartners ? s->c->npartners : 1) * sizeof(*s->rows));
	for (i = 0; i < s->c->npartners; i++)
		if (partner_visible(s, s->c->partners[i].slug) && !s->c->partners[i].candidate)
			s->rows[s->nrows++] = i;
}

/* ---- the briefing's text ------------------------------------------------- */

static struct view *prose_list(struct site *s, struct arena *a, const struct prose_list *l)
{
	struct view *list = view_list(a);
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct view *item;
		if (l->items[i].internal && !s->opt->include_internal)
			continue;
		item = view_map(a);
		set_prose(s, a, item, K_text_html, K_text_md, l->items[i].text, PROSE_HEADING);
		set_bool(a, item, K_internal, l->items[i].internal);
		view_push(a, list, item);
	}
	return list;
}

/* The budget's totals; with lines, also every partner's cost lines and the
 * chart (the budget page and the end of the whole appendix).  tmp is
 * scratch, kept by the caller until the view is rendered. */
static struct view *budget_view(struct site *s, struct arena *a, bool lines, struct buf *tmp)
{
	const struct budget *bu = &s->budget;
	struct view *v = view_map(a), *groups = view_list(a), *pot = view_list(a);
	size_t i;

	set(a, v, K_year, int_view(a, bu->year));
	if (lines) {
		struct view_source src = {budget_group, lazy_new(a, s, tmp), &budget_list,
					  budget_stamp};
		groups = view_lazy_list(a, bu->npartners, &src);
	}
	set(a, v, K_partners, groups);
	for (i = 0; i < bu->npot; i++)
		view_push(a, pot, cost_view(s, a, bu->pot[i].cost, NULL, false,
					    i ? bu->pot[i - 1].cost : NULL, tmp));
	set(a, v, K_pot, pot);
	set_bool(a, v, K_has_pot, bu->npot > 0);
	set(a, v, K_partners_once, money_view(s, a, &bu->partners_once, tmp));
	set(a, v, K_partners_yearly, money_view(s, a, &bu->partners_yearly, tmp));
	set(a, v, K_partners_total, money_view(s, a, &bu->partners_total, tmp));
	set(a, v, K_pot_total, money_view(s, a, &bu->pot_total, tmp));
	set(a, v, K_total, money_view(s, a, &bu->total, tmp));
	set_bool(a, v, K_lower_bound, bu->total.lower_bound);
	set_bool(a, v, K_has_alternatives, bu->has_alternatives);
	set_str(a, v, K_alt_label, bu->alt_label ? bu->alt_label : label(s, "with_alternatives"));
	set(a, v, K_alt_partners_total, money_view(s, a, &bu->alt_partners_total, tmp));
	set(a, v, K_alt_total, money_view(s, a, &bu->alt_total, tmp));
	set_bool(a, v, K_has_ended, bu->ended_total.any);
	set(a, v, K_ended_total, money_view(s, a, &bu->ended_total, tmp));
	{
		struct buf names = BUF_INIT;
		for (i = 0; i < bu->npartners; i++)
			if (bu->partners[i].ended && bu->partners[i].year_total.any) {
				if (names.len)
					buf_add(&names, ", ", 2);
				buf_adds(&names, bu->partners[i].partner->name);
			}
		set_buf(a, v, K_ended_names, &names);
		buf_release(&names);
	}
	if (lines)
		set(a, v, K_chart_svg, view_string_borrowed(a, s->chart.ptr, s->chart.len));
	return v;
}

/* The briefing's text; with rows, the overview table of every partner;
 * with budget_lines, the whole budget (else only its totals).  tmp is
 * scratch, kept by the caller until the view is rendered. */
static struct view *briefing_view(struct site *s, struct arena *a, bool rows_too,
				  bool budget_lines, struct buf *tmp)
{
	const struct briefing *br = s->b;
	struct view *v = view_map(a), *rows = view_list(a), *np = view_map(a), *cands = view_list(a);
	struct view *rec = view_map(a), *decisions = view_list(a), *names;
	size_t i;

	set_prose(s, a, v, K_introduction_html, K_introduction_md, br->introduction, PROSE_HEADING);
	set(a, v, K_background, prose_list(s, a, &br->background));
	set(a, v, K_considerations, prose_list(s, a, &br->considerations));
	set(a, v, K_purposes, prose_list(s, a, &br->purposes));
	set(a, v, K_priorities, prose_list(s, a, &br->priorities));
	set_prose(s, a, v, K_partners_intro_html, K_partners_intro_md, br->partners_intro, PROSE_HEADING);
	for (i = 0; i < s->c->npartners; i++) {
		const struct content_partner *cp = &s->c->partners[i];
		if (cp->candidate && partner_visible(s, cp->slug))
			view_push(a, cands,
				  partner_facts(s, a, cp->digest, budget_at(&s->budget, i), false, tmp));
	}
	if (rows_too) {
		struct view_source src = {overview_row, lazy_new(a, s, tmp), &overview_list,
					  overview_stamp};
		rows = view_lazy_list(a, s->nrows, &src);
	}
	set(a, v, K_partners, rows);
	set_prose(s, a, np, K_text_html, K_text_md, br->new_partnerships.text, PROSE_HEADING);
	/* The money set aside is a cost table of the section, like a partner's. */
	{
		struct view *pot = view_list(a), *text;

		for (i = 0; i < s->budget.npot; i++)
			view_push(a, pot, cost_view(s, a, s->budget.pot[i].cost, NULL, false,
						    i ? s->budget.pot[i - 1].cost : NULL, tmp));
		/* Every line of the pot: it holds internal ones only when they
		 * are shown. */
		text = cost_notes_view(a, s->budget.pot, s->budget.npot, false, true);
		set(a, np, K_cost_text, text);
		set(a, np, K_own_cost_text, text);
		set(a, np, K_costs, pot);
		set(a, np, K_own_costs, pot);
		set_bool(a, np, K_has_costs, pot->n > 0);
		set_str(a, np, K_name, label(s, "new_partnerships"));
		set(a, np, K_year_total, money_view(s, a, &s->budget.pot_total, tmp));
	}
	set(a, np, K_candidates, cands);
	set_bool(a, np, K_has_candidates, cands->n > 0);
	set_bool(a, v, K_has_new_partnerships, br->new_partnerships.text != NULL);
	set(a, v, K_new_partnerships, np);
	set_str(a, rec, K_by, br->recommendation.by);
	for (i = 0; i < br->recommendation.decisions.n; i++) {
		const struct decision *d = &br->recommendation.decisions.items[i];
		struct view *dv = view_map(a);
		set_prose(s, a, dv, K_text_html, K_text_md, d->text, PROSE_HEADING);
		set_str(a, dv, K_status, schema_status_values[d->status]);
		set_str(a, dv, K_status_label, status_label(s, d->status));
		names = set(a, dv, K_partners, decision_names_view(s, a, i, &d->partners));
		set_bool(a, dv, K_has_partners, names->n > 0);
		view_push(a, decisions, dv);
	}
	set(a, rec, K_decisions, decisions);
	set(a, v, K_recommendation, rec);
	set(a, v, K_budget, budget_view(s, a, budget_lines, tmp));
	return v;
}

/* ---- pages ---------------------------------------------------------------- */

/* ---- partners ------------------------------------------------------------ */

/*
 * A partner makes four outputs, in this order: its page in HTML and in
 * Markdown, and its section of the whole appendix in each.
 */
enum { OUT_PAGE_HTML, OUT_PAGE_MD, OUT_PRINT, OUT_BRIEF, NOUT };

static const struct {
	const char *tmpl;
	bool part;          /* appended to the whole appendix */
} partner_outputs[NOUT] = {
	{"html/partner.mustache", false},
	{"md/partner.mustache", false},
	{"html/print-partner.mustache", true},
	{"md/briefing-partner.mustache", true},
};

/* The contexts of a partner's page and of its section. */
struct partner_ctx {
	struct view *page, *print;
};

/* Build partner i's contexts in a.  -1 with errno when its page cannot be
 * read back (content_page).  Safe in any thread: it reads only what the
 * build shares and allocates only in a. */
static int partner_ctx(struct site *s, struct arena *a, size_t i, struct partner_ctx *pc)
{
	const struct content_partner *cp = &s->c->partners[i];
	const struct partner *p = cp->digest;
	struct content_page pg;
	struct view *ctx, *pv;
	struct buf tmp = BUF_INIT;

	if (content_page(s->c, i, a, &pg) != 0)
		return -1;
	/* One view of the partner serves its page and its section of the
	 * whole appendix: links in it are relative to the site's root, and
	 * each template puts {{root}} before them. */
	pv = partner_full(s, a, i, &pg, &tmp);
	buf_release(&tmp);
	/* A candidate's summary is often the sentence of the new-partnerships
	 * text that names it: the whole appendix does not print it twice. */
	set_bool(a, pv, K_summary_said,
		      cp->candidate && !pg.body_html && says(s->b->new_partnerships.text, pg.summary));
	/* The keys of the page and the section that every partner has
	 * alike come made (partner_protos): its title and itself added. */
	ctx = view_map_copy(a, s->partner_page, 2);
	set(a, ctx, K_page_title, text_view(a, p->name));
	set(a, ctx, K_partner, pv);
	pc->page = ctx;
	ctx = view_map_copy(a, s->partner_print[cp->candidate], 2);
	set(a, ctx, K_page_title, text_view(a, p->name));
	set(a, ctx, K_partner, pv);
	pc->print = ctx;
	return 0;
}

/* Output k of partner cp: its file, or the whole appendix's (malloc'd). */
static char *partner_output_path(const struct content_partner *cp, int k)
{
	const char *ext = k == OUT_PAGE_HTML ? ".html" : ".md";
	size_t ls, le;
	char *path;

	if (k == OUT_PRINT)
		return xstrdup("print.html");
	if (k != OUT_PAGE_HTML && k != OUT_PAGE_MD)
		return xstrdup("briefing.md");
	/* Put together by hand: a printf per partner's page showed in the
	 * profile. */
	ls = strlen(cp->slug);
	le = strlen(ext);
	path = xmalloc(9 + ls + le + 1);
	memcpy(path, "partners/", 9);
	memcpy(path + 9, cp->slug, ls);
	memcpy(path + 9 + ls, ext, le + 1);
	return path;
}

/* A partner's outputs rendered ahead, by a thread of the pool (below). */
struct rendered_partner {
	struct buf out[NOUT];
	bool ok[NOUT];      /* out[k] is the whole output; else it is rendered again */
	/* The SHA-256 of a whole file (not a part of the appendix's), where
	 * the output takes it (output.h, put_digest). */
	bool hashed[NOUT];
	unsigned char digest[NOUT][OUTPUT_DIGEST_SIZE];
	/* Written into the output already (output.h, write_ahead): the
	 * build's thread only registers it (hashed too). */
	bool written[NOUT];
};

/* Would a render of len bytes into path pass the room render_file gives
 * it now?  Then render_file must run, to stop where it stops. */
static bool fits(const struct site *s, const char *path, size_t len)
{
	size_t room_file = s->opt->max_file_bytes - file_size_so_far(s, path),
	       room_build = s->opt->max_build_bytes - s->bytes;
	size_t room = room_file < room_build ? room_file : room_build;

	return len <= (room ? room : 1);
}

/*
 * Hand partner i's four outputs to the output, in order.  An output
 * rendered ahead (pre, may be NULL) goes out as it is, through the same
 * byte counts as a render here would; any other is rendered here, with the
 * bounds, errors and diagnostics of a build on one thread, so a build's
 * result never depends on how many threads made it.
 */
static void cache_keep_part(struct site *s, size_t i, int k, struct buf *got);

static int build_partner(struct site *s, size_t i, const struct rendered_partner *pre)
{
	const struct content_partner *cp = &s->c->partners[i];
	struct partner_ctx pc;
	bool have_ctx = false;
	struct buf got = BUF_INIT;
	struct arena a;
	int k, rc = 0;

	arena_init(&a);
	for (k = 0; k < NOUT && !rc; k++) {
		const char *tmpl = partner_outputs[k].tmpl;
		bool part_of = partner_outputs[k].part;
		char *path = partner_output_path(cp, k);

		s->capture = s->cache ? &got : NULL;
		if (pre && pre->ok[k] && pre->written[k] && !s->cache &&
		    fits(s, path, pre->out[k].len)) {
			/* Written ahead: the same counts as emit_digest.  One that
			 * does not fit is rendered again below, replacing it. */
			rc = emit_written(s, tmpl, path, pre->out[k].len, pre->digest[k]);
		} else if (pre && pre->ok[k] && fits(s, path, pre->out[k].len)) {
			rc = part_of ? emit_part(s, tmpl, path, &pre->out[k], false)
				     : emit_digest(s, tmpl, path, &pre->out[k],
						   pre->hashed[k] ? pre->digest[k] : NULL);
		} else if (!have_ctx && partner_ctx(s, &a, i, &pc) != 0) {
			diags_add(s->diags, SEV_ERROR, cp->path, 0, 0, NULL,
				  "cannot read back the page of '%s' from the temporary file: %s",
				  cp->slug, strerror(errno));
			rc = -1;
		} else {
			have_ctx = true;
			rc = part_of ? part(s, tmpl, pc.print, path, false)
				     : page(s, tmpl, pc.page, path);
		}
		s->capture = NULL;
		if (!rc && s->cache)
			cache_keep_part(s, i, k, &got);
		buf_reset(&got);
		free(path);
	}
	buf_release(&got);
	arena_release(&a);
	return rc;
}

/* ---- partners rendered by a pool of threads ------------------------------- */

/*
 * With more than one job (site_options.jobs), a pool (util/pool.h) renders
 * partners ahead into memory while the build's own thread hands their
 * outputs to the output in the one-thread order (build_partner).  Rendered
 * ahead means: with the thread's own Mustache environments and arena, the
 * compiled templates and every other part of the site only read, no output
 * and no diagnostic.  Whatever does not go to plan there (an error, a
 * bound, a partial the build's thread has not loaded yet, a page that
 * cannot be read back) is left for build_partner to render again, so that
 * errors and bounds are met exactly as with one thread.
 */
/* A partner output larger than this is rendered by the build's thread,
 * which can stream it. */
#define AHEAD_MAX_OUTPUT ((size_t)1 << 20)

struct partial {
	char *name;           /* "html/x" */
	const char *text;     /* borrowed from s->tpl; NULL: there is none */
	size_t len;
};

struct worker {
	struct loader_ctx html_ctx, md_ctx;
	struct mustache_env *html_env, *md_env;
	bool missed;          /* a partial was not known yet */
};

struct ahead {
	struct site *s;
	const size_t *jobs;   /* positions in c->partners, in output order */
	const struct mustache *tmpl[NOUT];   /* set before other threads start */
	bool ready;
	struct worker *workers;   /* one per thread */
	unsigned nworkers;
};

/* The partials the build's thread has loaded, for the other threads. */
static void partial_remember(struct site *s, const char *name, const char *text, size_t len)
{
	size_t i;

	pthread_mutex_lock(&s->partials_lock);
	for (i = 0; i < s->npartials; i++)
		if (!strcmp(s->partials[i].name, name))
			break;
	if (i == s->npartials) {
		s->partials = xgrow(s->partials, sizeof(*s->partials), s->npartials + 1,
				    &s->cappartials);
		s->partials[i].name = xstrdup(name);
		s->partials[i].text = text;
		s->partials[i].len = len;
		s->npartials++;
	}
	pthread_mutex_unlock(&s->partials_lock);
}

static const char *load_partial_ahead(void *ud, const char *name, size_t *len)
{
	struct loader_ctx *lc = ud;
	struct site *s = lc->s;
	char *key = xasprintf("%s/%s", lc->kind, name);
	const char *text = NULL;
	size_t i;

	pthread_mutex_lock(&s->partials_lock);
	for (i = 0; i < s->npartials; i++)
		if (!strcmp(s->partials[i].name, key))
			break;
	if (i < s->npartials) {
		text = s->partials[i].text;
		*len = s->partials[i].len;
	} else {
		lc->worker->missed = true;
	}
	pthread_mutex_unlock(&s->partials_lock);
	free(key);
	return text;
}

static void worker_envs(struct worker *w)
{
	struct mustache_loader hl = {load_partial_ahead, &w->html_ctx};
	struct mustache_loader ml = {load_partial_ahead, &w->md_ctx};

	mustache_env_free(w->html_env);
	mustache_env_free(w->md_env);
	w->html_env = mustache_env_new(&hl);
	w->md_env = mustache_env_new(&ml);
	mustache_env_set_escape(w->md_env, markdown_escape);
}

/* The environments of the thread that renders budget.html beside an
 * update: they keep fragments (site_update). */
static void side_envs(struct worker *w)
{
	worker_envs(w);
	mustache_env_keep_fragments(w->html_env, true);
	mustache_env_keep_fragments(w->md_env, true);
}

static void ahead_slot_init(void *slot)
{
	struct rendered_partner *r = slot;
	int k;

	for (k = 0; k < NOUT; k++)
		buf_init(&r->out[k]);
}

static void ahead_slot_release(void *slot)
{
	struct rendered_partner *r = slot;
	int k;

	for (k = 0; k < NOUT; k++)
		buf_release(&r->out[k]);
}

/* The SHA-256 of output k, here rather than on the build's own thread,
 * which writes every file in order (output.h, put_digest). */
static void hash_output(struct rendered_partner *r, int k)
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, r->out[k].len, (const uint8_t *)r->out[k].ptr);
	sha256_digest(&ctx, OUTPUT_DIGEST_SIZE, r->digest[k]);
	r->hashed[k] = true;
}

/* pool work: render a partner's outputs into the slot (see above). */
static void ahead_work(void *ud, unsigned thread, size_t job, void *slot)
{
	struct ahead *ah = ud;
	struct site *s = ah->s;
	struct worker *w = &ah->workers[thread];
	struct rendered_partner *r = slot;
	size_t cap = AHEAD_MAX_OUTPUT;
	struct partner_ctx pc;
	struct arena a;
	int k;

	if (s->opt->max_file_bytes < cap)
		cap = s->opt->max_file_bytes;
	if (s->opt->max_build_bytes < cap)
		cap = s->opt->max_build_bytes;
	for (k = 0; k < NOUT; k++) {
		buf_reset(&r->out[k]);
		r->ok[k] = false;
		r->hashed[k] = false;
		r->written[k] = false;
	}
	arena_init(&a);
	if (partner_ctx(s, &a, ah->jobs[job], &pc) == 0) {
		for (k = 0; k < NOUT; k++) {
			struct mustache_env *env = k == OUT_PAGE_MD || k == OUT_BRIEF ? w->md_env
										  : w->html_env;
			char *err = NULL;
			int rc;

			w->missed = false;
			mustache_env_set_limit(env, cap ? cap : 1);
			rc = mustache_render(env, ah->tmpl[k], partner_outputs[k].part ? pc.print : pc.page,
					     &r->out[k], &err);
			mustache_env_set_limit(env, 0);
			free(err);
			/* The environment remembers the partial as missing: start
			 * afresh, and leave this output to the build's thread. */
			if (w->missed)
				worker_envs(w);
			r->ok[k] = rc == 0 && !w->missed;
			if (r->ok[k] && !partner_outputs[k].part && s->out->put_digest)
				hash_output(r, k);
			/* A partner's own page, whole and hashed, goes to the
			 * output from here when it takes it, so the build's thread
			 * only registers it (build_partner).  Not while a cache is
			 * kept for serve, which captures the bytes in order.  No
			 * other page has these paths (slugs are unique), so no
			 * other write races this one.  When the build fails, the
			 * caller aborts the staging and its folder goes with any
			 * file written here. */
			if (r->hashed[k] && s->out->write_ahead && s->out->put_written && !s->cache) {
				char *path = partner_output_path(&s->c->partners[ah->jobs[job]], k);

				r->written[k] = s->out->write_ahead(s->out->ctx, path, r->out[k].ptr,
								    r->out[k].len) == 0;
				free(path);
			}
		}
	}
	arena_release(&a);
}

/* pool take: hand a partner rendered ahead to the output. */
static int ahead_take(void *ud, size_t job, void *slot)
{
	struct ahead *ah = ud;

	return build_partner(ah->s, ah->jobs[job], slot);
}

/* pool direct: render a partner here, straight to the output.  The first
 * one compiles the partner templates the other threads then share. */
static int ahead_direct(void *ud, size_t job)
{
	struct ahead *ah = ud;
	int k, rc = build_partner(ah->s, ah->jobs[job], NULL);

	if (!rc && !ah->ready) {
		for (k = 0; k < NOUT; k++)
			ah->tmpl[k] = template_get(ah->s, partner_outputs[k].tmpl);
		ah->ready = true;
	}
	return rc;
}

static const struct pool_ops ahead_ops = {
	ahead_slot_init, ahead_slot_release, ahead_work, ahead_take, ahead_direct,
};

/* How many threads render partners: -j, else one per CPU. */
static unsigned jobs_wanted(const struct site_options *opt)
{
	return opt->jobs > 0 ? (unsigned)opt->jobs : pool_cpus(SITE_MAX_AUTO_JOBS);
}

static struct pool *ahead_new(struct site *s, struct ahead *ah, const size_t *jobs, size_t njobs)
{
	unsigned k;

	memset(ah, 0, sizeof(*ah));
	ah->s = s;
	ah->jobs = jobs;
	ah->nworkers = jobs_wanted(s->opt);
	ah->workers = xcalloc(ah->nworkers, sizeof(*ah->workers));
	for (k = 0; k < ah->nworkers && ah->nworkers > 1; k++) {
		struct worker *w = &ah->workers[k];
		w->html_ctx = (struct loader_ctx){s, "html", w};
		w->md_ctx = (struct loader_ctx){s, "md", w};
		worker_envs(w);
	}
	return pool_new(njobs, ah->nworkers, sizeof(struct rendered_partner), &ahead_ops, ah);
}

static void ahead_release(struct pool *p, struct ahead *ah)
{
	unsigned k;

	pool_free(p);
	for (k = 0; k < ah->nworkers; k++) {
		mustache_env_free(ah->workers[k].html_env);
		mustache_env_free(ah->workers[k].md_env);
	}
	free(ah->workers);
	memset(ah, 0, sizeof(*ah));
}

/* ---- the pages of the whole site ----------------------------------------- */

/*
 * The parts of the whole appendix (print.html, briefing.md) around the
 * partners' sections, and the pages made from every partner: each kept,
 * when building for updates, in a blob of the cache (site_cache).
 */
enum {
	SEG_PRINT_HEAD, SEG_BRIEF_HEAD, SEG_PRINT_MIDDLE, SEG_BRIEF_MIDDLE, SEG_PRINT_TAIL,
	SEG_BRIEF_TAIL, SEG_INDEX, SEG_BUDGET, SEG_CSS, NSEG
};

struct site_cache {
	struct site s;                    /* open between builds (site_open) */
	struct output null_out;           /* where s writes: everything is captured */
	struct fileset_blob **parts;      /* NOUT per partner of c; NULL: none */
	size_t nparts;
	struct fileset_blob *seg[NSEG];
	size_t *jobs, njobs, nfirst;      /* the partners in the appendix's order */
	char **paths;                     /* OUT_PAGE_HTML and OUT_PAGE_MD per partner */
	struct worker side;               /* renders budget.html beside an update */
	size_t updates;                   /* site_update calls that succeeded */
	size_t rendered;                  /* partners the last update rendered */
	/* The stamp of each partner's data (view_source.stamp): a new one,
	 * never given before, whenever an update renders it again. */
	uint64_t *stamps;                 /* by position in c->partners */
	uint64_t last_stamp;
};

/* The stamp of the partner at position i of c->partners when building for
 * updates (fragments are kept), else 0. */
static uint64_t partner_stamp(const struct site *s, size_t i)
{
	return s->cache ? s->cache->stamps[i] : 0;
}

/* The stamp of the partner called slug (0: none; p: only when it is that
 * partner's current digest). */
static uint64_t slug_stamp(const struct site *s, const char *slug, const struct partner *p)
{
	size_t i;

	if (!s->cache || !strmap_get(&s->c->index, slug, &i) || (p && s->c->partners[i].digest != p))
		return 0;
	return s->cache->stamps[i];
}

/* Keep got in *slot: a new blob, or the old one when it holds the same
 * bytes (so that an unchanged file is the same blob in both builds, and
 * snapshot_same need not compare it). */
static void keep_blob(struct fileset_blob **slot, struct buf *got)
{
	if (*slot && (*slot)->data.len == got->len &&
	    memcmp((*slot)->data.ptr, got->ptr, got->len) == 0)
		return;
	fileset_blob_unref(*slot);
	*slot = fileset_blob_new(got);
}

static void cache_keep_part(struct site *s, size_t i, int k, struct buf *got)
{
	keep_blob(&s->cache->parts[i * NOUT + k], got);
}

/* Render a whole page (or a part of the appendix: part_of, first) into
 * out, kept in cache segment seg when building for updates. */
static int render_seg(struct site *s, const char *tmpl, const struct view *ctx,
		      const char *path, bool part_of, bool first, int seg)
{
	struct buf got = BUF_INIT;
	int rc;

	s->capture = s->cache ? &got : NULL;
	rc = part_of ? part(s, tmpl, ctx, path, first) : page(s, tmpl, ctx, path);
	s->capture = NULL;
	if (!rc && s->cache)
		keep_blob(&s->cache->seg[seg], &got);
	buf_release(&got);
	return rc;
}

/* One of the three parts of the whole appendix around the partners (0
 * head, 1 middle, 2 tail), in HTML and in Markdown. */
static int render_appendix_part(struct site *s, int which)
{
	static const char *const tmpl[3][2] = {
		{"html/print-head.mustache", "md/briefing-head.mustache"},
		{"html/print-middle.mustache", "md/briefing-middle.mustache"},
		{"html/print-tail.mustache", "md/briefing-tail.mustache"},
	};
	struct arena a;
	struct view *ctx;
	struct buf tmp = BUF_INIT;
	int rc;

	/* The whole appendix (print.html, briefing.md) in the source's order:
	 * the text, the partners, the new-partnerships section with its
	 * candidates after the text that introduces them, the recommendation,
	 * then one budget summary (totals and chart; the cost lines stand in
	 * the partners' sections). */
	arena_init(&a);
	ctx = page_view(s, &a, "", "print", s->b->title);
	set_bool(&a, ctx, K_print, true);
	set(&a, ctx, K_briefing, briefing_view(s, &a, false, which == 2, &tmp));
	rc = render_seg(s, tmpl[which][0], ctx, "print.html", true, which == 0,
			SEG_PRINT_HEAD + 2 * which);
	if (!rc)
		rc = render_seg(s, tmpl[which][1], ctx, "briefing.md", true, which == 0,
				SEG_BRIEF_HEAD + 2 * which);
	arena_release(&a);
	buf_release(&tmp);
	return rc;
}

static int render_index(struct site *s)
{
	struct arena a;
	struct view *ctx;
	struct buf tmp = BUF_INIT;
	int rc;

	arena_init(&a);
	ctx = page_view(s, &a, "", "index", s->b->title);
	set(&a, ctx, K_briefing, briefing_view(s, &a, true, false, &tmp));
	rc = render_seg(s, "html/index.mustache", ctx, "index.html", false, true, SEG_INDEX);
	arena_release(&a);
	buf_release(&tmp);
	return rc;
}

static int render_budget(struct site *s)
{
	struct arena a;
	struct view *ctx;
	struct buf tmp = BUF_INIT;
	int rc;

	arena_init(&a);
	ctx = page_view(s, &a, "", "budget", label(s, "budget_title"));
	set(&a, ctx, K_budget, budget_view(s, &a, true, &tmp));
	rc = render_seg(s, "html/budget.mustache", ctx, "budget.html", false, true, SEG_BUDGET);
	arena_release(&a);
	buf_release(&tmp);
	return rc;
}

static int render_css(struct site *s)
{
	const char *tpl_css;
	size_t len;
	struct buf css = BUF_INIT;
	int rc;

	tpl_css = templates_get(s->tpl, "assets/style.css", &len, NULL);
	if (!tpl_css)
		return 0;
	buf_add(&css, tpl_css, len);
	s->capture = NULL;
	rc = emit(s, "assets/style.css", "assets/style.css", &css);
	if (!rc && s->cache)
		keep_blob(&s->cache->seg[SEG_CSS], &css);
	buf_release(&css);
	return rc;
}

/* The partners of the whole appendix in its order, into *jobs (malloc'd):
 * the visible partners, then (from *nfirst on) the visible candidates. */
static void collect_jobs(const struct site *s, size_t **jobs, size_t *njobs, size_t *nfirst)
{
	size_t i, n = 0;

	*jobs = xmalloc((s->c->npartners ? s->c->npartners : 1) * sizeof(**jobs));
	for (i = 0; i < s->c->npartners; i++)
		if (!s->c->partners[i].candidate && partner_visible(s, s->c->partners[i].slug))
			(*jobs)[n++] = i;
	*nfirst = n;
	for (i = 0; i < s->c->npartners; i++)
		if (s->c->partners[i].candidate && partner_visible(s, s->c->partners[i].slug))
			(*jobs)[n++] = i;
	*njobs = n;
}

static int build_pages(struct site *s)
{
	struct ahead ah;
	struct pool *pool = NULL;
	size_t *jobs = NULL, njobs = 0, nfirst = 0;
	int rc = -1;

	memset(&ah, 0, sizeof(ah));
	if (render_appendix_part(s, 0))
		goto out;
	/* Then the partners, then the candidates (below): one at a time, or
	 * several at once by a pool of threads, their memory released as
	 * soon as they are out. */
	collect_jobs(s, &jobs, &njobs, &nfirst);
	pool = ahead_new(s, &ah, jobs, njobs);
	if (pool_take(pool, nfirst))
		goto out;
	if (render_appendix_part(s, 1))
		goto out;
	if (pool_take(pool, njobs))
		goto out;
	ahead_release(pool, &ah);
	pool = NULL;
	if (render_appendix_part(s, 2) || render_index(s) || render_budget(s) || render_css(s))
		goto out;
	rc = 0;
	if (s->cache) {
		s->cache->jobs = jobs;
		s->cache->njobs = njobs;
		s->cache->nfirst = nfirst;
		jobs = NULL;
	}
out:
	if (pool)
		ahead_release(pool, &ah);
	free(jobs);
	return rc;
}

/* The budget of s->c and what is made of it once (the chart). */
static void site_budget(struct site *s)
{
	budget_compute(&s->budget, s->c, s->opt->include_internal);
	buf_reset(&s->chart);
	chart_svg(&s->budget, &s->i18n, &s->chart);
}

/* Set s up to render c (templates, labels, budget, the common view).
 * Returns 0, or -1 after adding an error to diags; site_close() either
 * way. */
static int site_open(struct site *s, const struct content *c, const struct site_options *opt,
		     const struct output *out, struct diags *diags)
{
	const char *lang;

	pthread_once(&site_keys_once, site_keys_resolve);
	memset(s, 0, sizeof(*s));
	buf_init(&s->rendered);
	buf_init(&s->chart);
	s->c = c;
	s->b = c->briefing;
	s->opt = opt;
	s->out = out;
	s->diags = diags;
	arena_init(&s->common_arena);
	arena_init(&s->size_keys);
	strmap_init(&s->sizes);
	pthread_mutex_init(&s->partials_lock, NULL);
	s->tpl = templates_new(opt->templates_dir);
	templates_report_to(s->tpl, diags);
	s->html_ctx.s = s->md_ctx.s = s;
	s->html_ctx.kind = "html";
	s->md_ctx.kind = "md";
	{
		struct mustache_loader hl = {load_partial, &s->html_ctx};
		struct mustache_loader ml = {load_partial, &s->md_ctx};
		s->html_env = mustache_env_new(&hl);
		s->md_env = mustache_env_new(&ml);
		mustache_env_set_escape(s->md_env, markdown_escape);
	}
	lang = opt->lang ? opt->lang : schema_language_values[s->b->language];
	if (!i18n_load(&s->i18n, s->tpl, lang, diags))
		return -1;
	s->have_i18n = true;
	site_budget(s);
	collect_rows(s);
	collect_decided(s);
	build_common(s);
	return 0;
}

static void site_close(struct site *s)
{
	size_t i;

	budget_release(&s->budget);
	free(s->rows);
	free(s->decided);
	free(s->decided_at);
	if (s->have_i18n)
		i18n_release(&s->i18n);
	for (i = 0; i < s->ncompiled; i++) {
		free(s->compiled[i].path);
		mustache_free(s->compiled[i].tmpl);
	}
	free(s->compiled);
	mustache_env_free(s->html_env);
	mustache_env_free(s->md_env);
	templates_free(s->tpl);
	arena_release(&s->common_arena);
	buf_release(&s->rendered);
	buf_release(&s->chart);
	strmap_release(&s->sizes);
	arena_release(&s->size_keys);
	for (i = 0; i < s->npartials; i++)
		free(s->partials[i].name);
	free(s->partials);
	pthread_mutex_destroy(&s->partials_lock);
}

int site_build(const struct content *c, const struct site_options *opt, const struct output *out,
	       struct diags *diags, bool *out_failed)
{
	struct site s;
	int rc = -1;

	if (site_open(&s, c, opt, out, diags) == 0 && build_pages(&s) == 0)
		rc = s.files;
	if (out_failed)
		*out_failed = s.out_failed;
	site_close(&s);
	return rc;
}

/* ---- kept for updates (serve) --------------------------------------------- */

static int null_put(void *ctx, const char *path, const char *data, size_t len)
{
	(void)ctx;
	(void)path;
	(void)data;
	(void)len;
	return 0;
}

static const struct {
	int head, middle, tail, k;
	const char *path;
} appendix_files[2] = {
	{SEG_PRINT_HEAD, SEG_PRINT_MIDDLE, SEG_PRINT_TAIL, OUT_PRINT, "print.html"},
	{SEG_BRIEF_HEAD, SEG_BRIEF_MIDDLE, SEG_BRIEF_TAIL, OUT_BRIEF, "briefing.md"},
};

/* The size of the whole appendix file f (0 print.html, 1 briefing.md). */
static size_t appendix_size(const struct site_cache *sc, int f)
{
	size_t n = 0, j;

	n += sc->seg[appendix_files[f].head]->data.len;
	n += sc->seg[appendix_files[f].middle]->data.len;
	n += sc->seg[appendix_files[f].tail]->data.len;
	for (j = 0; j < sc->njobs; j++)
		n += sc->parts[sc->jobs[j] * NOUT + appendix_files[f].k]->data.len;
	return n;
}

/* Put the whole appendix file f into fs as its parts, in order. */
static void appendix_put(const struct site_cache *sc, struct fileset *fs, int f)
{
	struct fileset_blob **parts = xmalloc((sc->njobs + 3) * sizeof(*parts));
	size_t j, n = 0;
	int k = appendix_files[f].k;

	parts[n++] = sc->seg[appendix_files[f].head];
	for (j = 0; j < sc->nfirst; j++)
		parts[n++] = sc->parts[sc->jobs[j] * NOUT + k];
	parts[n++] = sc->seg[appendix_files[f].middle];
	for (; j < sc->njobs; j++)
		parts[n++] = sc->parts[sc->jobs[j] * NOUT + k];
	parts[n++] = sc->seg[appendix_files[f].tail];
	fileset_put_parts(fs, appendix_files[f].path, parts, n);
	free(parts);
}

/* Whether the bounds of a build hold for the site as the cache has it
 * (site_build stops at the first file past them). */
static bool cache_fits(const struct site_cache *sc)
{
	const struct site_options *opt = sc->s.opt;
	size_t total = 0, n, j;
	int f, k, g;

	for (f = 0; f < 2; f++) {
		n = appendix_size(sc, f);
		if (n > opt->max_file_bytes)
			return false;
		total += n;
	}
	for (j = 0; j < sc->njobs; j++)
		for (k = OUT_PAGE_HTML; k <= OUT_PAGE_MD; k++) {
			n = sc->parts[sc->jobs[j] * NOUT + k]->data.len;
			if (n > opt->max_file_bytes)
				return false;
			total += n;
		}
	for (g = SEG_INDEX; g <= SEG_CSS; g++)
		if (sc->seg[g]) {
			n = sc->seg[g]->data.len;
			if (n > opt->max_file_bytes)
				return false;
			total += n;
		}
	return total <= opt->max_build_bytes;
}

/* Put the site as the cache has it into fs, in a full build's order:
 * print.html and briefing.md (begun first), each partner's page and
 * Markdown, index.html, budget.html, the stylesheet. */
static void cache_fill_pages(struct site_cache *sc, struct fileset *fs)
{
	static struct fileset_blob *const none[1];
	size_t j;
	int k;

	/* print.html and briefing.md first, made of their parts below. */
	fileset_put_parts(fs, "print.html", none, 0);
	fileset_put_parts(fs, "briefing.md", none, 0);
	for (j = 0; j < sc->njobs; j++)
		for (k = OUT_PAGE_HTML; k <= OUT_PAGE_MD; k++) {
			char **path = &sc->paths[sc->jobs[j] * 2 + k];

			if (!*path)
				*path = partner_output_path(&sc->s.c->partners[sc->jobs[j]], k);
			fileset_put_blob(fs, *path, sc->parts[sc->jobs[j] * NOUT + k]);
		}
}

static void cache_fill_rest(struct site_cache *sc, struct fileset *fs)
{
	appendix_put(sc, fs, 0);
	appendix_put(sc, fs, 1);
	fileset_put_blob(fs, "index.html", sc->seg[SEG_INDEX]);
	fileset_put_blob(fs, "budget.html", sc->seg[SEG_BUDGET]);
	if (sc->seg[SEG_CSS])
		fileset_put_blob(fs, "assets/style.css", sc->seg[SEG_CSS]);
}

/* Put the site as the cache has it into the empty fileset fs, in a full
 * build's order: print.html and briefing.md (begun first), each partner's
 * page and Markdown, index.html, budget.html, the stylesheet.  In two
 * steps, so that an update's other thread can do the first (the partners'
 * pages are final before the pages of every partner are). */
static void cache_fill(struct site_cache *sc, struct fileset *fs)
{
	cache_fill_pages(sc, fs);
	cache_fill_rest(sc, fs);
}

int site_build_cached(const struct content *c, const struct site_options *opt,
		      struct fileset *fs, struct diags *diags, struct site_cache **cache)
{
	struct site_cache *sc = xcalloc(1, sizeof(*sc));
	size_t j;
	int rc = -1;

	*cache = NULL;
	sc->null_out = (struct output){null_put, null_put, NULL, NULL, NULL, NULL};
	sc->nparts = c->npartners * NOUT;
	sc->paths = xcalloc(c->npartners ? 2 * c->npartners : 1, sizeof(*sc->paths));
	sc->parts = xcalloc(sc->nparts ? sc->nparts : 1, sizeof(*sc->parts));
	sc->stamps = xcalloc(c->npartners ? c->npartners : 1, sizeof(*sc->stamps));
	for (sc->last_stamp = 0; sc->last_stamp < c->npartners; sc->last_stamp++)
		sc->stamps[sc->last_stamp] = sc->last_stamp + 1;
	sc->side.html_ctx = (struct loader_ctx){&sc->s, "html", &sc->side};
	sc->side.md_ctx = (struct loader_ctx){&sc->s, "md", &sc->side};
	side_envs(&sc->side);
	if (site_open(&sc->s, c, opt, &sc->null_out, diags) == 0) {
		sc->s.cache = sc;
		/* The items of long lists are kept as rendered fragments,
		 * looked up outside their own data only in what stays. */
		mustache_env_keep_fragments(sc->s.html_env, true);
		mustache_env_keep_fragments(sc->s.md_env, true);
		view_keep(sc->s.common);
		for (j = 0; j <= NAV_NONE; j++)
			view_keep(sc->s.nav[j]);
		if (build_pages(&sc->s) == 0) {
			cache_fill(sc, fs);
			rc = (int)fs->n;
		}
	}
	if (rc < 0) {
		site_cache_free(sc);
		return -1;
	}
	*cache = sc;
	return rc;
}

/*
 * budget.html rendered by a thread of its own while the update's thread
 * renders the rest (index.html, the appendix's parts): the two share only
 * what both read (the content, the budget, the labels, the compiled
 * templates, the partials the full build loaded, the partners' stamps);
 * each keeps its own fragments (mustache_env_keep_fragments).  Bounds and
 * errors are not met here: a render that does not go to plan makes the
 * update fail, and a full build says why.
 */
struct side {
	struct site *s;
	struct fileset *fs;        /* where the partners' pages go once it is done */
	bool pages_done;           /* they went */
	const struct mustache *tmpl;
	struct arena arena;
	struct view *ctx;
	struct buf out;
	struct buf tmp;            /* the budget view's scratch */
	int rc;
	pthread_t thread;
};

static void *side_main(void *ud)
{
	struct side *sd = ud;
	struct worker *w = &sd->s->cache->side;
	size_t cap = sd->s->opt->max_file_bytes;
	char *err = NULL;

	sd->ctx = page_view(sd->s, &sd->arena, "", "budget", label(sd->s, "budget_title"));
	set(&sd->arena, sd->ctx, K_budget, budget_view(sd->s, &sd->arena, true, &sd->tmp));
	w->missed = false;
	mustache_env_set_limit(w->html_env, cap ? cap : 1);
	sd->rc = mustache_render(w->html_env, sd->tmpl, sd->ctx, &sd->out, &err);
	mustache_env_set_limit(w->html_env, 0);
	free(err);
	if (w->missed) {
		side_envs(w);
		sd->rc = -1;
	}
	/* The partners' pages into the new fileset meanwhile: nothing else
	 * touches it, the cache's paths or the pages' blobs until the join. */
	if (sd->rc == 0) {
		cache_fill_pages(sd->s->cache, sd->fs);
		sd->pages_done = true;
	}
	return NULL;
}

/* Start rendering budget.html in sd's thread (sd zeroed, its arena and
 * buffer initialised).  0, or -1 (nothing started: render it here). */
static int side_start(struct site *s, struct side *sd, struct fileset *fs)
{
	sd->s = s;
	sd->fs = fs;
	sd->tmpl = template_get(s, "html/budget.mustache");
	if (!sd->tmpl)
		return -1;
	if (pthread_create(&sd->thread, NULL, side_main, sd) == 0)
		return 0;
	return -1;
}

static void side_release(struct side *sd)
{
	arena_release(&sd->arena);
	buf_release(&sd->out);
	buf_release(&sd->tmp);
}

/* Does some cost of p name slug in shared_with? */
static bool shares_with(const struct partner *p, const char *slug)
{
	size_t k, w;

	for (k = 0; p && k < p->costs.n; k++)
		for (w = 0; w < p->costs.items[k].shared_with.n; w++)
			if (!strcmp(p->costs.items[k].shared_with.items[w], slug))
				return true;
	return false;
}

/* Mark the partners p names in shared_with. */
static void mark_named(const struct content *c, const struct partner *p, bool *mark)
{
	size_t k, w, j;

	for (k = 0; p && k < p->costs.n; k++)
		for (w = 0; w < p->costs.items[k].shared_with.n; w++)
			if (strmap_get(&c->index, p->costs.items[k].shared_with.items[w], &j))
				mark[j] = true;
}

int site_update(struct site_cache *sc, size_t i, const struct partner *old, struct fileset *fs,
		struct diags *diags)
{
	struct site *s;
	const struct content *c;
	const char *slug;
	size_t *jobs = NULL, njobs, nfirst, j;
	bool *mark = NULL, threaded = false;
	struct side sd;
	int k, g, rc = -1;

	memset(&sd, 0, sizeof(sd));
	arena_init(&sd.arena);
	buf_init(&sd.out);
	buf_init(&sd.tmp);

	if (!sc || !fs || i >= sc->s.c->npartners || sc->nparts != sc->s.c->npartners * NOUT)
		return -1;
	s = &sc->s;
	c = s->c;
	slug = c->partners[i].slug;
	s->diags = diags;
	s->bytes = 0;
	s->files = 0;
	strmap_release(&s->sizes);
	strmap_init(&s->sizes);
	arena_release(&s->size_keys);
	arena_init(&s->size_keys);
	s->appendix_bytes[0] = s->appendix_bytes[1] = 0;
	sc->rendered = 0;
	/* The totals, the rows of the overview and the appendix's partners
	 * follow the new digest. */
	budget_release(&s->budget);
	site_budget(s);
	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
	collect_rows(s);
	collect_decided(s);
	collect_jobs(s, &jobs, &njobs, &nfirst);
	free(sc->jobs);
	sc->jobs = jobs;
	sc->njobs = njobs;
	sc->nfirst = nfirst;

	/*
	 * Whose outputs show partner i's data: its own; those its costs name
	 * in shared_with, before the change and after (their pages list the
	 * shared cost, with its owner's name); those whose costs name it (the
	 * name they show, and whether it is shown at all).  Nothing else of a
	 * partner's outputs reads another partner (partner_facts, cost_view,
	 * partner_full); the pages of every partner (the overview, the budget,
	 * the appendix's own parts) are made again below.
	 */
	mark = xcalloc(c->npartners ? c->npartners : 1, sizeof(*mark));
	mark[i] = true;
	mark_named(c, old, mark);
	mark_named(c, c->partners[i].digest, mark);
	for (j = 0; j < c->npartners; j++)
		if (!mark[j] && shares_with(c->partners[j].digest, slug))
			mark[j] = true;
	for (j = 0; j < c->npartners; j++)
		if (mark[j])
			sc->stamps[j] = ++sc->last_stamp;
	for (j = 0; j < njobs; j++) {
		if (!mark[jobs[j]])
			continue;
		mark[jobs[j]] = false;
		if (build_partner(s, jobs[j], NULL))
			goto out;
		sc->rendered++;
	}
	/* Marked but not shown (any more): no outputs. */
	for (j = 0; j < c->npartners; j++)
		for (k = 0; mark[j] && k < NOUT; k++) {
			fileset_blob_unref(sc->parts[j * NOUT + k]);
			sc->parts[j * NOUT + k] = NULL;
		}
	if (jobs_wanted(s->opt) > 1 && side_start(s, &sd, fs) == 0)
		threaded = true;
	else if (render_budget(s))
		goto out;
	for (g = 0; g < 3; g++)
		if (render_appendix_part(s, g))
			goto out;
	if (render_index(s))
		goto out;
	if (threaded) {
		pthread_join(sd.thread, NULL);
		threaded = false;
		if (sd.rc != 0)
			goto out;
		keep_blob(&sc->seg[SEG_BUDGET], &sd.out);
	}
	if (diags->errors || !cache_fits(sc))
		goto out;
	if (!sd.pages_done)
		cache_fill_pages(sc, fs);
	cache_fill_rest(sc, fs);
	sc->updates++;
	rc = (int)fs->n;
out:
	if (threaded)
		pthread_join(sd.thread, NULL);
	side_release(&sd);
	free(mark);
	return rc;
}

size_t site_cache_updates(const struct site_cache *sc)
{
	return sc ? sc->updates : 0;
}

size_t site_cache_rendered(const struct site_cache *sc)
{
	return sc ? sc->rendered : 0;
}

void site_cache_free(struct site_cache *sc)
{
	size_t j;
	int g;

	if (!sc)
		return;
	site_close(&sc->s);
	for (j = 0; j < sc->nparts; j++)
		fileset_blob_unref(sc->parts[j]);
	free(sc->parts);
	for (j = 0; j < sc->nparts / NOUT * 2; j++)
		free(sc->paths[j]);
	free(sc->paths);
	for (g = 0; g < NSEG; g++)
		fileset_blob_unref(sc->seg[g]);
	free(sc->jobs);
	mustache_env_free(sc->side.html_env);
	mustache_env_free(sc->side.md_env);
	free(sc->stamps);
	free(sc);
}

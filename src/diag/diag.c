#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/intl.h"
#include "rules.h"
#include "source.h"

void diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
}

void diags_release(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
		free(d->items[i].hint);
		free(d->items[i].source);
	}
	free(d->items);
	diags_init(d);
}

size_t diags_vadd(struct diags *d, enum severity sev, const char *file, int line, int col,
		  const char *hint, size_t parent, const char *fmt, va_list ap)
{
	struct diag *g;
	struct buf msg = BUF_INIT;

	d->items = xgrow(d->items, sizeof(*d->items), d->n + 1, &d->cap);
	g = &d->items[d->n];
	memset(g, 0, sizeof(*g));
	/* The caller gives the English format; the catalogue may give another. */
	buf_vaddf(&msg, gettext(fmt), ap);
	g->rule = diag_rule_for(fmt);
	g->message = buf_detach(&msg, NULL);
	g->file = xstrdup(file ? file : "");
	g->line = line;
	g->col = col;
	g->severity = sev;
	g->hint = hint ? xstrdup(hint) : NULL;
	g->seq = d->n;
	g->parent = parent;
	if (!parent) {
		if (sev == SEV_ERROR)
			d->errors++;
		else if (sev == SEV_WARNING)
			d->warnings++;
	}
	return d->n++;
}

size_t diags_add(struct diags *d, enum severity sev, const char *file, int line, int col,
		 const char *hint, const char *fmt, ...)
{
	va_list ap;
	size_t seq;

	va_start(ap, fmt);
	seq = diags_vadd(d, sev, file, line, col, hint, 0, fmt, ap);
	va_end(ap);
	return seq;
}

void diags_append(struct diags *d, struct diags *src)
{
	size_t i, base = d->n;

	if (!src->n)
		return;
	d->items = xgrow(d->items, sizeof(*d->items), d->n + src->n, &d->cap);
	for (i = 0; i < src->n; i++) {
		struct diag *g = &d->items[base + i];
		*g = src->items[i];
		g->seq = base + src->items[i].seq;
		if (g->parent)
			g->parent += base;
	}
	d->n += src->n;
	d->errors += src->errors;
	d->warnings += src->warnings;
	free(src->items);
	src->items = NULL;
	src->n = src->cap = src->errors = src->warnings = 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void diags_append_copy(struct diags *d, const struct diags *src, size_t from)
{
	size_t i, base = d->n;

	if (from >= src->n)
		return;
	d->items = xgrow(d->items, sizeof(*d->items), d->n + (src->n - from), &d->cap);
	for (i = from; i < src->n; i++) {
		const struct diag *s = &src->items[i];
		struct diag *g = &d->items[d->n++];

		*g = *s;
		g->file = xstrdup(s->file);
		g->message = xstrdup(s->message);
		g->hint = dup_or_null(s->hint);
		g->source = dup_or_null(s->source);
		g->seq = base + (s->seq - from);
		if (s->parent)
			g->parent = s->parent - from + base;
		else if (s->severity == SEV_ERROR)
			d->errors++;
		else if (s->severity == SEV_WARNING)
			d->warnings++;
	}
}

bool diags_failed(const struct diags *d)
{
	return d->errors > 0 || (d->strict && d->warnings > 0);
}

/* Notes sort with their parent: compare by the parent's place first. */
static const struct diag *anchor(const struct diag *base, const struct diag *g)
{
	return g->parent ? &base[g->parent - 1] : g;
}

static const struct diag *sort_base;

static int cmp_place(const struct diag *a, const struct diag *b)
{
	int c = strcmp(a->file, b->file);
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int cmp_diag(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	const struct diag *ra = anchor(sort_base, a), *rb = anchor(sort_base, b);
	int c = cmp_place(ra, rb);

	if (c)
		return c;
	/* Same parent: the parent first, then its notes in order. */
	if (!a->parent != !b->parent)
		return a->parent ? 1 : -1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diags_sort(struct diags *d)
{
	struct diag *copy;

	if (d->n < 2)
		return;
	/* Sort a copy so that parent lookups by seq stay valid during qsort. */
	copy = xmalloc(d->n * sizeof(*copy));
	memcpy(copy, d->items, d->n * sizeof(*copy));
	sort_base = copy;
	qsort(d->items, d->n, sizeof(*d->items), cmp_diag);
	sort_base = NULL;
	free(copy);
}

const char *diag_severity_name(enum severity s)
{
	switch (s) {
	case SEV_ERROR: return "error";
	case SEV_WARNING: return "warning";
	case SEV_NOTE: return "note";
	}
	return "?";
}

/* Length of the valid UTF-8 sequence at p (before end), or 0; its code
 * point in *cp. */
static size_t utf8_decode(const unsigned char *p, const unsigned char *end, unsigned *cp)
{
	size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
		 : (*p & 0xF8) == 0xF0 ? 4 : 0, k;
	unsigned c;

	if (!n || (size_t)(end - p) < n)
		return 0;
	c = n == 1 ? *p : n == 2 ? *p & 0x1Fu : n == 3 ? *p & 0x0Fu : *p & 0x07u;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (p[k] & 0x3Fu);
	}
	*cp = c;
	return n;
}

bool diag_char_needs_escape(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
	       cp == 0x00AD ||                       /* soft hyphen */
	       cp == 0x061C ||                       /* Arabic letter mark */
	       cp == 0x180E ||                       /* Mongolian vowel separator */
	       (cp >= 0x200B && cp <= 0x200F) ||    /* zero-width space, joiners, LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202E) ||    /* line/paragraph separators, embeddings, overrides */
	       (cp >= 0x2060 && cp <= 0x206F) ||    /* word joiner, invisible operators, isolates */
	       cp == 0xFEFF ||                       /* BOM, zero-width no-break space */
	       (cp >= 0xFFF9 && cp <= 0xFFFB);       /* interlinear annotation */
}

/*
 * Append the code point at p as the user sees it, escaped when it is a
 * control or format character (\x1b, \u202e); a byte that is not UTF-8 is
 * `bad` ('?' in a source line, where it is the subject of an "invalid UTF-8"
 * error, \xNN in a message).  keep_tab leaves a tab as it is (a source line:
 * the caret line mirrors it).  Returns the bytes consumed; *width is the
 * number of columns written (for the caret).
 */
static size_t add_char(struct buf *b, const unsigned char *p, const unsigned char *end,
		       bool keep_tab, bool bad_as_hex, size_t *width)
{
	unsigned cp = 0;
	size_t n = utf8_decode(p, end, &cp), before = b->len;

	if (!n) {
		if (bad_as_hex)
			buf_addf(b, "\\x%02x", *p);
		else
			buf_addc(b, '?');
		*width = b->len - before;
		return 1;
	}
	if (cp == '\t' && keep_tab)
		buf_addc(b, '\t');
	else if (cp == '\t')
		buf_adds(b, "\\t");
	else if (cp < 0x80 && diag_char_needs_escape(cp))
		buf_addf(b, "\\x%02x", cp);
	else if (diag_char_needs_escape(cp))
		buf_addf(b, "\\u%04x", cp);
	else
		buf_add(b, p, n);
	*width = diag_char_needs_escape(cp) && !(cp == '\t' && keep_tab) ? b->len - before : 1;
	return n;
}

/* How many bytes from p on are printable ASCII (U+0020-U+007E): what
 * add_char() appends as it is, one column each. */
static size_t ascii_run(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p;

	while (q < end && *q >= 0x20 && *q < 0x7F)
		q++;
	return (size_t)(q - p);
}

void diag_escape(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t w, run;

	while (p < end) {
		run = ascii_run(p, end);
		buf_add(b, p, run);
		p += run;
		if (p < end)
			p += add_char(b, p, end, false, true, &w);
	}
}

static void add_escaped(struct buf *b, const char *s)
{
	diag_escape(b, s, strlen(s));
}

/* The start of the code point before p (not before start). */
static const unsigned char *back_one(const unsigned char *start, const unsigned char *p)
{
	if (p > start)
		p--;
	while (p > start && (*p & 0xC0) == 0x80)
		p--;
	return p;
}

static void add_caret(struct buf *b, const struct diag *g, struct source *sc)
{
	const unsigned char *line, *p, *end, *from, *to, *caret;
	const char *start;
	size_t n, k, w;
	int col = 1;

	if (!g->file[0] || g->line <= 0 || g->col <= 0 ||
	    !source_line(sc, g->file, g->line, &start, &n))
		return;
	line = p = (const unsigned char *)start;
	end = p + n;
	/* Skip a UTF-8 byte order mark on line 1: libyaml does not count it. */
	if (g->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		line = p += 3;
	/* An empty line (the end of the file, say) has nothing to point at. */
	if (p == end)
		return;
	/* Columns count characters, as libyaml does: walk code points. */
	for (caret = p; caret < end && col < g->col; col++) {
		caret++;
		while (caret < end && (*caret & 0xC0) == 0x80)
			caret++;
	}
	/* A long line is shown as a window of DIAG_WINDOW characters around the
	 * caret, cut ends marked with "...". */
	from = caret;
	for (k = 0; k < DIAG_WINDOW / 3 && from > line; k++)
		from = back_one(line, from);
	to = from;
	for (k = 0; k < DIAG_WINDOW && to < end; k++) {
		to++;
		while (to < end && (*to & 0xC0) == 0x80)
			to++;
	}
	for (; k < DIAG_WINDOW && from > line; k++)
		from = back_one(line, from);
	buf_adds(b, "    ");
	if (from > line)
		buf_adds(b, "...");
	for (p = from; p < to;) {
		size_t run = ascii_run(p, to);

		buf_add(b, p, run);
		p += run;
		if (p < to)
			p += add_char(b, p, to, true, false, &w);
	}
	if (to < end)
		buf_adds(b, "...");
	buf_adds(b, "\n    ");
	if (from > line)
		buf_adds(b, "   ");
	for (p = from; p < caret && p < to;) {
		struct buf tmp = BUF_INIT;
		size_t used;

		if (*p >= 0x20 && *p < 0x7F) {   /* one column, as add_char() says */
			buf_addc(b, ' ');
			p++;
			continue;
		}
		used = add_char(&tmp, p, to, true, false, &w);
		if (*p == '\t')
			buf_addc(b, '\t');
		else
			for (k = 0; k < w; k++)
				buf_addc(b, ' ');
		buf_release(&tmp);
		p += used;
	}
	buf_adds(b, "^\n");
}

static void flush(struct buf *b, FILE *out, bool force)
{
	if (!b->len || (!force && b->len < 65536))
		return;
	fwrite(b->ptr, 1, b->len, out);
	buf_reset(b);
}

/* Whether a diagnostic is printed in full; counts the ones that are not. */
struct limiter {
	const char *file;     /* the file being counted */
	size_t in_file;       /* shown in it */
	size_t file_hidden;   /* left out of it by the per-file limit */
	size_t in_run, run_hidden;
	size_t hidden;        /* all left out */
	bool parent_shown;    /* for notes: whether their parent was */
};

static void limiter_file_end(struct limiter *l, struct buf *b)
{
	if (l->file_hidden && b) {
		if (l->file[0])
			add_escaped(b, l->file);
		else
			buf_adds(b, "briefgen");
		buf_adds(b, ": note: ");
		buf_addf(b, ngettext("%zu more diagnostic in this file not shown (the first %d are)",
				     "%zu more diagnostics in this file not shown (the first %d are)",
				     l->file_hidden),
			 l->file_hidden, DIAGS_PER_FILE);
		buf_addc(b, '\n');
	}
	l->file_hidden = 0;
	l->in_file = 0;
}

/* The per-file limit comes first; once the run's limit is reached, every
 * later diagnostic counts in the run's one closing line, so at most one
 * "more in this file" line follows each file that had some shown. */
static bool limiter_show(struct limiter *l, const struct diag *g, struct buf *b)
{
	if (g->parent)
		return l->parent_shown;
	if (!l->file || strcmp(l->file, g->file) != 0) {
		if (l->file)
			limiter_file_end(l, b);
		l->file = g->file;
	}
	if (l->in_file >= DIAGS_PER_FILE) {
		l->file_hidden++;
	} else if (l->in_run >= DIAGS_PER_RUN) {
		l->run_hidden++;
	} else {
		l->in_file++;
		l->in_run++;
		return l->parent_shown = true;
	}
	l->hidden++;
	return l->parent_shown = false;
}

size_t diags_select(const struct diags *d, bool *shown)
{
	struct limiter l;
	size_t i;

	memset(&l, 0, sizeof(l));
	for (i = 0; i < d->n; i++)
		shown[i] = limiter_show(&l, &d->items[i], NULL);
	return l.hidden;
}

void diags_print(const struct diags *d, FILE *out, bool source)
{
	struct source sc;
	struct buf b = BUF_INIT;
	struct limiter l;
	const struct diag *shown_at = NULL;   /* the last diagnostic shown with its line */
	size_t i;

	source_init(&sc);
	memset(&l, 0, sizeof(l));
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->items[i];
		enum severity sev = g->severity;

		if (!limiter_show(&l, g, &b))
			continue;
		if (sev == SEV_WARNING && d->strict)
			sev = SEV_ERROR;
		if (g->file[0]) {
			add_escaped(&b, g->file);
			if (g->line > 0)
				buf_addf(&b, ":%d:%d", g->line, g->col);
			buf_adds(&b, ": ");
		} else {
			buf_adds(&b, "briefgen: ");
		}
		buf_addf(&b, "%s: ", diag_severity_name(sev));
		add_escaped(&b, g->message);
		buf_addc(&b, '\n');
		/* A source line is shown once, however many diagnostics in a
		 * row point into it. */
		if (source && !(shown_at && g->line > 0 && shown_at->line == g->line &&
				 strcmp(shown_at->file, g->file) == 0)) {
			add_caret(&b, g, &sc);
			shown_at = g;
		}
		if (g->hint) {
			buf_adds(&b, "    ");
			buf_adds(&b, _("hint: "));
			add_escaped(&b, g->hint);
			buf_addc(&b, '\n');
		}
		flush(&b, out, false);
	}
	if (l.file)
		limiter_file_end(&l, &b);
	if (l.run_hidden) {
		buf_adds(&b, "briefgen: note: ");
		buf_addf(&b, ngettext("%zu more diagnostic not shown (at most %d are)",
				      "%zu more diagnostics not shown (at most %d are)", l.run_hidden),
			 l.run_hidden, DIAGS_PER_RUN);
		buf_addc(&b, '\n');
	}
	flush(&b, out, true);
	fflush(out);
	buf_release(&b);
	source_release(&sc);
}

char *diags_summary(const struct diags *d)
{
	size_t e = d->errors, w = d->warnings;
	struct buf b = BUF_INIT;

	if (d->strict) {
		e += w;
		w = 0;
	}
	if (!e && !w)
		return NULL;
	if (e)
		buf_addf(&b, ngettext("%zu error", "%zu errors", e), e);
	if (e && w)
		/* TRANSLATORS: between "2 errors" and "1 warning". */
		buf_adds(&b, _(", "));
	if (w)
		buf_addf(&b, ngettext("%zu warning", "%zu warnings", w), w);
	return buf_detach(&b, NULL);
}

void diags_print_summary(const struct diags *d, FILE *out)
{
	char *s = diags_summary(d);

	if (s)
		fprintf(out, "%s\n", s);
	free(s);
}

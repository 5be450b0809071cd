#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/buf.h"

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
	buf_vaddf(&msg, fmt, ap);
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

/*
 * The file whose lines are shown under its diagnostics.  Diagnostics come
 * sorted by file, so keeping one file at a time reads each file once (a file
 * with thousands of errors must not be read thousands of times).
 */
struct source_cache {
	char *file;        /* NULL: nothing loaded */
	char *text;        /* NULL when the file could not be read */
	size_t len;
	size_t *lines;     /* byte offset of each line's start */
	size_t nlines;
};

static void source_cache_release(struct source_cache *sc)
{
	free(sc->file);
	free(sc->text);
	free(sc->lines);
	memset(sc, 0, sizeof(*sc));
}

/* Line `line` of file, in [*start, *start + *n); false when it cannot be read. */
static bool source_line(struct source_cache *sc, const char *file, int line, const char **start,
			size_t *n)
{
	size_t cap = 0, i;
	const char *p, *e;

	if (!sc->file || strcmp(sc->file, file) != 0) {
		FILE *f;
		struct buf b = BUF_INIT;
		char chunk[16384];

		source_cache_release(sc);
		sc->file = xstrdup(file);
		f = fopen(file, "rb");
		if (!f)
			return false;
		while ((i = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&b, chunk, i);
		fclose(f);
		sc->text = buf_detach(&b, &sc->len);
		sc->lines = xgrow(NULL, sizeof(*sc->lines), 1, &cap);
		sc->lines[sc->nlines++] = 0;
		for (i = 0; i < sc->len; i++) {
			if (sc->text[i] != '\n')
				continue;
			sc->lines = xgrow(sc->lines, sizeof(*sc->lines), sc->nlines + 1, &cap);
			sc->lines[sc->nlines++] = i + 1;
		}
	}
	if (!sc->text || line < 1 || (size_t)line > sc->nlines)
		return false;
	p = sc->text + sc->lines[line - 1];
	for (e = p; e < sc->text + sc->len && *e != '\n' && *e != '\r' && *e; e++)
		;
	*start = p;
	*n = (size_t)(e - p);
	return true;
}

/* Length of the valid UTF-8 sequence at p (before end), or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
	size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
		 : (*p & 0xF8) == 0xF0 ? 4 : 0, k;

	if (!n || (size_t)(end - p) < n)
		return 0;
	for (k = 1; k < n; k++)
		if ((p[k] & 0xC0) != 0x80)
			return 0;
	return n;
}

/* Echo a source line; a byte that is not UTF-8 (the subject of an "invalid
 * UTF-8" error) is shown as '?', so the output stays valid UTF-8. */
static void print_text(FILE *out, const unsigned char *p, const unsigned char *end)
{
	size_t n;

	for (; p < end; p += n ? n : 1) {
		n = utf8_len(p, end);
		if (n)
			fwrite(p, 1, n, out);
		else
			fputc('?', out);
	}
}

static void print_caret(FILE *out, const struct diag *g, struct source_cache *sc)
{
	const unsigned char *p, *end;
	const char *start;
	size_t n;
	int col = 1;

	if (!g->file[0] || g->line <= 0 || g->col <= 0 ||
	    !source_line(sc, g->file, g->line, &start, &n))
		return;
	p = (const unsigned char *)start;
	end = p + n;
	/* Skip a UTF-8 byte order mark on line 1: libyaml does not count it. */
	if (g->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	/* An empty line (the end of the file, say) has nothing to point at. */
	if (p == end)
		return;
	fputs("    ", out);
	print_text(out, p, end);
	fputs("\n    ", out);
	/* Columns count characters, as libyaml does: walk code points. */
	for (; p < end && col < g->col; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		fputc(*p == '\t' ? '\t' : ' ', out);
		col++;
	}
	fputs("^\n", out);
}

void diags_print(const struct diags *d, FILE *out, bool source)
{
	struct source_cache sc;
	size_t i;

	memset(&sc, 0, sizeof(sc));
	for (i = 0; i < d->n; i++) {
		const struct diag *g = &d->items[i];
		enum severity sev = g->severity;

		if (sev == SEV_WARNING && d->strict)
			sev = SEV_ERROR;
		if (g->file[0] && g->line > 0)
			fprintf(out, "%s:%d:%d: ", g->file, g->line, g->col);
		else if (g->file[0])
			fprintf(out, "%s: ", g->file);
		else
			fputs("briefgen: ", out);
		fprintf(out, "%s: %s\n", diag_severity_name(sev), g->message);
		if (source)
			print_caret(out, g, &sc);
		if (g->hint)
			fprintf(out, "    hint: %s\n", g->hint);
	}
	source_cache_release(&sc);
}

void diags_print_summary(const struct diags *d, FILE *out)
{
	size_t e = d->errors, w = d->warnings;

	if (d->strict) {
		e += w;
		w = 0;
	}
	if (!e && !w)
		return;
	if (e)
		fprintf(out, "%zu error%s", e, e == 1 ? "" : "s");
	if (e && w)
		fputs(", ", out);
	if (w)
		fprintf(out, "%zu warning%s", w, w == 1 ? "" : "s");
	fputc('\n', out);
}

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

static size_t diags_vadd(struct diags *d, enum severity sev, const char *file, int line, int col,
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

size_t diags_at(struct diags *d, enum severity sev, const struct node *at, const char *hint,
		const char *fmt, ...)
{
	va_list ap;
	size_t seq;

	va_start(ap, fmt);
	seq = diags_vadd(d, sev, at ? at->file : NULL, at ? at->line : 0, at ? at->col : 0, hint,
			 0, fmt, ap);
	va_end(ap);
	return seq;
}

void diags_note(struct diags *d, size_t seq, const struct node *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(d, SEV_NOTE, at ? at->file : NULL, at ? at->line : 0, at ? at->col : 0, NULL,
		   seq + 1, fmt, ap);
	va_end(ap);
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

static const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_ERROR: return "error";
	case SEV_WARNING: return "warning";
	case SEV_NOTE: return "note";
	}
	return "?";
}

/* Read line `line` of file into b; false when it cannot be read. */
static bool read_source_line(const char *file, int line, struct buf *b)
{
	FILE *f = fopen(file, "rb");
	int c, at = 1;

	if (!f)
		return false;
	while (at < line && (c = getc(f)) != EOF)
		if (c == '\n')
			at++;
	while ((c = getc(f)) != EOF && c != '\n' && c != '\r')
		buf_addc(b, (char)c);
	fclose(f);
	return at == line;
}

static void print_caret(FILE *out, const struct diag *g)
{
	struct buf line = BUF_INIT;
	const unsigned char *p;
	int col = 1;

	if (!g->file[0] || g->line <= 0 || g->col <= 0 || !read_source_line(g->file, g->line, &line))
		goto out;
	/* Skip a UTF-8 byte order mark on line 1: libyaml does not count it. */
	p = (const unsigned char *)line.ptr;
	if (g->line == 1 && line.len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	fprintf(out, "    %s\n    ", (const char *)p);
	/* Columns count characters, as libyaml does: walk code points. */
	for (; *p && col < g->col; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		fputc(*p == '\t' ? '\t' : ' ', out);
		col++;
	}
	fputs("^\n", out);
out:
	buf_release(&line);
}

void diags_print(const struct diags *d, FILE *out, bool source)
{
	size_t i;

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
		fprintf(out, "%s: %s\n", severity_name(sev), g->message);
		if (source && sev != SEV_NOTE)
			print_caret(out, g);
		if (g->hint)
			fprintf(out, "    hint: %s\n", g->hint);
	}
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

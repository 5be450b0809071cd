#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/intl.h"
#include "rules.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_BASE "%SRCROOT%"
#define REPORT_CHUNK 65536

bool report_format_parse(const char *name, enum report_format *f)
{
	if (!strcmp(name, "text"))
		*f = REPORT_TEXT;
	else if (!strcmp(name, "json"))
		*f = REPORT_JSON;
	else if (!strcmp(name, "sarif"))
		*f = REPORT_SARIF;
	else
		return false;
	return true;
}

/* ---- The end column, checked against the source ---- */

/* Bytes of the UTF-8 character at p (1 for a byte that starts none). */
static size_t char_len(const unsigned char *p, const unsigned char *end)
{
	size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
		 : (*p & 0xF8) == 0xF0 ? 4 : 1;

	return (size_t)(end - p) < n ? 1 : n;
}

/* The column just past a quoted scalar whose opening quote is at p (column
 * col), or 0 when it does not close on this line. */
static int quoted_end(const unsigned char *p, const unsigned char *end, int col)
{
	unsigned char q = *p;

	for (p++, col++; p < end; col++) {
		if (*p == q && q == '\'' && p + 1 < end && p[1] == '\'') {
			p += 2;
			col++;
			continue;
		}
		if (*p == q)
			return col + 1;
		if (q == '"' && *p == '\\' && p + 1 < end) {
			p++;
			col++;
		}
		p += char_len(p, end);
	}
	return 0;
}

/* end_col when the plain scalar at p (column col) really ends there on this
 * line: its last character is not blank and what follows ends a scalar. */
static int plain_end(const unsigned char *p, const unsigned char *end, int col, int end_col)
{
	const unsigned char *last = NULL;

	for (; col < end_col; col++) {
		if (p >= end)
			return 0;
		last = p;
		p += char_len(p, end);
	}
	if (!last || *last == ' ' || *last == '\t')
		return 0;
	if (p < end && *p != ' ' && *p != '\t' && *p != ':' && *p != ',' && *p != ']' && *p != '}')
		return 0;
	return end_col;
}

int diag_end_col(const struct diag *g, struct source *sc)
{
	const unsigned char *p, *end;
	const char *start;
	size_t n;
	int col;

	if (g->end_col <= g->col || g->line <= 0 || g->col <= 0 || !g->file[0] ||
	    !source_line(sc, g->file, g->line, &start, &n))
		return 0;
	p = (const unsigned char *)start;
	end = p + n;
	/* libyaml does not count a byte order mark on line 1. */
	if (g->line == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	for (col = 1; col < g->col; col++) {
		if (p >= end)
			return 0;
		p += char_len(p, end);
	}
	if (p >= end || *p == '|' || *p == '>')
		return 0;
	if (*p == '"' || *p == '\'')
		return quoted_end(p, end, col);
	return plain_end(p, end, col, g->end_col);
}

/* ---- Output ---- */

/* A buffer written to a stream in pieces; the first failure is kept. */
struct out {
	struct buf b;
	FILE *f;
	int err;       /* 0, or the errno of the first failed write */
};

static void out_flush(struct out *o, bool force)
{
	if (!o->b.len || (!force && o->b.len < REPORT_CHUNK))
		return;
	if (!o->err && fwrite(o->b.ptr, 1, o->b.len, o->f) != o->b.len)
		o->err = errno ? errno : EIO;
	buf_reset(&o->b);
}

static bool out_finish(struct out *o)
{
	out_flush(o, true);
	if (!o->err && fflush(o->f) != 0)
		o->err = errno ? errno : EIO;
	buf_release(&o->b);
	errno = o->err;
	return !o->err;
}

/* A JSON string of s[0..len), which is valid UTF-8: quotes, backslashes and
 * control characters escaped (\n, else \u00XX), everything else as it is. */
static void json_raw(struct buf *b, const char *s, size_t len)
{
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c == '\n') {
			buf_adds(b, "\\n");
		} else if (c < 0x20 || c == 0x7F) {
			buf_addf(b, "\\u%04x", c);
		} else {
			buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

static void json_str(struct buf *b, const char *s)
{
	json_raw(b, s, strlen(s));
}

/* A JSON string of a text as the user sees it: diag_escape() first, so
 * that the string is valid UTF-8 and shows control, format and stray bytes
 * as the text mode does (\x1b, \u202e, \xff). */
static void json_text(struct buf *b, const char *s)
{
	struct buf esc = BUF_INIT;

	diag_escape(&esc, s, strlen(s));
	json_raw(b, esc.ptr, esc.len);
	buf_release(&esc);
}

static void json_int_or_null(struct buf *b, int v)
{
	if (v > 0)
		buf_addf(b, "%d", v);
	else
		buf_adds(b, "null");
}

/* The severity shown: a warning is an error under --strict. */
static enum severity shown_severity(const struct diags *d, const struct diag *g)
{
	return g->severity == SEV_WARNING && d->strict ? SEV_ERROR : g->severity;
}

/* The index just past item i and the notes that follow it. */
static size_t notes_end(const struct diags *d, size_t i)
{
	size_t j = i + 1;

	while (j < d->n && d->items[j].parent && d->items[j].parent == d->items[i].seq + 1)
		j++;
	return j;
}

/* The source lines of diagnostics and of notes, kept apart: a note may
 * point into another file, and each cache keeps one file. */
struct sources {
	struct source diags, notes;
};

/* ---- JSON ---- */

static void json_place(struct buf *b, const struct diag *g)
{
	buf_adds(b, "\"file\": ");
	if (g->file[0])
		json_text(b, g->file);
	else
		buf_adds(b, "null");
	buf_adds(b, ", \"line\": ");
	json_int_or_null(b, g->line);
	buf_adds(b, ", \"column\": ");
	json_int_or_null(b, g->line > 0 ? g->col : 0);
}

static void json_note(struct buf *b, const struct diag *g, struct source *sc)
{
	buf_adds(b, "{");
	json_place(b, g);
	buf_adds(b, ", \"endColumn\": ");
	json_int_or_null(b, diag_end_col(g, sc));
	buf_adds(b, ", \"message\": ");
	json_text(b, g->message);
	buf_adds(b, "}");
}

/* items[i] with its notes items[i + 1 .. end). */
static void json_diag(struct buf *b, const struct diags *d, size_t i, size_t end,
		      struct sources *sc)
{
	const struct diag *g = &d->items[i];
	size_t j;

	buf_adds(b, "{");
	json_place(b, g);
	buf_adds(b, ", \"endColumn\": ");
	json_int_or_null(b, diag_end_col(g, &sc->diags));
	buf_addf(b, ", \"severity\": \"%s\", \"rule\": ", diag_severity_name(shown_severity(d, g)));
	json_str(b, g->rule);
	buf_adds(b, ", \"message\": ");
	json_text(b, g->message);
	buf_adds(b, ", \"hint\": ");
	if (g->hint)
		json_text(b, g->hint);
	else
		buf_adds(b, "null");
	buf_adds(b, ", \"notes\": [");
	for (j = i + 1; j < end; j++) {
		buf_adds(b, j > i + 1 ? ", " : "");
		json_note(b, &d->items[j], &sc->notes);
	}
	buf_adds(b, "]}");
}

bool report_json(const struct diags *d, FILE *f)
{
	struct out o = {BUF_INIT, f, 0};
	struct sources sc;
	size_t i, end, k = 0;

	source_init(&sc.diags);
	source_init(&sc.notes);
	buf_adds(&o.b, "[");
	for (i = 0; i < d->n; i = end) {
		end = notes_end(d, i);
		buf_adds(&o.b, k++ ? ",\n" : "\n");
		json_diag(&o.b, d, i, end, &sc);
		out_flush(&o, false);
	}
	buf_adds(&o.b, k ? "\n]\n" : "]\n");
	source_release(&sc.diags);
	source_release(&sc.notes);
	return out_finish(&o);
}

/* ---- SARIF ---- */

/* The distinct files of the diagnostics, sorted: SARIF's artifacts. */
struct artifacts {
	const char **files;   /* borrowed from the diagnostics */
	size_t n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void artifacts_init(struct artifacts *a, const struct diags *d)
{
	size_t i, k = 0;

	a->files = xmalloc((d->n ? d->n : 1) * sizeof(*a->files));
	for (i = 0; i < d->n; i++)
		if (d->items[i].file[0])
			a->files[k++] = d->items[i].file;
	qsort(a->files, k, sizeof(*a->files), cmp_str);
	a->n = 0;
	for (i = 0; i < k; i++)
		if (!a->n || strcmp(a->files[a->n - 1], a->files[i]) != 0)
			a->files[a->n++] = a->files[i];
}

static size_t artifacts_index(const struct artifacts *a, const char *file)
{
	const char **p = bsearch(&file, a->files, a->n, sizeof(*a->files), cmp_str);

	return p ? (size_t)(p - a->files) : 0;
}

/* A path as a URI reference: every byte but A-Z a-z 0-9 - . _ ~ and /
 * percent-encoded. */
static void add_uri_path(struct buf *b, const char *path)
{
	const unsigned char *p;

	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			buf_addc(b, (char)*p);
		else
			buf_addf(b, "%%%02X", *p);
	}
}

/* artifactLocation's uri and uriBaseId: a relative path is relative to
 * %SRCROOT% (its "./" dropped); an absolute one is a file: URI. */
static void sarif_uri(struct buf *b, const char *file)
{
	struct buf u = BUF_INIT;

	while (file[0] == '.' && file[1] == '/')
		file += 2;
	if (file[0] == '/')
		buf_adds(&u, "file://");
	add_uri_path(&u, file);
	buf_adds(b, "\"uri\": ");
	json_raw(b, u.ptr, u.len);
	if (file[0] != '/')
		buf_adds(b, ", \"uriBaseId\": \"" SARIF_BASE "\"");
	buf_release(&u);
}

static void sarif_physical(struct buf *b, const struct diag *g, const struct artifacts *a,
			   struct source *sc)
{
	int end = diag_end_col(g, sc);

	buf_adds(b, "\"physicalLocation\": {\"artifactLocation\": {");
	sarif_uri(b, g->file);
	buf_addf(b, ", \"index\": %zu}", artifacts_index(a, g->file));
	if (g->line > 0) {
		buf_addf(b, ", \"region\": {\"startLine\": %d", g->line);
		if (g->col > 0)
			buf_addf(b, ", \"startColumn\": %d", g->col);
		if (g->col > 0 && end > g->col)
			buf_addf(b, ", \"endColumn\": %d", end);
		buf_adds(b, "}");
	} else {
		/* About the whole file: its first line, where code scanning
		 * shows such a finding. */
		buf_adds(b, ", \"region\": {\"startLine\": 1}");
	}
	buf_adds(b, "}");
}

/* The message, and the hint on a line of its own: code scanning shows
 * message.text, and a hint is half of what briefgen says. */
static void sarif_message(struct buf *b, const struct diag *g)
{
	struct buf t = BUF_INIT;

	diag_escape(&t, g->message, strlen(g->message));
	if (g->hint) {
		buf_addc(&t, '\n');
		buf_adds(&t, _("hint: "));
		diag_escape(&t, g->hint, strlen(g->hint));
	}
	buf_adds(b, "\"message\": {\"text\": ");
	json_raw(b, t.ptr, t.len);
	buf_adds(b, "}");
	buf_release(&t);
}

static void sarif_related(struct buf *b, const struct diags *d, size_t i, size_t end,
			  const struct artifacts *a, struct source *sc)
{
	size_t j;

	buf_adds(b, ", \"relatedLocations\": [");
	for (j = i + 1; j < end; j++) {
		const struct diag *g = &d->items[j];

		buf_addf(b, "%s{\"id\": %zu", j > i + 1 ? ", " : "", j - i);
		if (g->file[0]) {
			buf_adds(b, ", ");
			sarif_physical(b, g, a, sc);
		}
		buf_adds(b, ", \"message\": {\"text\": ");
		json_text(b, g->message);
		buf_adds(b, "}}");
	}
	buf_adds(b, "]");
}

static const char *sarif_level(enum severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

static void sarif_result(struct buf *b, const struct diags *d, size_t i, size_t end,
			 const struct artifacts *a, struct sources *sc)
{
	const struct diag *g = &d->items[i];
	const struct diag_rule *r = diag_rule_find(g->rule);

	buf_adds(b, "{\"ruleId\": ");
	json_str(b, g->rule);
	if (r)
		buf_addf(b, ", \"ruleIndex\": %zu", (size_t)(r - diag_rules));
	buf_addf(b, ", \"level\": \"%s\", ", sarif_level(shown_severity(d, g)));
	sarif_message(b, g);
	if (g->file[0]) {
		buf_adds(b, ", \"locations\": [{");
		sarif_physical(b, g, a, &sc->diags);
		buf_adds(b, "}]");
	}
	if (end > i + 1)
		sarif_related(b, d, i, end, a, &sc->notes);
	if (g->hint) {
		buf_adds(b, ", \"properties\": {\"hint\": ");
		json_text(b, g->hint);
		buf_adds(b, "}");
	}
	buf_adds(b, "}");
}

static const char *rule_default_level(enum rule_level level)
{
	switch (level) {
	case RULE_WARNING: return "warning";
	case RULE_NOTE: return "note";
	case RULE_ERROR:
	case RULE_ERROR_OR_WARNING: break;
	}
	return "error";
}

/* A rule's friendly name, as SARIF wants it: its id in Pascal case
 * ("unknown-key" -> "UnknownKey"). */
static void add_pascal_name(struct buf *b, const char *id)
{
	bool up = true;

	for (; *id; id++) {
		if (*id == '-') {
			up = true;
			continue;
		}
		buf_addc(b, up && *id >= 'a' && *id <= 'z' ? (char)(*id - 'a' + 'A') : *id);
		up = false;
	}
}

static void sarif_driver(struct buf *b)
{
	const struct diag_rule *r;

	buf_adds(b, "\"tool\": {\"driver\": {\"name\": \"briefgen\", \"version\": ");
	json_str(b, BRIEFGEN_VERSION);
#ifdef BRIEFGEN_URL
	buf_adds(b, ", \"informationUri\": ");
	json_str(b, BRIEFGEN_URL);
#endif
	buf_adds(b, ", \"rules\": [");
	for (r = diag_rules; r->id; r++) {
		buf_adds(b, r == diag_rules ? "\n" : ",\n");
		buf_adds(b, "{\"id\": ");
		json_str(b, r->id);
		/* One word would give a name equal to the id, which SARIF
		 * forbids. */
		if (strchr(r->id, '-')) {
			buf_adds(b, ", \"name\": \"");
			add_pascal_name(b, r->id);
			buf_addc(b, '"');
		}
		buf_adds(b, ", \"shortDescription\": {\"text\": ");
		json_str(b, r->description);
		buf_addf(b, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}",
			 rule_default_level(r->level));
	}
	buf_adds(b, "]}}");
}

static void sarif_run_head(struct buf *b, const char *root, const struct artifacts *a)
{
	size_t i;

	buf_adds(b, ",\n\"language\": ");
	json_str(b, intl_language());
	buf_adds(b, ", \"columnKind\": \"unicodeCodePoints\"");
	if (root && root[0] == '/') {
		buf_adds(b, ",\n\"originalUriBaseIds\": {\"" SARIF_BASE "\": {\"uri\": \"");
		buf_adds(b, "file://");
		add_uri_path(b, root);
		buf_adds(b, root[strlen(root) - 1] == '/' ? "\"}}" : "/\"}}");
	}
	buf_adds(b, ",\n\"artifacts\": [");
	for (i = 0; i < a->n; i++) {
		buf_adds(b, i ? ",\n{\"location\": {" : "\n{\"location\": {");
		sarif_uri(b, a->files[i]);
		buf_adds(b, "}, \"roles\": [\"analysisTarget\"]}");
	}
	buf_adds(b, "]");
}

bool report_sarif(const struct diags *d, const char *root, FILE *f)
{
	struct out o = {BUF_INIT, f, 0};
	struct artifacts a;
	struct sources sc;
	size_t i, end, k = 0;

	artifacts_init(&a, d);
	source_init(&sc.diags);
	source_init(&sc.notes);
	buf_adds(&o.b, "{\"$schema\": \"" SARIF_SCHEMA "\",\n\"version\": \"2.1.0\",\n\"runs\": [{\n");
	sarif_driver(&o.b);
	sarif_run_head(&o.b, root, &a);
	buf_adds(&o.b, ",\n\"results\": [");
	for (i = 0; i < d->n; i = end) {
		end = notes_end(d, i);
		buf_adds(&o.b, k++ ? ",\n" : "\n");
		sarif_result(&o.b, d, i, end, &a, &sc);
		out_flush(&o, false);
	}
	buf_adds(&o.b, "]\n}]}\n");
	free(a.files);
	source_release(&sc.diags);
	source_release(&sc.notes);
	return out_finish(&o);
}

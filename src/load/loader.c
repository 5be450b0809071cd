#include "loader.h"

#include <dirent.h>
#include <errno.h>
#include <stdalign.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/bytes.h"
#include "../util/intl.h"
#include "../util/spin.h"
#include "../util/strmap.h"
#include "syntax.h"
#include "text.h"

#define LOAD_SIZE_HINT \
	_("a content file is normally a few KB; check that nothing else was pasted into it")

/* Diagnostics show the lines of a briefing.yaml of any size allowed. */
_Static_assert(LOAD_MAX_BRIEFING <= DIAG_SOURCE_MAX, "briefing.yaml's cap passes DIAG_SOURCE_MAX");
_Static_assert(LOAD_MAX_BRIEFING % (1024 * 1024) == 0 && LOAD_MAX_FILE == 256 * 1024,
	       "the messages say 256 KiB and a whole number of MiB");

/* The error for a file over max bytes (len: its size, 0 when not known).
 * A limit other than LOAD_MAX_FILE is briefing.yaml's, explained. */
static void report_too_big(struct diags *diags, const char *display, size_t len, size_t max)
{
	if (max != LOAD_MAX_FILE)
		diags_add(diags, SEV_ERROR, display, 0, 0, LOAD_SIZE_HINT,
			  "file is larger than the limit of %zu bytes (256 KiB and %d bytes for "
			  "each file in partners/, at most %d MiB)", max,
			  LOAD_BRIEFING_PER_PARTNER, LOAD_MAX_BRIEFING / (1024 * 1024));
	else if (len)
		diags_add(diags, SEV_ERROR, display, 0, 0, LOAD_SIZE_HINT,
			  "file is %zu bytes, larger than the limit of %d bytes (256 KiB)", len,
			  LOAD_MAX_FILE);
	else
		diags_add(diags, SEV_ERROR, display, 0, 0, LOAD_SIZE_HINT,
			  "file is larger than the limit of %d bytes (256 KiB)", LOAD_MAX_FILE);
}

size_t load_briefing_limit(size_t partner_files)
{
	size_t room = (LOAD_MAX_BRIEFING - LOAD_MAX_FILE) / LOAD_BRIEFING_PER_PARTNER;

	if (partner_files >= room)
		return LOAD_MAX_BRIEFING;
	return LOAD_MAX_FILE + partner_files * LOAD_BRIEFING_PER_PARTNER;
}

size_t load_count_partner_files(const char *dir)
{
	char *path = xasprintf("%s/partners", dir);
	DIR *d = opendir(path);
	struct dirent *de;
	size_t n = 0, len;

	free(path);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] != '.' && len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0)
			n++;
	}
	closedir(d);
	return n;
}

size_t load_limit_for(const char *path)
{
	const char *base = strrchr(path, '/');
	char *dir;
	size_t max;

	base = base ? base + 1 : path;
	if (strcmp(base, "briefing.yaml") != 0)
		return LOAD_MAX_FILE;
	dir = base == path ? xstrdup(".") : xstrndup(path, (size_t)(base - 1 - path));
	max = load_briefing_limit(load_count_partner_files(*dir ? dir : "/"));
	free(dir);
	return max;
}

/* A place in the text: libyaml's character index, the byte it starts at,
 * and the 1-based line and column a reader sees (lines end at '\n' only,
 * as the diagnostics printer counts them). */
struct cursor {
	size_t index, byte;
	int line, col;
};

struct loader {
	const char *display;   /* in the arena */
	struct arena *arena;
	struct diags *diags;
	yaml_parser_t *parser;   /* a spare's (parser_take) */
	const char *text;      /* the whole input, len bytes */
	size_t len;
	int depth;
	bool failed;
	bool marks_agree;      /* libyaml's lines and columns are the file's (no lone CR) */
	bool plain;            /* no tab and no format character in the file (check_utf8) */
	bool backslash;        /* a backslash in the file: perhaps an escape in double quotes */
	struct cursor start;   /* the first character (after a BOM) */
	struct cursor cur;     /* the last place located: marks come mostly in order */
	const char *key;       /* the key whose value is being parsed; NULL: a key */
	unsigned char *stack;  /* children of the open collections (stack_open) */
	size_t top, cap;
};

/*
 * Where libyaml's mark is, counted from its character index.  libyaml's
 * own line and column drift from the file's in a file with a lone CR,
 * which libyaml ends a line at (as it would at NEL, U+2028 and U+2029,
 * refused before libyaml sees the file); place() takes them as they are
 * in any other file.
 */
static struct cursor locate(struct loader *ld, size_t index)
{
	struct cursor *c = &ld->cur;
	const unsigned char *t = (const unsigned char *)ld->text;

	if (index < c->index)
		*c = ld->start;
	while (c->index < index && c->byte < ld->len) {
		unsigned char b = t[c->byte];

		/* Eight ASCII characters on one line at once. */
		if (index - c->index >= 8 && ld->len - c->byte >= 8) {
			uint64_t w = bytes_load8(t + c->byte);

			if (!bytes_any_high(w) && !bytes_any_eq(w, '\n')) {
				c->byte += 8;
				c->index += 8;
				c->col += 8;
				continue;
			}
		}

		if (b == '\n') {
			c->line++;
			c->col = 1;
		} else {
			c->col++;
		}
		c->byte += b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : 4;
		c->index++;
	}
	return *c;
}

/* libyaml marks are 0-based; diagnostics are 1-based. */
static void place(struct node *n, struct loader *ld, yaml_mark_t m)
{
	struct cursor c;

	n->file = ld->display;
	if (ld->marks_agree) {
		/* No line end but LF and CRLF (check_utf8): libyaml counted
		 * the very lines and characters locate() would count again. */
		n->line = (int)m.line + 1;
		n->col = (int)m.column + 1;
		return;
	}
	c = locate(ld, m.index);
	n->line = c.line;
	n->col = c.col;
}

static size_t fail_at(struct loader *ld, yaml_mark_t m, const char *hint, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* An error at a libyaml mark; fmt is English, as for diags_add. */
static size_t fail_at(struct loader *ld, yaml_mark_t m, const char *hint, const char *fmt, ...)
{
	struct cursor c = locate(ld, m.index);
	va_list ap;
	size_t seq;

	ld->failed = true;
	va_start(ap, fmt);
	seq = diags_vadd(ld->diags, SEV_ERROR, ld->display, c.line, c.col, hint, 0, fmt, ap);
	va_end(ap);
	return seq;
}

/* A control character written into the file itself, or a BOM after its
 * start (libyaml refuses most of these itself, but at its own idea of the
 * place, and takes NEL, U+2028 and U+2029 for line ends that YAML 1.2
 * readers do not see). */
static void raw_control(const char *display, unsigned cp, int line, int col, struct diags *d)
{
	char esc[12];
	const char *name = text_char_name(cp);
	char *hint;

	text_escape(cp, esc);
	if (cp == 0xFEFF) {
		diags_add(d, SEV_ERROR, display, line, col,
			  _("remove it: a byte order mark belongs only at the very start of a file"),
			  "byte order mark \\ufeff inside the file");
		return;
	}
	hint = text_hint(cp, NULL, 0);
	diags_add(d, SEV_ERROR, display, line, col, hint, "control character %s%s%s%s in the file",
		  esc, name ? " (" : "", name ? name : "", name ? ")" : "");
	free(hint);
}

/* The line and column of a byte of a text whose bytes before it are valid
 * UTF-8, found by moving on from the last place asked for (asked in order,
 * so a whole text costs one pass however many places it reports). */
struct text_pos {
	const unsigned char *s;
	size_t i;
	int line, col;
};

static void text_pos_at(struct text_pos *p, size_t i)
{
	for (; p->i < i; p->i++) {
		if (p->s[p->i] == '\n') {
			p->line++;
			p->col = 1;
		} else if ((p->s[p->i] & 0xC0) != 0x80) {
			p->col++;   /* a character starts here */
		}
	}
}

/*
 * How many of the sixteen bytes at p, from the first on, need no look of
 * their own from check_utf8: printable ASCII, LF, and letters of two bytes
 * whose lead is C3 to DF but D8 (U+00C0 to U+07FF but U+0600 to U+063F:
 * valid, no control, no format character), both bytes in the sixteen.  A
 * continuation byte not after such a lead, or such a lead not before one,
 * stops it.  Without SSE2: printable ASCII and LF.
 */
static inline unsigned easy_prefix16(const unsigned char *p)
{
#ifdef __SSE2__
	__m128i v = _mm_loadu_si128((const __m128i *)p);
	__m128i ascii = _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)),
						   _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F))),
				     _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
	unsigned a = (unsigned)_mm_movemask_epi8(ascii), l, c, bad;

	if (a == 0xFFFF)
		return 16;
	/* Signed bytes: C3..DF are -61..-33, 80..BF are below -64. */
	l = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(
		_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xD8)),
		_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xC2)),
			      _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xE0)))));
	c = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0)));
	bad = (~(a | l | c) | (c & ~(l << 1)) | (l & ~(c >> 1))) & 0xFFFF;
	return bad ? (unsigned)__builtin_ctz(bad) : 16;
#else
	return bytes_plain_prefix16(p, '\n', '\n');
#endif
}

#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
/*
 * easy_prefix16's test, thirty-two bytes a step, in one run over the text
 * (one call per stop, not per block): the marks of printable ASCII or LF
 * (a), of leads C3 to DF but D8 (l) and of continuation bytes (c) give the
 * bytes that stop it.  A byte is printable ASCII when one more than it,
 * as a signed byte, is over 0x20.  With AVX2 where the processor has it
 * (checked when it runs: the build is for any x86-64), else SSE2 in two
 * halves.
 */
#define EASY_AVX2 1
#include <immintrin.h>

static bool scan_wide = true;   /* load_scan_wide() */

static inline uint32_t easy_stops(uint32_t a, uint32_t l, uint32_t c)
{
	return ~(a | l | c) | (c & ~(l << 1)) | (l & ~(c >> 1));
}

static inline uint32_t sse_ascii(__m128i v)
{
	return (uint32_t)_mm_movemask_epi8(
		_mm_or_si128(_mm_cmpgt_epi8(_mm_add_epi8(v, _mm_set1_epi8(1)), _mm_set1_epi8(0x20)),
			     _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
}

static inline uint32_t sse_lead(__m128i v)
{
	return (uint32_t)_mm_movemask_epi8(_mm_andnot_si128(
		_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xD8)),
		_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xC2)),
			      _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xE0)))));
}

static inline uint32_t sse_cont(__m128i v)
{
	return (uint32_t)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0)));
}

static size_t easy_run_sse2(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; n - i >= 32; i += 32) {
		__m128i v0 = _mm_loadu_si128((const __m128i *)(s + i));
		__m128i v1 = _mm_loadu_si128((const __m128i *)(s + i + 16));
		uint32_t a = sse_ascii(v0) | sse_ascii(v1) << 16, stops;

		if (a == UINT32_MAX)
			continue;
		stops = easy_stops(a, sse_lead(v0) | sse_lead(v1) << 16,
				   sse_cont(v0) | sse_cont(v1) << 16);
		if (stops)
			return i + (unsigned)__builtin_ctz(stops);
	}
	return i;
}

__attribute__((target("avx2"))) static size_t easy_run_avx2(const unsigned char *s, size_t n)
{
	size_t i;

	for (i = 0; n - i >= 32; i += 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(s + i));
		uint32_t a = (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(
			_mm256_cmpgt_epi8(_mm256_add_epi8(v, _mm256_set1_epi8(1)),
					  _mm256_set1_epi8(0x20)),
			_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'))));
		uint32_t l, c, stops;

		if (a == UINT32_MAX)
			continue;
		l = (uint32_t)_mm256_movemask_epi8(_mm256_andnot_si256(
			_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xD8)),
			_mm256_and_si256(_mm256_cmpgt_epi8(v, _mm256_set1_epi8((char)0xC2)),
					 _mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xE0), v))));
		c = (uint32_t)_mm256_movemask_epi8(_mm256_cmpgt_epi8(_mm256_set1_epi8((char)0xC0), v));
		stops = easy_stops(a, l, c);
		if (stops)
			return i + (unsigned)__builtin_ctz(stops);
	}
	return i;
}
#endif

void load_scan_wide(bool on)
{
#ifdef EASY_AVX2
	scan_wide = on;
#else
	(void)on;
#endif
}

/* How many bytes from s need no look of their own from check_utf8 (as
 * easy_prefix16 says), in steps of 32: it stops at a byte that may need
 * one, or with under 32 bytes left (n >= 32). */
static size_t easy_run(const unsigned char *s, size_t n)
{
#ifdef EASY_AVX2
	if (scan_wide && __builtin_cpu_supports("avx2"))
		return easy_run_avx2(s, n);
	return easy_run_sse2(s, n);
#else
	size_t i = 0;
	unsigned run;

	while (n - i >= 32) {
		run = easy_prefix16(s + i);
		i += run;
		if (run < 16)
			break;
	}
	return i;
#endif
}

/* Find the first invalid UTF-8 sequence or NUL byte, and every control
 * character written raw; report their places.  Runs of printable ASCII
 * and two-byte letters are stepped over thirty-two bytes at a time
 * (easy_run), then sixteen (easy_prefix16), of printable ASCII eight at a
 * time near the end; places
 * are counted only for a report.  *lone_cr: a CR not followed by LF was
 * seen.  *plain: the file holds no tab and no format character (text.h). */
static bool check_utf8(const char *display, const unsigned char *s, size_t len, struct diags *d,
		       bool *lone_cr, bool *plain)
{
	size_t i = 0;
	struct text_pos at = {s, 0, 1, 1};
	bool ok = true;

	*plain = true;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = at.i = 3;
	while (i < len) {
		unsigned char c;
		size_t n, k;
		unsigned cp;

		if (len - i >= 32) {
			i += easy_run(s + i, len - i);
			if (len - i < 32)
				continue;   /* the last bytes: the steps below */
		} else if (len - i >= 16) {
			unsigned run = easy_prefix16(s + i);

			i += run;
			if (run == 16)
				continue;
		} else if (len - i >= 8) {
			unsigned run = bytes_printable_prefix(s + i);

			i += run;
			if (run == 8)
				continue;
		}
		c = s[i];
		if ((c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t') {
			*plain = *plain && c != '\t';
			i++;
			continue;
		}
		if (c == '\r') {
			if (i + 1 == len || s[i + 1] != '\n')
				*lone_cr = true;
			i++;
			continue;
		}
		/* A letter of two bytes (U+00A0 to U+07FF: the accented Latin
		 * ones): valid, no control and no format character but U+061C
		 * (D8 9C), so nothing below to check. */
		if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80 &&
		    (c != 0xC2 || s[i + 1] >= 0xA0) && (c != 0xD8 || s[i + 1] != 0x9C)) {
			i += 2;
			continue;
		}
		n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
		  : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (c == 0) {
			text_pos_at(&at, i);
			diags_add(d, SEV_ERROR, display, at.line, at.col,
				  _("remove it; a YAML file is text"), "NUL byte in file");
			return false;
		}
		if (n == 0 || i + n > len)
			goto bad;
		cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			goto bad;
		if ((cp == 0x061C || (cp >= 0x200B && cp <= 0x2069) || cp == 0xFEFF) &&
		    text_is_format(cp))
			*plain = false;
		/* A CR is a line end (CRLF) wherever it is written raw.  (The
		 * controls are below U+00A0 but U+2028 and U+2029.) */
		if ((cp < 0xA0 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) &&
		    ((text_is_control(cp) && cp != '\r') || cp == 0xFEFF)) {
			text_pos_at(&at, i);
			raw_control(display, cp, at.line, at.col, d);
			ok = false;
		}
		i += n;
	}
	return ok;
bad:
	text_pos_at(&at, i);
	diags_add(d, SEV_ERROR, display, at.line, at.col,
		  _("save the file as UTF-8 (most editors: \"Save with encoding\" > UTF-8)"),
		  "invalid UTF-8 byte 0x%02X", s[i]);
	return false;
}

static struct node *parse_node(struct loader *ld, yaml_event_t *ev);

static bool next_event(struct loader *ld, yaml_event_t *ev)
{
	yaml_parser_t *p = ld->parser;
	struct syntax_error e;
	struct cursor at, ctx;
	yaml_mark_t m;

	if (yaml_parser_parse(p, ev))
		return true;
	/* A scanner error reports its place in problem_mark; the parser
	 * sometimes leaves it zero and uses context_mark. */
	m = p->problem_mark;
	if (!m.line && !m.column && p->context)
		m = p->context_mark;
	memset(&e, 0, sizeof(e));
	if (p->context) {
		ctx = locate(ld, p->context_mark.index);
		e.context_line = ctx.line;
		e.context_col = ctx.col;
	}
	at = locate(ld, m.index);
	e.display = ld->display;
	e.text = ld->text;
	e.len = ld->len;
	e.problem = p->problem;
	e.context = p->context;
	e.line = at.line;
	e.col = at.col;
	syntax_report(&e, ld->diags);
	ld->failed = true;
	return false;
}

static bool refuse_anchor_tag(struct loader *ld, yaml_event_t *ev, const yaml_char_t *anchor,
			      const yaml_char_t *tag, int implicit)
{
	if (anchor) {
		fail_at(ld, ev->start_mark, _("write the value out in full where it is needed"),
			"anchors and aliases are not supported");
		return true;
	}
	if (tag && !implicit) {
		fail_at(ld, ev->start_mark, _("remove the tag; briefgen types values by field"),
			"YAML tags are not supported");
		return true;
	}
	return false;
}

static struct node *new_node(struct loader *ld, enum node_kind kind, yaml_event_t *ev)
{
	struct node *n = arena_alloc(ld->arena, sizeof(*n));
	n->kind = kind;
	place(n, ld, ev->start_mark);
	return n;
}

/* ---- what a scalar's value may hold -------------------------------------- */

/* One character of a scalar's value, found in the source. */
struct found {
	struct loader *ld;
	struct node *n;
	struct node_chars *chars;   /* in the arena, made on the first tab or format character */
	size_t controls;            /* control characters reported */
};

/* The key a value belongs to, for a message; never a key that itself holds
 * a character a message must not show. */
static const char *where(const struct loader *ld, struct buf *b)
{
	const char *k = ld->key, *p;
	unsigned cp;
	size_t len;

	buf_reset(b);
	if (!k) {
		buf_adds(b, "a key");
		return b->ptr;
	}
	len = strlen(k);
	for (p = k; p < k + len; p += text_decode(p, (size_t)(k + len - p), &cp)) {
		text_decode(p, (size_t)(k + len - p), &cp);
		if (cp < 0x20 || text_is_control(cp) || text_is_format(cp))
			break;
	}
	if (p < k + len || len > 64)
		buf_adds(b, "a value");
	else
		buf_addf(b, "'%s'", k);
	return b->ptr;
}

/* The value character cp stands at line:col of the source. */
static void found_char(struct found *f, unsigned cp, int line, int col)
{
	struct node_chars *c;

	if (text_is_control(cp)) {
		struct buf w = BUF_INIT;
		char esc[12], *hint = text_hint(cp, f->n->value, f->n->len);
		const char *name = text_char_name(cp);

		text_escape(cp, esc);
		diags_add(f->ld->diags, SEV_ERROR, f->ld->display, line, col, hint,
			  "control character %s%s%s%s in %s", esc, name ? " (" : "",
			  name ? name : "", name ? ")" : "", where(f->ld, &w));
		buf_release(&w);
		free(hint);
		f->ld->failed = true;
		f->controls++;
		return;
	}
	if (cp != '\t' && !text_is_format(cp))
		return;
	if (!f->chars)
		f->chars = arena_alloc(f->ld->arena, sizeof(*f->chars));
	c = f->chars;
	if (cp == '\t') {
		if (!c->tab_line) {
			c->tab_line = line;
			c->tab_col = col;
		}
		return;
	}
	if (!c->nformat++) {
		c->format = cp;
		c->format_line = line;
		c->format_col = col;
	}
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	     : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A double-quoted scalar's escape at s (s[0] is the backslash): the
 * character it writes and its length, or 0 for an escaped line end. */
static size_t escape_at(const char *s, const char *end, unsigned *cp)
{
	size_t digits, k;

	if (s + 1 >= end) {
		*cp = '\\';
		return 1;
	}
	switch (s[1]) {
	case '\n': case '\r': return 0;
	case '0': *cp = 0x00; return 2;
	case 'a': *cp = 0x07; return 2;
	case 'b': *cp = 0x08; return 2;
	case 't': case '\t': *cp = 0x09; return 2;
	case 'n': *cp = 0x0A; return 2;
	case 'v': *cp = 0x0B; return 2;
	case 'f': *cp = 0x0C; return 2;
	case 'r': *cp = 0x0D; return 2;
	case 'e': *cp = 0x1B; return 2;
	case 'N': *cp = 0x85; return 2;
	case '_': *cp = 0xA0; return 2;
	case 'L': *cp = 0x2028; return 2;
	case 'P': *cp = 0x2029; return 2;
	case 'x': digits = 2; break;
	case 'u': digits = 4; break;
	case 'U': digits = 8; break;
	default: *cp = (unsigned char)s[1]; return 2;   /* \" \\ \/ and space */
	}
	*cp = 0;
	for (k = 0; k < digits && s + 2 + k < end && hexval(s[2 + k]) >= 0; k++)
		*cp = *cp * 16 + (unsigned)hexval(s[2 + k]);
	return 2 + k;
}

/*
 * Walk a scalar's source text and give found_char every character of its
 * value with its place: the raw ones, and in double quotes the ones an
 * escape writes (at the backslash).  White space that folding drops (at
 * the start of a continuation line, before a line end) is not given.
 */
static void scan_scalar(struct found *f, const yaml_event_t *ev)
{
	struct loader *ld = f->ld;
	struct cursor a = locate(ld, ev->start_mark.index);
	struct cursor z = locate(ld, ev->end_mark.index);
	const char *s = ld->text + a.byte, *end = ld->text + z.byte, *q;
	yaml_scalar_style_t style = ev->data.scalar.style;
	bool block = style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE;
	bool dq = style == YAML_DOUBLE_QUOTED_SCALAR_STYLE, sq = style == YAML_SINGLE_QUOTED_SCALAR_STYLE;
	bool line_start = false;
	int line = a.line, col = a.col;
	unsigned cp;
	size_t n;

	if (block) {
		/* The header line (| or > and perhaps a comment) is not the value. */
		while (s < end && *s != '\n')
			s++;
	} else if ((dq || sq) && s < end) {
		s++;
		col++;
		if (end > s && end[-1] == (dq ? '"' : '\''))
			end--;
	}
	while (s < end) {
		if (*s == '\n') {
			line++;
			col = 1;
			s++;
			line_start = true;
			continue;
		}
		if (*s == '\r') {
			s++;
			col++;
			continue;
		}
		if (*s == ' ' || *s == '\t') {
			for (q = s; q < end && (*q == ' ' || *q == '\t'); q++)
				;
			if (block ? *s == ' ' : line_start || (q < end && (*q == '\n' || *q == '\r'))) {
				s++;
				col++;
				continue;
			}
		}
		line_start = false;
		if (dq && *s == '\\') {
			n = escape_at(s, end, &cp);
			if (!n) {
				/* An escaped line end: the line goes on on the next. */
				s += 1 + (s[1] == '\r' && s + 2 < end && s[2] == '\n');
				col++;
				continue;
			}
			if (n > 1)
				found_char(f, cp, line, col);
			s += n;
			col += (int)n;
			continue;
		}
		if (sq && *s == '\'' && s + 1 < end && s[1] == '\'') {
			s += 2;
			col += 2;
			continue;
		}
		n = text_decode(s, (size_t)(end - s), &cp);
		found_char(f, cp, line, col);
		s += n;
		col++;
	}
}

/* Check the value of a scalar: control characters are errors here; the
 * places of tabs and format characters are kept for the decoder.  Seldom
 * called (check_utf8 finds most files plain): kept out of parse_scalar. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void check_scalar(struct loader *ld, const yaml_event_t *ev, struct node *n)
{
	struct found f = {ld, n, NULL, 0};
	size_t i = 0, controls = 0;
	unsigned cp, first = 0;
	bool tab = false, format = false;

	while (i < n->len) {
		i += text_plain_run(n->value + i, n->len - i);
		if (i == n->len)
			break;
		i += text_decode(n->value + i, n->len - i, &cp);
		if (text_is_control(cp)) {
			if (!controls++)
				first = cp;
		} else if (cp == '\t') {
			tab = true;
		} else if (text_is_format(cp)) {
			format = true;
		}
	}
	if (!controls && !tab && !format)
		return;
	scan_scalar(&f, ev);
	/* Should the walk ever miss one, the scalar's start still says where. */
	if (controls && !f.controls)
		found_char(&f, first, n->line, n->col);
	if ((tab || format) && !f.chars)
		f.chars = arena_alloc(ld->arena, sizeof(*f.chars));
	if (tab && !f.chars->tab_line) {
		f.chars->tab_line = n->line;
		f.chars->tab_col = n->col;
	}
	if (format && !f.chars->nformat) {
		for (i = 0; i < n->len; i += text_decode(n->value + i, n->len - i, &cp)) {
			text_decode(n->value + i, n->len - i, &cp);
			if (text_is_format(cp))
				break;
		}
		f.chars->format = cp;
		f.chars->nformat = 1;
		f.chars->format_line = n->line;
		f.chars->format_col = n->col;
	}
	n->chars = f.chars;
}

static struct node *parse_scalar(struct loader *ld, yaml_event_t *ev)
{
	struct node *n;

	if (refuse_anchor_tag(ld, ev, ev->data.scalar.anchor, ev->data.scalar.tag,
			      ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit))
		return NULL;
	n = new_node(ld, NODE_SCALAR, ev);
	n->value = arena_strndup(ld->arena, (const char *)ev->data.scalar.value,
				 ev->data.scalar.length);
	n->len = ev->data.scalar.length;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	/* A line break in a value is one in the source (libyaml's marks
	 * count every one it reads as such) or, in double quotes, written
	 * by an escape. */
	n->one_line = ev->start_mark.line == ev->end_mark.line &&
		      !(ld->backslash && ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE);
	/* A value holds the file's own characters (and line breaks and
	 * spaces from folding), but in double quotes also what an escape
	 * writes: in a file without a tab or format character (check_utf8
	 * has refused the controls) only a double-quoted value with a
	 * backslash in the file can hold one. */
	if (!ld->plain ||
	    (ld->backslash && ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE))
		check_scalar(ld, ev, n);
	return n;
}

/* parse_node(), a scalar (most events) without parse_node's frame. */
static inline struct node *parse_any(struct loader *ld, yaml_event_t *ev)
{
	return ev->type == YAML_SCALAR_EVENT ? parse_scalar(ld, ev) : parse_node(ld, ev);
}

/*
 * The children of the collections being parsed, on one stack of the
 * loader: a collection's children lie from its base (stack_open) up and
 * are copied into the arena when it ends (stack_close); a collection
 * inside it has ended, and given its room back, before the next child is
 * pushed.  So a file costs a few growths of one array, not an array per
 * collection.
 */
static size_t stack_open(struct loader *ld)
{
	return ld->top;
}

/* Items are pointers and pairs of them: a base is always aligned for a
 * pair (check_key reads them in place). */
_Static_assert(sizeof(struct node *) % alignof(struct node_pair) == 0 &&
	       sizeof(struct node_pair) % alignof(struct node_pair) == 0,
	       "every stack item keeps the next one aligned");

static void stack_push(struct loader *ld, const void *item, size_t size)
{
	if (ld->cap - ld->top < size) {
		ld->cap = ld->cap ? ld->cap * 2 : 1024;
		while (ld->cap - ld->top < size)
			ld->cap *= 2;
		ld->stack = xrealloc(ld->stack, ld->cap);
	}
	memcpy(ld->stack + ld->top, item, size);
	ld->top += size;
}

/* The children since base, copied into the arena (NULL for none). */
static void *stack_close(struct loader *ld, size_t base)
{
	size_t size = ld->top - base;
	void *items = arena_alloc(ld->arena, size);

	if (size)
		memcpy(items, ld->stack + base, size);
	ld->top = base;
	return items;
}

/*
 * yaml_event_delete() for the events inside a document, in their usual
 * forms: a scalar without anchor or tag owns only its value, and the start
 * of a collection without them or its end owns nothing, so what yaml_event_delete() would do comes
 * down to a free() (libyaml takes its memory from malloc(), yaml_free() is
 * free()) without clearing the event's hundred bytes, 90 000 times in a
 * build of a thousand partners.  Anything else goes to yaml_event_delete().
 * The event is not used after.
 */
static inline void event_done(yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor || ev->data.scalar.tag)
			break;
		free(ev->data.scalar.value);
		return;
	case YAML_MAPPING_START_EVENT:
		if (ev->data.mapping_start.anchor || ev->data.mapping_start.tag)
			break;
		return;
	case YAML_SEQUENCE_START_EVENT:
		if (ev->data.sequence_start.anchor || ev->data.sequence_start.tag)
			break;
		return;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		return;
	default:
		break;
	}
	yaml_event_delete(ev);
}

static struct node *parse_sequence(struct loader *ld, yaml_event_t *ev)
{
	struct node *n, *child;
	yaml_event_t cev;
	size_t base;

	if (refuse_anchor_tag(ld, ev, ev->data.sequence_start.anchor, ev->data.sequence_start.tag,
			      ev->data.sequence_start.implicit))
		return NULL;
	n = new_node(ld, NODE_SEQ, ev);
	base = stack_open(ld);
	for (;;) {
		if (!next_event(ld, &cev))
			goto fail;
		if (cev.type == YAML_SEQUENCE_END_EVENT) {
			event_done(&cev);
			break;
		}
		child = parse_any(ld, &cev);
		event_done(&cev);
		if (!child)
			goto fail;
		stack_push(ld, &child, sizeof(child));
	}
	n->n = (ld->top - base) / sizeof(child);
	n->items = stack_close(ld, base);
	return n;
fail:
	ld->top = base;
	return NULL;
}

/* Check a map's next key against its keys so far (pairs); keys holds the
 * same keys by name once there are NODE_INDEX_MIN of them (before that a
 * search in order is quicker), so a map of many keys is not quadratic.
 * *firsts marks the first bytes (modulo 64) of the keys so far: a key whose
 * first byte no key had is new without a search, as most keys are. */
static bool check_key(struct loader *ld, struct strmap *keys, struct node_pair *pairs,
		      size_t npairs, struct node *key, uint64_t *firsts)
{
	uint64_t first;
	size_t i = 0;

	if (key->kind != NODE_SCALAR) {
		diags_at(ld->diags, SEV_ERROR, key, _("write a plain name before the colon"),
			 "a key must be a scalar, not %s", node_kind_name(key->kind));
		ld->failed = true;
		return false;
	}
	if (npairs >= NODE_INDEX_MIN) {
		if (!keys->n)
			for (i = 0; i < npairs; i++)
				strmap_set(keys, pairs[i].key->value, i);
		if (!strmap_get(keys, key->value, &i))
			i = npairs;
	}
	first = UINT64_C(1) << ((unsigned char)key->value[0] & 63);
	if (!(*firsts & first))
		i = npairs;
	*firsts |= first;
	for (; i < npairs; i++) {
		if (pairs[i].key->value[0] == key->value[0] &&
		    strcmp(pairs[i].key->value, key->value) == 0) {
			size_t seq = diags_at(ld->diags, SEV_ERROR, key,
					      _("remove one of them or merge their values"),
					      "duplicate key '%s'", key->value);
			diags_note(ld->diags, seq, pairs[i].key, "'%s' first given here",
				   key->value);
			ld->failed = true;
			return false;
		}
	}
	if (npairs >= NODE_INDEX_MIN)
		strmap_set(keys, key->value, npairs);
	return true;
}

static struct node *parse_mapping(struct loader *ld, yaml_event_t *ev)
{
	struct node *n, *key, *value;
	struct node_pair pair;
	struct strmap keys;
	yaml_event_t kev, vev;
	const char *outer = ld->key;
	size_t base, npairs;
	uint64_t firsts = 0;

	if (refuse_anchor_tag(ld, ev, ev->data.mapping_start.anchor, ev->data.mapping_start.tag,
			      ev->data.mapping_start.implicit))
		return NULL;
	n = new_node(ld, NODE_MAP, ev);
	strmap_init(&keys);
	base = stack_open(ld);
	for (;;) {
		if (!next_event(ld, &kev))
			goto fail;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			event_done(&kev);
			break;
		}
		ld->key = NULL;
		key = parse_any(ld, &kev);
		event_done(&kev);
		if (!key)
			goto fail;
		if (!next_event(ld, &vev))
			goto fail;
		ld->key = key->kind == NODE_SCALAR ? key->value : outer;
		value = parse_any(ld, &vev);
		ld->key = outer;
		event_done(&vev);
		if (!value)
			goto fail;
		npairs = (ld->top - base) / sizeof(pair);
		if (npairs >= LOAD_MAX_KEYS) {
			diags_at(ld->diags, SEV_ERROR, key,
				 _("no briefgen mapping has this many fields; check the indentation"),
				 "more than %d keys in one mapping", LOAD_MAX_KEYS);
			ld->failed = true;
			goto fail;
		}
		if (!check_key(ld, &keys, (struct node_pair *)(ld->stack + base), npairs, key,
			       &firsts))
			continue;   /* keep going: report every duplicate */
		pair.key = key;
		pair.value = value;
		stack_push(ld, &pair, sizeof(pair));
	}
	n->n = (ld->top - base) / sizeof(pair);
	n->pairs = stack_close(ld, base);
	if (n->n >= NODE_INDEX_MIN)
		n->index = node_index_new(ld->arena, n->pairs, n->n);
	strmap_release(&keys);
	return n;
fail:
	ld->top = base;
	strmap_release(&keys);
	return NULL;
}

static struct node *parse_node(struct loader *ld, yaml_event_t *ev)
{
	struct node *n = NULL;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return parse_scalar(ld, ev);
	case YAML_ALIAS_EVENT:
		fail_at(ld, ev->start_mark, _("write the value out in full where it is needed"),
			"anchors and aliases are not supported");
		return NULL;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (ld->depth >= LOAD_MAX_DEPTH) {
			fail_at(ld, ev->start_mark,
				_("flatten the structure; no briefgen field nests this deep"),
				"nesting deeper than %d levels", LOAD_MAX_DEPTH);
			return NULL;
		}
		ld->depth++;
		n = ev->type == YAML_MAPPING_START_EVENT ? parse_mapping(ld, ev) : parse_sequence(ld, ev);
		ld->depth--;
		return n;
	default:
		fail_at(ld, ev->start_mark, NULL, "unexpected YAML event");
		return NULL;
	}
}

static struct node *parse_stream(struct loader *ld)
{
	yaml_event_t ev;
	struct node *root = NULL;

	if (!next_event(ld, &ev))
		return NULL;
	yaml_event_delete(&ev);   /* STREAM-START */
	if (!next_event(ld, &ev))
		return NULL;
	if (ev.type == YAML_STREAM_END_EVENT) {
		fail_at(ld, ev.start_mark, _("write the fields as `key: value` lines"), "the file is empty");
		yaml_event_delete(&ev);
		return NULL;
	}
	yaml_event_delete(&ev);   /* DOCUMENT-START */
	if (!next_event(ld, &ev))
		return NULL;
	root = parse_node(ld, &ev);
	if (root && root->kind != NODE_MAP) {
		if (root->kind == NODE_SEQ)
			fail_at(ld, ev.start_mark, _("write the fields as `key: value` lines"),
				"the top level must be a mapping, not a list");
		else
			fail_at(ld, ev.start_mark, _("write the fields as `key: value` lines"),
				"the top level must be a mapping, not a scalar");
		root = NULL;
	}
	yaml_event_delete(&ev);
	if (!root)
		return NULL;
	if (!next_event(ld, &ev))
		return NULL;
	yaml_event_delete(&ev);   /* DOCUMENT-END */
	if (!next_event(ld, &ev))
		return NULL;
	if (ev.type != YAML_STREAM_END_EVENT) {
		fail_at(ld, ev.start_mark, _("put each partner in its own file; remove the '---' line"),
			"more than one document in the file");
		root = NULL;
	}
	yaml_event_delete(&ev);
	return root;
}

/*
 * libyaml parsers kept for the next files: yaml_parser_initialize() and
 * yaml_parser_delete() take and free eight blocks (64 KiB of buffers) a
 * file, some 2 700 instructions.  A parser whose parse ended cleanly (its
 * STREAM-END given, no error, no token queued, no tag directive held: it
 * owns no memory but those blocks) is kept, up to PARSER_SPARE_MAX, and
 * made again what yaml_parser_initialize() makes (libyaml 0.1 to 0.2.5):
 * every field zero, the buffers, the token queue and the stacks empty in
 * the blocks they have.  Any other is deleted.  The loader's stack of
 * children and load_file_at's buffer for the file go with it (a few
 * KiB).  The list's lock is a spin lock (util/spin.h), as arena.c's
 * spare chunks' is.
 */
#define PARSER_SPARE_MAX 8

struct spare_parser {
	struct spare_parser *next;
	yaml_parser_t parser;
	unsigned char *stack;   /* the loader's stack (struct loader), kept with it */
	size_t cap;
	char *text;             /* load_file_at's buffer for the file read, text_room bytes */
	size_t text_room;
};

/* A stack or file buffer grown past this (a file of very many keys, a long
 * briefing.yaml) is not kept. */
#define PARSER_STACK_KEEP (64 * 1024)

static atomic_flag parsers_busy = ATOMIC_FLAG_INIT;
static struct spare_parser *parsers;
static size_t nparsers;

/* A parser as yaml_parser_initialize() leaves one (aborts when out of
 * memory, as alloc.h does). */
static struct spare_parser *parser_take(void)
{
	struct spare_parser *sp;
	yaml_parser_t was;

	spin_lock(&parsers_busy);
	sp = parsers;
	if (sp) {
		parsers = sp->next;
		nparsers--;
	}
	spin_unlock(&parsers_busy);
	if (!sp) {
		sp = xmalloc(sizeof(*sp));
		sp->stack = NULL;
		sp->cap = 0;
		sp->text = NULL;
		sp->text_room = 0;
		if (!yaml_parser_initialize(&sp->parser))
			alloc_fail(sizeof(sp->parser));
		return sp;
	}
	was = sp->parser;
	memset(&sp->parser, 0, sizeof(sp->parser));
#define KEEP_BUFFER(b) (sp->parser.b.start = sp->parser.b.pointer = sp->parser.b.last = \
			was.b.start, sp->parser.b.end = was.b.end)
#define KEEP_STACK(s) (sp->parser.s.start = sp->parser.s.top = was.s.start, \
		       sp->parser.s.end = was.s.end)
	KEEP_BUFFER(raw_buffer);
	KEEP_BUFFER(buffer);
	sp->parser.tokens.start = sp->parser.tokens.head = sp->parser.tokens.tail = was.tokens.start;
	sp->parser.tokens.end = was.tokens.end;
	KEEP_STACK(indents);
	KEEP_STACK(simple_keys);
	KEEP_STACK(states);
	KEEP_STACK(marks);
	KEEP_STACK(tag_directives);
#undef KEEP_BUFFER
#undef KEEP_STACK
	return sp;
}

/* Keep sp for the next file, or delete it. */
static void parser_give(struct spare_parser *sp)
{
	yaml_parser_t *p = &sp->parser;
	/* Ended cleanly, or never given a text (a file not read). */
	bool keep = p->error == YAML_NO_ERROR && (p->stream_end_produced || !p->read_handler) &&
		    p->tokens.head == p->tokens.tail &&
		    p->tag_directives.top == p->tag_directives.start;

	if (sp->cap > PARSER_STACK_KEEP) {
		free(sp->stack);
		sp->stack = NULL;
		sp->cap = 0;
	}
	if (sp->text_room > PARSER_STACK_KEEP) {
		free(sp->text);
		sp->text = NULL;
		sp->text_room = 0;
	}
	if (keep) {
		spin_lock(&parsers_busy);
		keep = nparsers < PARSER_SPARE_MAX;
		if (keep) {
			sp->next = parsers;
			parsers = sp;
			nparsers++;
		}
		spin_unlock(&parsers_busy);
	}
	if (!keep) {
		yaml_parser_delete(p);
		free(sp->stack);
		free(sp->text);
		free(sp);
	}
}

size_t load_parser_spares(void)
{
	size_t n;

	spin_lock(&parsers_busy);
	n = nparsers;
	spin_unlock(&parsers_busy);
	return n;
}

void load_drop_parsers(void)
{
	struct spare_parser *sp, *next;

	spin_lock(&parsers_busy);
	sp = parsers;
	parsers = NULL;
	nparsers = 0;
	spin_unlock(&parsers_busy);
	for (; sp; sp = next) {
		next = sp->next;
		yaml_parser_delete(&sp->parser);
		free(sp->stack);
		free(sp->text);
		free(sp);
	}
}

struct node *load_text(const char *display, const char *text, size_t len, struct arena *arena,
		       struct diags *diags)
{
	return load_text_limit(display, text, len, LOAD_MAX_FILE, arena, diags);
}

/* load_text_limit with the parser given (taken and given back by the
 * caller), or NULL for one taken and given back here. */
static struct node *load_text_with(struct spare_parser *given, const char *display,
				   const char *text, size_t len, size_t max, struct arena *arena,
				   struct diags *diags)
{
	struct loader ld;
	struct spare_parser *sp;
	struct node *root;
	bool lone_cr = false;

	memset(&ld, 0, sizeof(ld));
	ld.display = arena_strdup(arena, display);
	ld.arena = arena;
	ld.diags = diags;
	if (len > max) {
		report_too_big(diags, ld.display, len, max);
		return NULL;
	}
	if (!check_utf8(ld.display, (const unsigned char *)text, len, diags, &lone_cr, &ld.plain))
		return NULL;
	ld.marks_agree = !lone_cr;
	ld.plain = ld.plain && !lone_cr;   /* a lone CR: all checked, as ever */
	ld.backslash = memchr(text, '\\', len) != NULL;
	ld.text = text;
	ld.len = len;
	ld.start.byte = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	ld.start.line = ld.start.col = 1;
	ld.cur = ld.start;
	sp = given ? given : parser_take();
	ld.parser = &sp->parser;
	ld.stack = sp->stack;
	ld.cap = sp->cap;
	yaml_parser_set_input_string(ld.parser, (const unsigned char *)text, len);
	root = parse_stream(&ld);
	sp->stack = ld.stack;
	sp->cap = ld.cap;
	if (!given)
		parser_give(sp);
	if (ld.failed)
		root = NULL;
	return root;
}

struct node *load_text_limit(const char *display, const char *text, size_t len, size_t max,
			     struct arena *arena, struct diags *diags)
{
	return load_text_with(NULL, display, text, len, max, arena, diags);
}

const char *load_file_type(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFIFO: return _("a named pipe (FIFO)");
	case S_IFSOCK: return _("a socket");
	case S_IFCHR: return _("a character device");
	case S_IFBLK: return _("a block device");
	case S_IFDIR: return _("a folder");
	case S_IFLNK: return _("a symbolic link");
	default: return _("not a regular file");
	}
}

char *load_real_root(const char *dir)
{
	return realpath(dir, NULL);
}

bool load_path_inside(const char *real, const char *root)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return real[0] == '/';
	return strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0');
}

/*
 * The quick way to a file inside root, for the files that are what nearly
 * every content file is: a regular file, not itself a symbolic link.  It is
 * opened as the path says (the folders on the way may be links) and the
 * kernel's name for what was opened, its real path, must lie inside root:
 * the guarantee of the realpath() below, checked on the very file that is
 * then read, in 4 system calls where realpath() and the rest take 8 or
 * more.  -1 when the file is anything else, or that name cannot be had
 * (no /proc): the caller then goes the careful way, which decides and says
 * why as it always did.  Nothing is read here.
 */
static int open_inside(const char *path, const char *root, struct stat *st)
{
	char proc[48], real[PATH_MAX];
	ssize_t n;
	int fd;

	if (lstat(path, st) != 0 || !S_ISREG(st->st_mode))
		return -1;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, real, sizeof(real));
	if (n <= 0 || (size_t)n >= sizeof(real) || real[0] != '/')
		goto slow;
	real[n] = '\0';
	if (!load_path_inside(real, root) || fstat(fd, st) != 0 || !S_ISREG(st->st_mode))
		goto slow;
	return fd;
slow:
	close(fd);
	return -1;
}

/* A buffer for the text read, kept from one file to the next (a spare
 * parser's), or none (kept == NULL: the text is the caller's to free). */
struct text_buffer {
	char **text;
	size_t *room;
};

/* Read the regular file open at fd, of st_size bytes when it was looked
 * at, refusing more than max.  One read of a byte more than its size finds
 * it whole (a short read of a regular file is its end); a file that grew
 * meanwhile is read on to its end.  Into kept's buffer when it has room,
 * as it has for most files after the first. */
static char *read_whole(int fd, const struct stat *st, size_t max, size_t *len,
			struct load_failure *why, const struct text_buffer *kept)
{
	size_t cap = (size_t)st->st_size + 2, have = 0;   /* a byte more, and the NUL */
	size_t room;
	char *text;
	ssize_t n;

	if (kept && *kept->text && *kept->room >= cap) {
		text = *kept->text;
		room = *kept->room;
	} else {
		if (kept) {
			free(*kept->text);
			*kept->text = NULL;
			*kept->room = 0;
		}
		text = xmalloc(cap);
		room = cap;
	}

	for (;;) {
		n = read(fd, text + have, cap - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			why->kind = LOAD_ERRNO;
			why->err = errno;
			goto fail;
		}
		have += (size_t)n;
		if (have > max) {
			why->kind = LOAD_TOO_BIG;
			goto fail;
		}
		if (n == 0 || have < cap - 1)
			break;
		cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
		if (cap > room) {
			text = xrealloc(text, cap);
			room = cap;
		}
	}
	text[have] = '\0';
	*len = have;
	if (kept) {
		*kept->text = text;
		*kept->room = room;
	}
	return text;
fail:
	if (kept) {
		*kept->text = text;
		*kept->room = room;
	} else {
		free(text);
	}
	return NULL;
}

static char *read_file_in(const char *path, const char *root, size_t max, size_t *len,
			  struct load_failure *why, const struct text_buffer *kept)
{
	struct stat st;
	char *real = NULL;
	const char *open_path = path;
	int fd = -1, flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	char *result = NULL;

	memset(why, 0, sizeof(*why));
	why->max = max;
	if (root && (fd = open_inside(path, root, &st)) >= 0)
		goto opened;
	if (root) {
		/* Resolve first: not a byte of a file outside root is read, and
		 * the resolved path is what is opened (with no link left in it). */
		real = realpath(path, NULL);
		if (!real) {
			why->kind = LOAD_ERRNO;
			why->err = errno;
			goto out;
		}
		if (!load_path_inside(real, root)) {
			why->kind = LOAD_OUTSIDE;
			goto out;
		}
		open_path = real;
		flags |= O_NOFOLLOW;
	}
	/* A FIFO, socket or device is refused before it is opened (opening
	 * some devices does something); O_NONBLOCK and fstat below cover one
	 * swapped in between. */
	if (stat(open_path, &st) == 0 && !S_ISREG(st.st_mode)) {
		why->kind = LOAD_NOT_REGULAR;
		why->mode = (unsigned)st.st_mode;
		goto out;
	}
	fd = open(open_path, flags);
	if (fd < 0 || fstat(fd, &st) != 0) {
		why->kind = LOAD_ERRNO;
		why->err = errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		why->kind = LOAD_NOT_REGULAR;
		why->mode = (unsigned)st.st_mode;
		goto out;
	}
opened:
	if (st.st_size > (off_t)max) {
		why->kind = LOAD_TOO_BIG;
		goto out;
	}
	result = read_whole(fd, &st, max, len, why, kept);
out:
	if (fd >= 0)
		close(fd);
	free(real);
	return result;
}

int load_folder_open(const char *path, const char *root)
{
	char proc[48], real[PATH_MAX];
	ssize_t n;
	int fd;

	if (!root)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, real, sizeof(real));
	if (n <= 0 || (size_t)n >= sizeof(real) || real[0] != '/')
		goto no;
	real[n] = '\0';
	if (!load_path_inside(real, root))
		goto no;
	return fd;
no:
	close(fd);
	return -1;
}

/*
 * The quick way to a file named name in the folder open at dirfd (from
 * load_folder_open, so inside root): a regular file that is not a link is
 * looked at and opened by its name in that folder (O_NOFOLLOW), and must be
 * the file that was looked at; nothing on the way can be a link, so it lies
 * inside root without asking the kernel for its path.  -1 for anything
 * else: the caller goes the careful way.
 *
 * When the folder's listing already said name is a regular file (regular:
 * d_type DT_REG), it is not looked at again before it is opened: one system
 * call fewer for each partner file.  That is as safe as the look was.  The
 * look (fstatat) and the open were never one step: a name swapped for a
 * link, FIFO or device after the look was opened all the same, and so is
 * one swapped after readdir.  What guards the open is as it was: O_NOFOLLOW
 * refuses a link (ELOOP), O_NONBLOCK keeps a FIFO from waiting for a
 * writer, O_NOCTTY keeps a terminal from becoming ours; and what is read
 * is only ever what fstat on the open file calls a regular file, else the
 * careful way decides and reports as it always did.  The device and inode
 * compared below only told that the look and the open met the same file;
 * with no look there is nothing to compare, and the file opened is in the
 * folder either way (a name without '/', not a link).
 */
static int open_at(int dirfd, const char *name, bool regular, struct stat *st)
{
	struct stat seen;
	int fd;

	if (!regular &&
	    (fstatat(dirfd, name, &seen, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(seen.st_mode)))
		return -1;
	fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) ||
	    (!regular && (st->st_dev != seen.st_dev || st->st_ino != seen.st_ino))) {
		close(fd);
		return -1;
	}
	return fd;
}

char *load_read_file_in(const char *path, const char *root, size_t max, size_t *len,
			struct load_failure *why)
{
	return read_file_in(path, root, max, len, why, NULL);
}

static char *read_file_at(int dirfd, const char *name, bool regular, const char *path,
			  const char *root, size_t max, size_t *len, struct load_failure *why,
			  const struct text_buffer *kept)
{
	struct stat st;
	char *result = NULL;
	int fd;

	if (dirfd < 0 || !root || !*name || strchr(name, '/') || name[0] == '.' ||
	    (fd = open_at(dirfd, name, regular, &st)) < 0)
		return read_file_in(path, root, max, len, why, kept);
	memset(why, 0, sizeof(*why));
	why->max = max;
	if (st.st_size > (off_t)max)
		why->kind = LOAD_TOO_BIG;
	else
		result = read_whole(fd, &st, max, len, why, kept);
	close(fd);
	return result;
}

char *load_read_file_at(int dirfd, const char *name, bool regular, const char *path,
			const char *root, size_t max, size_t *len, struct load_failure *why)
{
	return read_file_at(dirfd, name, regular, path, root, max, len, why, NULL);
}

char *load_read_file(const char *path, size_t max, size_t *len)
{
	struct load_failure why;
	char *text = load_read_file_in(path, NULL, max, len, &why);

	if (!text)
		errno = why.kind == LOAD_TOO_BIG ? EFBIG : why.kind == LOAD_NOT_REGULAR ? EINVAL
			: why.err ? why.err : EIO;
	return text;
}

void load_report(const char *path, const struct load_failure *why, const char *folder,
		 struct diags *diags)
{
	char *hint;

	switch (why->kind) {
	case LOAD_TOO_BIG:
		report_too_big(diags, path, 0, why->max ? why->max : LOAD_MAX_FILE);
		break;
	case LOAD_NOT_REGULAR:
		diags_add(diags, SEV_ERROR, path, 0, 0,
			  _("remove it, or put an ordinary file in its place"),
			  "not a regular file but %s; not read", load_file_type(why->mode));
		break;
	case LOAD_OUTSIDE:
		hint = xasprintf(_("copy the file into the %s, or remove the link"), folder);
		diags_add(diags, SEV_ERROR, path, 0, 0, hint,
			  "symbolic link to a file outside the %s; not read", folder);
		free(hint);
		break;
	default:
		diags_add(diags, SEV_ERROR, path, 0, 0, NULL, "cannot read file: %s",
			  strerror(why->err ? why->err : EIO));
		break;
	}
}

struct node *load_file_in(const char *path, const char *root, struct arena *arena,
			  struct diags *diags, int *io_error)
{
	return load_file_limit(path, root, LOAD_MAX_FILE, arena, diags, io_error);
}

struct node *load_file_limit(const char *path, const char *root, size_t max, struct arena *arena,
			     struct diags *diags, int *io_error)
{
	return load_file_at(-1, "", false, path, root, max, arena, diags, io_error);
}

struct node *load_file_at(int dirfd, const char *name, bool regular, const char *path,
			  const char *root, size_t max, struct arena *arena, struct diags *diags,
			  int *io_error)
{
	size_t len;
	struct load_failure why;
	/* The file is read into the buffer of the parser that parses it. */
	struct spare_parser *sp = parser_take();
	const struct text_buffer kept = {&sp->text, &sp->text_room};
	char *text = read_file_at(dirfd, name, regular, path, root, max, &len, &why, &kept);
	struct node *root_node;

	if (!text) {
		parser_give(sp);
		load_report(path, &why, _("content folder"), diags);
		if (why.kind == LOAD_ERRNO && io_error)
			*io_error = 1;
		return NULL;
	}
	root_node = load_text_with(sp, path, text, len, max, arena, diags);
	parser_give(sp);
	return root_node;
}

struct node *load_file(const char *path, struct arena *arena, struct diags *diags, int *io_error)
{
	return load_file_in(path, NULL, arena, diags, io_error);
}

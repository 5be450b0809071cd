#include "markdown.h"

#include <assert.h>
#include <cmark.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../util/alloc.h"
#include "../util/heap.h"
#include "../validate/links.h"

/*
 * cmark allocates and frees a block for every node, iterator and growing
 * buffer, which through malloc cost more than a tenth of a prose field's
 * parse and HTML.  Fields are parsed (parse()) with a cmark_mem that takes
 * them from a heap (util/heap.h) of the calling thread, released whole when
 * the field is done (done()): nothing of the tree is freed node by node.
 * cmark_mem has no user pointer, hence the thread's current heap; what
 * cmark returns (the rendered HTML) is from that heap too, and is given
 * back with the cmark_mem's free(), never free().
 */
static _Thread_local struct heap *cmark_heap;

static void *heap_mem_calloc(size_t n, size_t size)
{
	return heap_calloc(cmark_heap, n, size);
}

static void *heap_mem_realloc(void *p, size_t size)
{
	return heap_realloc(cmark_heap, p, size);
}

static void heap_mem_free(void *p)
{
	heap_free(cmark_heap, p);
}

static cmark_mem heap_mem = {heap_mem_calloc, heap_mem_realloc, heap_mem_free};

/* A field's parse in h, which becomes the thread's current heap; *outer
 * keeps the one before (none unless a parse is already going on). */
static cmark_node *parse(const char *src, size_t len, struct heap *h, struct heap **outer)
{
	cmark_parser *parser;
	cmark_node *doc;

	heap_init(h);
	*outer = cmark_heap;
	cmark_heap = h;
	parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, &heap_mem);
	cmark_parser_feed(parser, src, len);
	doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	return doc;
}

/* Free what parse() and everything after it took from h. */
static void done(struct heap *h, struct heap *outer)
{
	cmark_heap = outer;
	heap_release(h);
}


static bool unsafe_url(const char *url)
{
	if (!url)
		return false;
	while (*url == ' ' || *url == '\t')
		url++;
	/* The same schemes cmark's safe mode blanks (html.c: _scan_dangerous_url). */
	if (!strncasecmp(url, "javascript:", 11) || !strncasecmp(url, "vbscript:", 9) ||
	    !strncasecmp(url, "file:", 5))
		return true;
	if (!strncasecmp(url, "data:", 5))
		return !(strncasecmp(url + 5, "image/png", 9) == 0 ||
			 strncasecmp(url + 5, "image/gif", 9) == 0 ||
			 strncasecmp(url + 5, "image/jpeg", 10) == 0 ||
			 strncasecmp(url + 5, "image/webp", 10) == 0);
	return false;
}

struct echo;
static void echo_event(struct echo *e, cmark_iter *it, cmark_node *n, cmark_event_type ev);
static bool echo_going(const struct echo *e);

/* What a walk of clean_tree() saw, so that the next can be left out. */
struct tree_seen {
	bool links;        /* in: look for a refused link (validate/links.h) */
	char *refused;     /* out: the first refused destination, malloc'd */
	bool strippable;   /* out: raw HTML, or a link or image with an unsafe URL */
};

/* Shift headings and (for Markdown output) remove raw HTML and unsafe
 * links; a removed link keeps its text.  Nodes are removed after the walk:
 * unlinking the iterator's current node would end the walk early.
 * Returns whether anything changed.  With seen, also notes what a walk
 * with strip would remove and (seen->links) finds the first destination
 * links_url_allowed() refuses, as links_first_refused_in() does, in the
 * same walk.  With echo, also walks for echoes_source() (echo_begin(),
 * echo_end()). */
static bool clean_tree(cmark_node *doc, int min_heading, bool strip, struct tree_seen *seen,
		       struct echo *echo)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *n, **dead = NULL;
	size_t ndead = 0, cap = 0, k;
	bool changed = false;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		/* echoes_source() in the same walk: it skips an autolink's
		 * text, which has nothing to clean. */
		if (echo && echo_going(echo))
			echo_event(echo, it, n, ev);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING: {
			int was = cmark_node_get_heading_level(n);
			int level = was + min_heading - 1;
			cmark_node_set_heading_level(n, level > 6 ? 6 : level);
			changed |= cmark_node_get_heading_level(n) != was;
			break;
		}
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			if (seen)
				seen->strippable = true;
			if (strip) {
				dead = xgrow(dead, sizeof(*dead), ndead + 1, &cap);
				dead[ndead++] = n;
			}
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE: {
			const char *url = cmark_node_get_url(n);

			if (seen && seen->links && !seen->refused && url && !links_url_allowed(url))
				seen->refused = xstrdup(url);
			if (!unsafe_url(url))
				break;
			if (seen)
				seen->strippable = true;
			if (strip) {
				cmark_node_set_url(n, "");
				changed = true;
			}
			break;
		}
		default:
			break;
		}
	}
	cmark_iter_free(it);
	for (k = 0; k < ndead; k++)
		cmark_node_free(dead[k]);   /* unlinks too */
	free(dead);
	return changed || ndead > 0;
}

/* The UTF-8 length of a bidirectional control at p (embeddings, overrides,
 * isolates, marks: U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C), or 0.
 * Validation warns about them in prose; here they are dropped, so a stray
 * override cannot reverse the rest of a page or of a Markdown file. */
static size_t bidi_control(const unsigned char *p, size_t left)
{
	if (left >= 2 && p[0] == 0xd8 && p[1] == 0x9c)
		return 2;
	if (left < 3 || p[0] != 0xe2)
		return 0;
	if (p[1] == 0x80 && ((p[2] >= 0xaa && p[2] <= 0xae) || p[2] == 0x8e || p[2] == 0x8f))
		return 3;
	if (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
		return 3;
	return 0;
}

/* Where the first bidirectional control in s[0..len) starts, or len: the
 * lead bytes they can start with are looked for with memchr. */
static size_t first_bidi_control(const char *s, size_t len)
{
	const char *end = s + len, *p;
	size_t first = len;

	for (p = s; (p = memchr(p, 0xe2, (size_t)(end - p))) != NULL; p++)
		if (bidi_control((const unsigned char *)p, (size_t)(end - p))) {
			first = (size_t)(p - s);
			break;
		}
	for (p = s; p < s + first && (p = memchr(p, 0xd8, (size_t)(s + first - p))) != NULL; p++)
		if (bidi_control((const unsigned char *)p, (size_t)(end - p))) {
			first = (size_t)(p - s);
			break;
		}
	return first;
}

/* Remove bidirectional controls from what was appended to b after start. */
static void drop_bidi_controls(struct buf *b, size_t start)
{
	size_t r = start, w, k;

	/* Nearly all text has none: find the first before moving anything. */
	r += first_bidi_control(b->ptr + r, b->len - r);
	if (r == b->len)
		return;
	w = r;
	while (r < b->len) {
		k = bidi_control((const unsigned char *)b->ptr + r, b->len - r);
		if (k) {
			r += k;
			continue;
		}
		b->ptr[w++] = b->ptr[r++];
	}
	b->len = w;
	b->ptr[w] = '\0';
}

/* Whether the UTF-8 text s[0..len) holds a bidirectional control. */
static bool has_bidi_control(const char *s, size_t len)
{
	return first_bidi_control(s, len) < len;
}

/*
 * ---- Markdown that is already what cmark would write ---------------------
 *
 * For the Markdown output the tree is written back as CommonMark.  Most
 * prose is already in the form cmark's CommonMark renderer writes (plain
 * paragraphs, *emphasis*, **strong**, [links](url)), and then the source
 * can be copied instead of rendered: the renderer costs 17 times the HTML
 * renderer.  echo_*() predict, node by node, what cmark 0.30's
 * cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0) writes (commonmark.c
 * and render.c: S_render_node, outc, S_out) and compare it with the source
 * as they go.  They cover only a few node types and give up, rather than
 * predict, wherever the renderer would escape a character, so a copy is
 * made only where the renderer is known to give the source back byte for
 * byte; anything else is rendered as before.  Debug builds check every
 * copy against the renderer.
 */
struct echo {
	const char *src;
	size_t len;            /* the source without its trailing line breaks */
	size_t pos;            /* bytes of it matched so far */
	int need_cr;           /* line breaks due before the next output (render.c) */
	bool begin_content;    /* at the start of a line, nothing but digits since */
	bool ok;
};

static bool ascii_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

static bool cmark_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The line breaks the renderer writes before its next output. */
static void echo_flush(struct echo *e)
{
	int k;

	if (!e->need_cr)
		return;
	/* An empty buffer gets none, as in S_out. */
	if (e->pos)
		for (k = 0; k < e->need_cr; k++) {
			if (e->pos >= e->len || e->src[e->pos] != '\n') {
				e->ok = false;
				return;
			}
			e->pos++;
		}
	e->need_cr = 0;
	e->begin_content = true;
}

/* Next code point of s at *i (valid UTF-8: the parser replaced anything
 * else), advancing *i. */
static unsigned next_code_point(const unsigned char *s, size_t *i)
{
	unsigned c = s[(*i)++];
	int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

	if (more)
		c &= 0x3f >> more;
	while (more-- > 0)
		c = (c << 6) | (s[(*i)++] & 0x3f);
	return c;
}

enum echo_escape { ECHO_LITERAL, ECHO_NORMAL, ECHO_URL };

/* The sets of bytes the scans below stop at, by care: CARE_LINE a line
 * break; CARE_TEXT in text what echo_out() must look at closely
 * (controls, what may be escaped, '&'); CARE_URL in a link destination
 * (controls, space, what is escaped there); CARE_ESCAPE what
 * markdown_escape() puts a backslash before.  The bytes of a multi-byte
 * character need no care once begin_content is false.
 *
 * With SSE2 a scan stops at every byte of its set and at a few other
 * ASCII bytes next to them (the set is looked for as four ranges of
 * bytes): what stops there looks at the byte itself, as it does after
 * any stop.  CARE_LINE is exact. */
enum care { CARE_LINE, CARE_TEXT, CARE_URL, CARE_ESCAPE };

/* The sets of care as flags (1 << care; CARE_LINE is '\n' alone). */
static const unsigned char care_flags[256] = {
	[0x00] = 6, [0x01] = 6, [0x02] = 6, [0x03] = 6, [0x04] = 6, [0x05] = 6, [0x06] = 6,
	[0x07] = 6, [0x08] = 6, [0x09] = 6, [0x0a] = 7, [0x0b] = 6, [0x0c] = 6, [0x0d] = 6,
	[0x0e] = 6, [0x0f] = 6, [0x10] = 6, [0x11] = 6, [0x12] = 6, [0x13] = 6, [0x14] = 6,
	[0x15] = 6, [0x16] = 6, [0x17] = 6, [0x18] = 6, [0x19] = 6, [0x1a] = 6, [0x1b] = 6,
	[0x1c] = 6, [0x1d] = 6, [0x1e] = 6, [0x1f] = 6, [' '] = 4,
	['*'] = 10, ['_'] = 10, ['['] = 10, [']'] = 10, ['#'] = 10, ['!'] = 10, ['&'] = 10,
	['<'] = 14, ['>'] = 14, ['\\'] = 14, ['`'] = 14, ['('] = 4, [')'] = 4,
	['|'] = 8, ['~'] = 8,
};

#ifdef __SSE2__
/* The bytes of v in lo..hi: moved so that lo is -128, a signed
 * comparison then takes the range whole. */
static inline __m128i sse_in(__m128i v, unsigned char lo, unsigned char hi)
{
	__m128i t = _mm_add_epi8(v, _mm_set1_epi8((char)(unsigned char)(0x80 - lo)));

	return _mm_cmplt_epi8(t, _mm_set1_epi8((char)(hi - lo + 1 - 128)));
}

/* The bytes of v a scan of care stops at, as bits: the set of care in
 * four ranges, all of ASCII (so never inside a multi-byte character):
 *   CARE_TEXT   controls, ! " # $ % & ' ( ) *, < = >, [ \ ] ^ _ `
 *   CARE_URL    controls and space, ( ), < = >, \ ] ^ _ `
 *   CARE_ESCAPE ! " # $ % & ' ( ) *, < = >, [ \ ] ^ _ `, | } ~  */
static inline unsigned class16(__m128i v, enum care care)
{
	__m128i m;

	switch (care) {
	case CARE_TEXT:
		m = _mm_or_si128(_mm_or_si128(sse_in(v, 0x00, 0x1f), sse_in(v, '!', '*')),
				 _mm_or_si128(sse_in(v, '<', '>'), sse_in(v, '[', '`')));
		break;
	case CARE_URL:
		m = _mm_or_si128(_mm_or_si128(sse_in(v, 0x00, ' '), sse_in(v, '(', ')')),
				 _mm_or_si128(sse_in(v, '<', '>'), sse_in(v, '\\', '`')));
		break;
	case CARE_ESCAPE:
		m = _mm_or_si128(_mm_or_si128(sse_in(v, '!', '*'), sse_in(v, '<', '>')),
				 _mm_or_si128(sse_in(v, '[', '`'), sse_in(v, '|', '~')));
		break;
	default:
		m = _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'));
		break;
	}
	return (unsigned)_mm_movemask_epi8(m);
}

static inline __m128i load64x2(uint64_t hi, uint64_t lo)
{
	return _mm_set_epi64x((long long)hi, (long long)lo);
}

/*
 * How many bytes at the start of s[0..n) a scan of care passes (all
 * outside its set; with SSE2 it may stop short of the set, as above).
 * Sixteen bytes at a time, and never a byte outside s: the last bytes of
 * a run of 16 or more are the last sixteen of s (those seen already
 * shifted out); 4 to 15 bytes are two overlapping loads of 8 or 4 bytes,
 * 1 to 3 bytes the first, middle and last.  Most strings
 * markdown_escape() sees are short.
 */
static inline __attribute__((always_inline)) size_t run_outside(const unsigned char *s, size_t n,
								 enum care care)
{
	size_t i = 0;
	unsigned bits;

	if (n >= 16) {
		for (; n - i >= 16; i += 16) {
			bits = class16(_mm_loadu_si128((const __m128i *)(s + i)), care);
			if (bits)
				return i + (size_t)__builtin_ctz(bits);
		}
		if (i == n)
			return n;
		bits = class16(_mm_loadu_si128((const __m128i *)(s + n - 16)), care) >> (16 - (n - i));
		return bits ? i + (size_t)__builtin_ctz(bits) : n;
	}
	if (n >= 8) {
		uint64_t lo, hi;

		memcpy(&lo, s, 8);
		memcpy(&hi, s + n - 8, 8);
		bits = class16(load64x2(hi, lo), care);
		if (bits & 0xff)
			return (size_t)__builtin_ctz(bits);
		bits >>= 8;
		return bits ? n - 8 + (size_t)__builtin_ctz(bits) : n;
	}
	if (n >= 4) {
		uint32_t lo, hi;

		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		bits = class16(load64x2(0, lo | (uint64_t)hi << 32), care);
		if (bits & 0xf)
			return (size_t)__builtin_ctz(bits);
		bits = (bits >> 4) & 0xf;
		return bits ? n - 4 + (size_t)__builtin_ctz(bits) : n;
	}
	if (n == 0)
		return 0;
	/* Lanes 0, 1, 2: bytes 0, n / 2, n - 1, in order, every byte one. */
	bits = class16(load64x2(0, s[0] | (uint64_t)s[n / 2] << 8 | (uint64_t)s[n - 1] << 16), care) &
	       7;
	return !bits ? n : bits & 1 ? 0 : bits & 2 ? n / 2 : n - 1;
}
#else
static size_t run_outside(const unsigned char *s, size_t n, enum care care)
{
	size_t i = 0;

	while (i < n && !(care_flags[s[i]] & (1u << care)))
		i++;
	return i;
}
#endif

#if defined(__SSE2__) && defined(__x86_64__) && defined(__GNUC__)
/*
 * Where the processor has AVX2 (checked when it runs: the build is for
 * any x86-64), the long runs of text echo_out() and write_out() scan go
 * thirty-two bytes at a time, the same four ranges; the rest of a run
 * (under 32 bytes) as above.
 */
#define SCAN_AVX2 1
#include <immintrin.h>

static bool scan_wide = true;   /* markdown_scan_wide() */

__attribute__((target("avx2"))) static inline __m256i avx_in(__m256i v, unsigned char lo,
							     unsigned char hi)
{
	__m256i t = _mm256_add_epi8(v, _mm256_set1_epi8((char)(unsigned char)(0x80 - lo)));

	return _mm256_cmpgt_epi8(_mm256_set1_epi8((char)(hi - lo + 1 - 128)), t);
}

__attribute__((target("avx2"), always_inline)) static inline size_t
run_outside_avx2(const unsigned char *s, size_t n, enum care care)
{
	size_t i = 0;

	for (; n - i >= 32; i += 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(s + i)), m;
		unsigned bits;

		if (care == CARE_TEXT)
			m = _mm256_or_si256(_mm256_or_si256(avx_in(v, 0x00, 0x1f), avx_in(v, '!', '*')),
					    _mm256_or_si256(avx_in(v, '<', '>'), avx_in(v, '[', '`')));
		else if (care == CARE_URL)
			m = _mm256_or_si256(_mm256_or_si256(avx_in(v, 0x00, ' '), avx_in(v, '(', ')')),
					    _mm256_or_si256(avx_in(v, '<', '>'), avx_in(v, '\\', '`')));
		else
			m = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'));
		bits = (unsigned)_mm256_movemask_epi8(m);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
	}
	return i + run_outside(s + i, n - i, care);
}

__attribute__((target("avx2"))) static size_t text_run_avx2(const unsigned char *s, size_t n)
{
	return run_outside_avx2(s, n, CARE_TEXT);
}

__attribute__((target("avx2"))) static size_t url_run_avx2(const unsigned char *s, size_t n)
{
	return run_outside_avx2(s, n, CARE_URL);
}

__attribute__((target("avx2"))) static size_t line_run_avx2(const unsigned char *s, size_t n)
{
	return run_outside_avx2(s, n, CARE_LINE);
}
#endif

void markdown_scan_wide(bool on)
{
#ifdef SCAN_AVX2
	scan_wide = on;
#else
	(void)on;
#endif
}

/* How many bytes at the start of s[0..n) need no care (CARE_TEXT,
 * CARE_URL or CARE_LINE): the run echo_out() and write_out() take whole. */
static size_t careless_run(const unsigned char *s, size_t n, enum care care)
{
#ifdef SCAN_AVX2
	if (n >= 64 && scan_wide && __builtin_cpu_supports("avx2"))
		switch (care) {
		case CARE_TEXT:
			return text_run_avx2(s, n);
		case CARE_URL:
			return url_run_avx2(s, n);
		default:
			return line_run_avx2(s, n);
		}
#endif
	switch (care) {
	case CARE_TEXT:
		return run_outside(s, n, CARE_TEXT);
	case CARE_URL:
		return run_outside(s, n, CARE_URL);
	default:
		return run_outside(s, n, CARE_LINE);
	}
}

/* ASCII the renderer escapes in text wherever it stands: * _ [ ] # < > \ ` ! */
static bool escaped_always(unsigned c)
{
	return c == '*' || c == '_' || c == '[' || c == ']' || c == '#' || c == '<' || c == '>' ||
	       c == '\\' || c == '`' || c == '!';
}

/* ASCII the renderer escapes in a link destination: ` < > \ ( ) */
static bool escaped_in_url(unsigned c)
{
	return c == '`' || c == '<' || c == '>' || c == '\\' || c == '(' || c == ')';
}

/* Output s as S_out does with the escaping given; false where the
 * renderer would escape a character (or write it otherwise). */
static void echo_out(struct echo *e, const char *s, enum echo_escape esc)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, from, n = strlen(s);

	echo_flush(e);
	while (e->ok && i < n) {
		unsigned c;
		unsigned char next;
		bool follows_digit;

		/* Past the start of a line, bytes that are never escaped (in
		 * the middle of a word, most of them) are only compared, a
		 * run at a time. */
		if (!e->begin_content) {
			enum care care = esc == ECHO_NORMAL ? CARE_TEXT : esc == ECHO_URL ? CARE_URL : CARE_LINE;
			size_t j = i + careless_run(u + i, n - i, care);

			if (j - i > e->len - e->pos || memcmp(e->src + e->pos, s + i, j - i)) {
				e->ok = false;
				return;
			}
			e->pos += j - i;
			i = j;
			if (i == n)
				break;
		}
		follows_digit = e->pos && ascii_digit((unsigned char)e->src[e->pos - 1]);

		from = i;
		c = next_code_point(u, &i);
		next = u[i];
		if (c < 0x80 && esc == ECHO_NORMAL &&
		    (c < 0x20 || escaped_always(c) ||
		     (c == '&' && ((next | 0x20) >= 'a' && (next | 0x20) <= 'z')) ||
		     (e->begin_content && (c == '-' || c == '+' || c == '=') && !follows_digit) ||
		     (e->begin_content && (c == '.' || c == ')') && follows_digit &&
		      (next == 0 || cmark_space(next)))))
			e->ok = false;
		if (c < 0x80 && esc == ECHO_URL && (c <= ' ' || escaped_in_url(c)))
			e->ok = false;
		/* A line break in literal output starts a line; none of the
		 * nodes echoed here writes one. */
		if (c == '\n')
			e->ok = false;
		if (!e->ok || i - from > e->len - e->pos) {
			e->ok = false;
			return;
		}
		for (; from < i; from++)
			if (e->src[e->pos++] != s[from]) {
				e->ok = false;
				return;
			}
		/* cmark_isdigit() of the code point cast to char (render.c). */
		e->begin_content = e->begin_content && ascii_digit(c & 0xff);
	}
}

/* cmark's _scan_scheme: [A-Za-z][A-Za-z0-9.+-]{1,31} then ':'. */
static bool has_scheme(const char *url)
{
	size_t k;

	if (!(((unsigned char)url[0] | 0x20) >= 'a' && ((unsigned char)url[0] | 0x20) <= 'z'))
		return false;
	for (k = 1; k < 33; k++) {
		unsigned char c = (unsigned char)url[k];
		if (c == ':')
			return k >= 2;
		if (!(((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || ascii_digit(c) || c == '.' ||
		      c == '+' || c == '-'))
			return false;
	}
	return false;
}

/* commonmark.c's is_autolink(), without its side effect of merging the
 * link's text nodes: their concatenation is compared instead. */
static bool is_autolink(cmark_node *link)
{
	const char *url = cmark_node_get_url(link), *title = cmark_node_get_title(link);
	cmark_node *t = cmark_node_first_child(link);
	size_t k = 0, n;

	if (!url || !has_scheme(url) || (title && *title) || !t ||
	    cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return false;
	if (!strncmp(url, "mailto:", 7))
		url += 7;
	for (; t && cmark_node_get_type(t) == CMARK_NODE_TEXT; t = cmark_node_next(t)) {
		const char *lit = cmark_node_get_literal(t);
		n = strlen(lit);
		if (strncmp(url + k, lit, n) != 0)
			return false;
		k += n;
	}
	return url[k] == '\0';
}

/*
 * The inline nodes both echoes_source() and write_commonmark() know, as
 * commonmark.c's S_render_node writes them, through out (echo_out, which
 * compares with the source, or write_out, which writes).  need_cr is the
 * caller's count of line breaks due.  Returns false where the renderer
 * would write the node otherwise than out can say.
 */
struct inline_sink {
	void (*out)(void *ud, const char *s, enum echo_escape esc);
};

static bool inline_node(const struct inline_sink *k, void *ud, int *need_cr, cmark_iter *it,
			cmark_node *n, bool enter)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
		k->out(ud, cmark_node_get_literal(n), ECHO_NORMAL);
		return true;
	case CMARK_NODE_SOFTBREAK:
		if (*need_cr < 1)
			*need_cr = 1;
		return true;
	case CMARK_NODE_EMPH:
		/* EMPH(EMPH(x)) is written with '_' inside. */
		if (cmark_node_get_type(cmark_node_parent(n)) == CMARK_NODE_EMPH &&
		    !cmark_node_next(n) && !cmark_node_previous(n))
			return false;
		k->out(ud, "*", ECHO_LITERAL);
		return true;
	case CMARK_NODE_STRONG:
		k->out(ud, "**", ECHO_LITERAL);
		return true;
	case CMARK_NODE_LINK: {
		const char *title = cmark_node_get_title(n);

		if (title && *title)
			return false;
		if (is_autolink(n)) {
			const char *url = cmark_node_get_url(n);
			/* The renderer writes <url> and skips the text. */
			if (!enter)
				return true;
			k->out(ud, "<", ECHO_LITERAL);
			k->out(ud, strncmp(url, "mailto:", 7) ? url : url + 7, ECHO_LITERAL);
			k->out(ud, ">", ECHO_LITERAL);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		} else if (enter) {
			k->out(ud, "[", ECHO_LITERAL);
		} else {
			k->out(ud, "](", ECHO_LITERAL);
			k->out(ud, cmark_node_get_url(n), ECHO_URL);
			k->out(ud, ")", ECHO_LITERAL);
		}
		return true;
	}
	case CMARK_NODE_CODE: {
		const char *code = cmark_node_get_literal(n);
		size_t i, clen = strlen(code);
		bool nonspace = false;

		for (i = 0; i < clen; i++)
			nonspace |= code[i] != ' ';
		/* One backtick either side, no padding: the code has none of
		 * its own and does not start and end with a space. */
		if (!clen || strchr(code, '`') || (nonspace && code[0] == ' ' && code[clen - 1] == ' '))
			return false;
		k->out(ud, "`", ECHO_LITERAL);
		k->out(ud, code, ECHO_LITERAL);
		k->out(ud, "`", ECHO_LITERAL);
		return true;
	}
	default:
		return false;
	}
}

static void echo_sink_out(void *ud, const char *s, enum echo_escape esc)
{
	echo_out(ud, s, esc);
}

static const struct inline_sink echo_sink = {echo_sink_out};

static void echo_begin(struct echo *e, const char *src, size_t len)
{
	*e = (struct echo){src, len, 0, 0, true, true};
	while (e->len && src[e->len - 1] == '\n')
		e->len--;
}

static bool echo_going(const struct echo *e)
{
	return e->ok;
}

/* Whether the walk ended with the renderer known to write src back. */
static bool echo_end(const struct echo *e)
{
	return e->ok && e->pos == e->len;
}

/* One event of a walk of the tree for echoes_source(). */
static void echo_event(struct echo *e, cmark_iter *it, cmark_node *n, cmark_event_type ev)
{
	bool enter = ev == CMARK_EVENT_ENTER;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_DOCUMENT:
		break;
	case CMARK_NODE_PARAGRAPH:
		/* Only at the top: lists and quotes prefix their lines. */
		if (cmark_node_get_type(cmark_node_parent(n)) != CMARK_NODE_DOCUMENT)
			e->ok = false;
		else if (!enter && e->need_cr < 2)
			e->need_cr = 2;
		break;
	default:
		/* The inline nodes; not headings, lists, quotes, code
		 * blocks, breaks, HTML or images. */
		if (!inline_node(&echo_sink, e, &e->need_cr, it, n, enter))
			e->ok = false;
		break;
	}
}

/* Whether cmark's CommonMark renderer writes doc back as src[0..len)
 * (trailing line breaks aside); src has no bidirectional control. */
static bool echoes_source(cmark_node *doc, const char *src, size_t len)
{
	struct echo e;
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	echo_begin(&e, src, len);
	while (e.ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		echo_event(&e, it, cmark_iter_get_node(it), ev);
	cmark_iter_free(it);
	return echo_end(&e);
}

/*
 * ---- Markdown written here, as cmark would write it ---------------------
 *
 * Prose that cannot be copied because the renderer writes it otherwise is
 * mostly a bullet list under a paragraph: the renderer indents its
 * markers ("  - item") and the source does not.  write_*() write what
 * cmark 0.30's cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0) writes
 * for the nodes echoes_source() knows plus bullet lists of paragraphs at
 * the top (commonmark.c's S_render_node, render.c's S_out and its tight
 * list rule), and give up, as echo_out() does, wherever the renderer would
 * escape a character.  Debug builds check every result against the
 * renderer.
 */
struct writer {
	struct buf *out;
	size_t start;          /* where this document's Markdown begins in out */
	int need_cr;           /* line breaks due before the next output */
	size_t prefix;         /* spaces before each line: 4 inside a list item */
	bool begin_line, begin_content;
	bool in_tight;         /* in a tight list's item (render.c) */
	bool ok;
};

/* The line breaks due, as S_out writes them before its next output. */
static void write_flush(struct writer *w)
{
	size_t k = w->out->len;   /* one past S_out's k */

	if (w->in_tight && w->need_cr > 1)
		w->need_cr = 1;
	while (w->need_cr) {
		if (k == w->start || w->out->ptr[k - 1] == '\n') {
			if (k > w->start)
				k--;
			else
				k = w->start;   /* k < 0 stays below 0 */
		} else {
			buf_addc(w->out, '\n');
			if (w->need_cr > 1)
				buf_add(w->out, "        ", w->prefix);
		}
		w->begin_line = true;
		w->begin_content = true;
		w->need_cr--;
	}
}

/* S_out of s with the escaping given; gives up (ok = false) where the
 * renderer would escape a character or start a line. */
static void write_out(struct writer *w, const char *s, enum echo_escape esc)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n = strlen(s);

	write_flush(w);
	while (w->ok && i < n) {
		size_t from = i;
		unsigned c;
		unsigned char next;
		bool follows_digit;

		if (w->begin_line) {
			buf_add(w->out, "        ", w->prefix);
			w->begin_line = false;
		}
		/* Past the start of a line, bytes that are never escaped go
		 * out as a run. */
		if (!w->begin_content) {
			enum care care = esc == ECHO_NORMAL ? CARE_TEXT : esc == ECHO_URL ? CARE_URL : CARE_LINE;

			i += careless_run(u + i, n - i, care);
			buf_add(w->out, s + from, i - from);
			if (i == n)
				break;
			from = i;
		}
		follows_digit = w->out->len > w->start &&
				ascii_digit((unsigned char)w->out->ptr[w->out->len - 1]);
		c = next_code_point(u, &i);
		next = u[i];
		if (c < 0x80 && esc == ECHO_NORMAL &&
		    (c < 0x20 || escaped_always(c) ||
		     (c == '&' && ((next | 0x20) >= 'a' && (next | 0x20) <= 'z')) ||
		     (w->begin_content && (c == '-' || c == '+' || c == '=') && !follows_digit) ||
		     (w->begin_content && (c == '.' || c == ')') && follows_digit &&
		      (next == 0 || cmark_space(next)))))
			w->ok = false;
		if (c < 0x80 && esc == ECHO_URL && (c <= ' ' || escaped_in_url(c)))
			w->ok = false;
		if (c == '\n')
			w->ok = false;
		if (!w->ok)
			return;
		buf_add(w->out, s + from, i - from);
		w->begin_content = w->begin_content && ascii_digit(c & 0xff);
	}
}

static void write_sink_out(void *ud, const char *s, enum echo_escape esc)
{
	write_out(ud, s, esc);
}

static const struct inline_sink write_sink = {write_sink_out};

/* The tight-list rule of S_render_node: whether n's block (n, or the block
 * it is in) is an item of a tight list or a block in one. */
static bool write_in_tight(cmark_node *n)
{
	cmark_node *b = n, *p;

	while (b && cmark_node_get_type(b) >= CMARK_NODE_FIRST_INLINE)
		b = cmark_node_parent(b);
	if (!b)
		return false;
	if (cmark_node_get_type(b) == CMARK_NODE_ITEM)
		return cmark_node_get_list_tight(cmark_node_parent(b));
	p = cmark_node_parent(b);
	return p && cmark_node_get_type(p) == CMARK_NODE_ITEM &&
	       cmark_node_get_list_tight(cmark_node_parent(p));
}

/* Write doc's Markdown to md as the renderer would (trailing line breaks
 * left out); false, with md as it was, where it cannot.  src has no
 * bidirectional control. */
static bool write_commonmark(cmark_node *doc, const char *src, size_t len, struct buf *md)
{
	struct writer w = {md, md->len, 0, 0, true, true, false, true};
	cmark_iter *it;
	cmark_event_type ev;

	it = cmark_iter_new(doc);
	while (w.ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it), *parent = cmark_node_parent(n);
		cmark_node_type type = cmark_node_get_type(n), ptype = cmark_node_get_type(parent);
		bool enter = ev == CMARK_EVENT_ENTER;

		if (!(type == CMARK_NODE_ITEM && enter && !cmark_node_previous(n)))
			w.in_tight = write_in_tight(n);
		/* Adjacent text nodes could be merged by the renderer's
		 * autolink test, changing what a character is followed by. */
		if (type == CMARK_NODE_TEXT && cmark_node_next(n) &&
		    cmark_node_get_type(cmark_node_next(n)) == CMARK_NODE_TEXT)
			w.ok = false;
		switch (type) {
		case CMARK_NODE_DOCUMENT:
			break;
		case CMARK_NODE_LIST:
			/* Bullet lists at the top; a list right after a list
			 * gets an HTML comment between them. */
			if (ptype != CMARK_NODE_DOCUMENT ||
			    cmark_node_get_list_type(n) != CMARK_BULLET_LIST ||
			    (cmark_node_next(n) &&
			     cmark_node_get_type(cmark_node_next(n)) == CMARK_NODE_LIST))
				w.ok = false;
			break;
		case CMARK_NODE_ITEM:
			if (enter) {
				write_out(&w, "  - ", ECHO_LITERAL);
				w.begin_content = true;
				w.prefix += 4;
			} else {
				w.prefix -= 4;
				if (w.need_cr < 1)
					w.need_cr = 1;
			}
			break;
		case CMARK_NODE_PARAGRAPH:
			if (ptype != CMARK_NODE_DOCUMENT && ptype != CMARK_NODE_ITEM)
				w.ok = false;
			else if (!enter && w.need_cr < 2)
				w.need_cr = 2;
			break;
		default:
			if (!inline_node(&write_sink, &w, &w.need_cr, it, n, enter))
				w.ok = false;
			break;
		}
	}
	cmark_iter_free(it);
	if (!w.ok) {
		md->len = w.start;
		md->ptr[md->len] = '\0';
		return false;
	}
	while (md->len > w.start && md->ptr[md->len - 1] == '\n')
		md->ptr[--md->len] = '\0';
	return true;
}

/* Render doc (parsed from src with mem) as markdown_render() says; true
 * when the Markdown was copied from src.  With seen->links, nothing is
 * appended when a link is refused (seen->refused). */
static bool render_parsed(cmark_node *doc, cmark_mem *mem, const char *src, size_t len,
			  int min_heading, struct buf *html, struct buf *md, bool may_copy,
			  struct tree_seen *seen)
{
	size_t html_start = html ? html->len : 0;
	bool walked = false;
	/* What is rendered holds a bidirectional control only where src does,
	 * or where an entity or numeric reference (&...;) decodes to one: the
	 * parser passes other text through as whole characters (it replaces
	 * invalid UTF-8), and escapes only ASCII. */
	bool src_bidi = has_bidi_control(src, len), may_bidi = src_bidi || memchr(src, '&', len);
	/* With both outputs, the walk for the HTML also checks whether the
	 * Markdown can be copied (echoes_source()): the HTML's renderer
	 * leaves the tree as it is, and where that walk finds anything to
	 * remove for the Markdown the copy is not made. */
	struct echo echo;
	bool echo_first = html && md && may_copy && !src_bidi;
	char *s;

	if (echo_first)
		echo_begin(&echo, src, len);
	if (html) {
		clean_tree(doc, min_heading, false, seen, echo_first ? &echo : NULL);
		walked = true;
		if (seen->refused)
			return false;
		/* CMARK_OPT_DEFAULT is safe in cmark 0.30: no raw HTML, no
		 * dangerous URLs (CMARK_OPT_UNSAFE is not given). */
		s = cmark_render_html(doc, CMARK_OPT_DEFAULT);
		buf_adds(html, s);
		mem->free(s);
		if (may_bidi)
			drop_bidi_controls(html, html_start);
		min_heading = 1;   /* already shifted */
	}
	if (md) {
		size_t start = md->len;
		/* After the HTML's walk a second changes nothing where that one
		 * saw nothing to remove (headings are shifted already). */
		bool changed = walked && !seen->strippable
			       ? false : clean_tree(doc, min_heading, true, walked ? NULL : seen, NULL);

		if (seen->refused)
			return false;

		if (may_copy && !changed && !src_bidi &&
		    (echo_first ? echo_end(&echo) : echoes_source(doc, src, len))) {
			while (len && src[len - 1] == '\n')
				len--;
			buf_add(md, src, len);
#ifndef NDEBUG
			s = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
			assert(strlen(s) == len + 1 && !memcmp(s, src, len) && s[len] == '\n');
			mem->free(s);
#endif
			return true;
		}
		if (may_copy && !changed && !src_bidi && write_commonmark(doc, src, len, md)) {
#ifndef NDEBUG
			s = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
			size_t n = strlen(s);
			while (n && s[n - 1] == '\n')
				n--;
			assert(n == md->len - start && !memcmp(s, md->ptr + start, n));
			mem->free(s);
#endif
			/* As the renderer's Markdown below is. */
			if (may_bidi)
				drop_bidi_controls(md, start);
			return false;
		}
		s = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
		buf_adds(md, s);
		mem->free(s);
		if (may_bidi)
			drop_bidi_controls(md, start);
		while (md->len > start && md->ptr[md->len - 1] == '\n')
			md->ptr[--md->len] = '\0';
	}
	return false;
}

bool markdown_render(const char *src, size_t len, int min_heading, struct buf *html,
		     struct buf *md)
{
	struct heap h, *outer;
	struct tree_seen seen = {false, NULL, false};
	cmark_node *doc = parse(src, len, &h, &outer);
	bool copied = render_parsed(doc, &heap_mem, src, len, min_heading, html, md, true, &seen);

	done(&h, outer);
	return copied;
}

char *markdown_prose(const char *src, size_t len, int min_heading, struct buf *html,
		     struct buf *md)
{
	struct heap h, *outer;
	/* The link check of validation in the first walk of the tree, before
	 * any link is emptied; links_first_refused_in() looks only where the
	 * text has a ':', and so does this. */
	struct tree_seen seen = {memchr(src, ':', len) != NULL, NULL, false};
	cmark_node *doc = parse(src, len, &h, &outer);

	if (html || md)
		render_parsed(doc, &heap_mem, src, len, min_heading, html, md, true, &seen);
	else if (seen.links)
		seen.refused = links_first_refused_in(src, len, doc);
	done(&h, outer);
	return seen.refused;
}

/* With cmark's own allocator and parse call: the reference the tests
 * compare the heap's parse with. */
void markdown_render_rendered(const char *src, size_t len, int min_heading, struct buf *html,
			      struct buf *md)
{
	cmark_node *doc = cmark_parse_document(src, len, CMARK_OPT_DEFAULT);
	struct tree_seen seen = {false, NULL, false};

	render_parsed(doc, cmark_get_default_mem_allocator(), src, len, min_heading, html, md,
		      false, &seen);
	cmark_node_free(doc);
}

bool markdown_write(const char *src, size_t len, struct buf *md)
{
	struct heap h, *outer;
	cmark_node *doc = parse(src, len, &h, &outer);
	bool ok = !has_bidi_control(src, len) && !clean_tree(doc, 1, true, NULL, NULL) &&
		  write_commonmark(doc, src, len, md);

	done(&h, outer);
	return ok;
}

void markdown_html(const char *src, size_t len, int min_heading, struct buf *out)
{
	markdown_render(src, len, min_heading, out, NULL);
}

void markdown_commonmark(const char *src, size_t len, int min_heading, struct buf *out)
{
	markdown_render(src, len, min_heading, NULL, out);
}

/* markdown_escape() past its quick path: the run bytes at s that need
 * nothing (its scan's), then the rest, escaped. */
static __attribute__((noinline)) void escape_from(const char *s, size_t len, size_t run,
						  struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = run;

	/* Runs of bytes that need nothing go out whole. */
	buf_add(out, s, run);
	while (i < len) {
		if (care_flags[u[i]] & 1u << CARE_ESCAPE)
			buf_addc(out, '\\');
		buf_addc(out, s[i++]);
		run = run_outside(u + i, len - i, CARE_ESCAPE);
		buf_add(out, s + i, run);
		i += run;
	}
}

void markdown_escape(const char *s, size_t len, struct buf *out)
{
	/* Nearly every value has nothing to escape: one scan, one copy. */
	size_t run = run_outside((const unsigned char *)s, len, CARE_ESCAPE);

	/* Most are short: 1 to 32 bytes copied without memcpy() and, with
	 * room in out, without a call (so without a stack frame). */
	if (run == len && len - 1 < 32 && out->cap - out->len > len) {
		buf_copy_short(out->ptr + out->len, s, len);
		out->len += len;
		out->ptr[out->len] = '\0';
		return;
	}
	escape_from(s, len, run, out);
}

void markdown_link_destination(const char *url, size_t len, struct buf *out)
{
	size_t i;
	bool plain = len > 0;

	for (i = 0; i < len && plain; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= ' ' || c == 0x7F || strchr("()<>\\", c))
			plain = false;
	}
	if (plain) {
		buf_add(out, url, len);
		return;
	}
	/* <...>: parentheses are then text; what would end or break the
	 * pointy form is percent-encoded, a backslash escaped. */
	buf_addc(out, '<');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= ' ' || c == 0x7F || c == '<' || c == '>')
			buf_addf(out, "%%%02X", c);
		else if (c == '\\')
			buf_adds(out, "\\\\");
		else
			buf_addc(out, (char)c);
	}
	buf_addc(out, '>');
}

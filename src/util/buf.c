#include "buf.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

char buf_empty[1];

void buf_init(struct buf *b)
{
	b->ptr = buf_empty;
	b->len = 0;
	b->cap = 0;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->ptr);
	buf_init(b);
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (len)
		*len = b->len;
	p = b->cap ? b->ptr : xstrdup("");
	buf_init(b);
	return p;
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	int fresh = !b->cap;

	if (need <= b->cap)
		return;
	if (fresh)
		b->ptr = NULL;
	b->ptr = xgrow(b->ptr, 1, need, &b->cap);
	if (fresh)
		b->ptr[0] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->ptr[0] = '\0';
}

/* What buf_add_html writes for each byte: 0 for the byte itself, else the
 * index of its entity in html_entity. */
static const unsigned char html_class[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};
static const struct {
	const char *s;
	size_t len;
} html_entity[] = {
	{NULL, 0}, {"&amp;", 5}, {"&lt;", 4}, {"&gt;", 4}, {"&quot;", 6}, {"&#39;", 5},
};

/* Where the first byte at or after i that buf_add_html replaces is, or len.
 * With SSE2 (every x86-64) sixteen bytes are looked at at once, the last
 * ones too: the sixteen that end at len (bits before i masked off), or a
 * copy of a shorter string padded with NULs. */
#ifdef __SSE2__
/* Three compares for the five bytes: '&' (0x26) and '\'' (0x27) are the
 * bytes that or 0x01 makes 0x27, '<' (0x3C) and '>' (0x3E) those that or
 * 0x02 makes 0x3E, and '"'. */
static unsigned html_mask_reg(__m128i v)
{
	__m128i m = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x01)), _mm_set1_epi8(0x27)),
			     _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(0x02)), _mm_set1_epi8(0x3E))),
		_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));

	return (unsigned)_mm_movemask_epi8(m);
}

static unsigned html_mask16(const unsigned char *p)
{
	return html_mask_reg(_mm_loadu_si128((const __m128i *)(const void *)p));
}

static size_t html_next(const unsigned char *u, size_t i, size_t len)
{
	unsigned bits;

	for (; len - i >= 16; i += 16)
		if ((bits = html_mask16(u + i)))
			return i + (size_t)__builtin_ctz(bits);
	if (i == len)
		return len;
	if (len >= 16) {
		bits = html_mask16(u + len - 16) >> (16 - (len - i));
	} else {
		unsigned char tmp[16] = {0};

		memcpy(tmp, u + i, len - i);
		bits = html_mask16(tmp);
	}
	return bits ? i + (size_t)__builtin_ctz(bits) : len;
}

/*
 * Most strings a page escapes are short (names, labels, amounts: two
 * thirds under 16 bytes, nearly all under 33) and have nothing to replace.
 * Such a string is read as two overlapping words (16, 8 or 4 bytes from
 * each end, loads of exactly those bytes) and, when none of its bytes is
 * special, written straight into out as the same two words (1 to 3 bytes
 * one by one).
 * Returns false (writing nothing) when a byte must be replaced or out has
 * no room for len more bytes (the slow path grows it: no call here, so the
 * quick path needs no stack frame); len > 0.
 */
#if defined(__GNUC__)
__attribute__((always_inline))   /* buf_add_html's quick path: no call, no frame */
#endif
static inline bool html_short_plain(struct buf *b, const unsigned char *u, size_t len)
{
	char *d;
	__m128i v;

	if (len >= 16) {
		/* 16 to 32 bytes: the sixteen from each end */
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)u);
		__m128i y = _mm_loadu_si128((const __m128i *)(const void *)(u + len - 16));

		if (html_mask_reg(x) | html_mask_reg(y))
			return false;
		if (b->len + len >= b->cap)
			return false;
		d = b->ptr + b->len;
		_mm_storeu_si128((__m128i *)(void *)d, x);
		_mm_storeu_si128((__m128i *)(void *)(d + len - 16), y);
	} else if (len >= 8) {
		uint64_t x, y;

		memcpy(&x, u, 8);
		memcpy(&y, u + len - 8, 8);
		v = _mm_set_epi64x((long long)y, (long long)x);
		if (html_mask_reg(v))
			return false;
		if (b->len + len >= b->cap)
			return false;
		d = b->ptr + b->len;
		memcpy(d, &x, 8);
		memcpy(d + len - 8, &y, 8);
	} else if (len >= 4) {
		uint32_t x, y;

		memcpy(&x, u, 4);
		memcpy(&y, u + len - 4, 4);
		v = _mm_set_epi32(0, 0, (int)y, (int)x);
		if (html_mask_reg(v))
			return false;
		if (b->len + len >= b->cap)
			return false;
		d = b->ptr + b->len;
		memcpy(d, &x, 4);
		memcpy(d + len - 4, &y, 4);
	} else {
		/* 1 to 3 bytes: the first, the middle and the last one */
		if (html_class[u[0]] | html_class[u[len / 2]] | html_class[u[len - 1]])
			return false;
		if (b->len + len >= b->cap)
			return false;
		d = b->ptr + b->len;
		d[0] = (char)u[0];
		d[len / 2] = (char)u[len / 2];
		d[len - 1] = (char)u[len - 1];
	}
	b->len += len;
	b->ptr[b->len] = '\0';
	return true;
}
#else
static size_t html_next(const unsigned char *u, size_t i, size_t len)
{
	while (i < len && !html_class[u[i]])
		i++;
	return i;
}
#endif

/* buf_add_html() past its quick path: run by run, each special byte
 * replaced. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void html_escape_runs(struct buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, start = 0;

	while ((i = html_next(u, start, len)) < len) {
		unsigned k = html_class[u[i]];

		buf_add(b, s + start, i - start);
		buf_add(b, html_entity[k].s, html_entity[k].len);
		start = i + 1;
	}
	buf_add(b, s + start, len - start);
}

void buf_add_html(struct buf *b, const char *s, size_t len)
{
#ifdef __SSE2__
	/* 1 to 32 bytes with nothing to replace */
	if (len - 1 < 32 && html_short_plain(b, (const unsigned char *)s, len))
		return;
#endif
	html_escape_runs(b, s, len);
}

char *buf_int_text(char *end, long long n)
{
	unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;

	do {
		*--end = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		*--end = '-';
	return end;
}

void buf_add_int(struct buf *b, long long n)
{
	char tmp[BUF_INT_MAX], *p = buf_int_text(tmp + sizeof(tmp), n);

	buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

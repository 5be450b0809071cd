/*
 * buf: a growable byte buffer.
 *
 * A buf is never NULL-pointed and always NUL-terminated, so buf.ptr can be
 * used as a C string at any time (like git's strbuf).  Initialise with
 * BUF_INIT or buf_init(); buf_release() frees the contents; buf_detach()
 * hands the string to the caller, who frees it with free().
 */
#ifndef BRIEFGEN_BUF_H
#define BRIEFGEN_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char *ptr;
	size_t len;
	size_t cap;
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
char *buf_detach(struct buf *b, size_t *len);
void buf_grow(struct buf *b, size_t extra);
static inline void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
static inline void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);
/* Append s with &, <, >, " and ' escaped for HTML text and attributes. */
void buf_add_html(struct buf *b, const char *s, size_t len);
/* Append n in decimal, as printf's "%lld" would. */
void buf_add_int(struct buf *b, long long n);
/* Write n in decimal ("%lld") into the BUF_INT_MAX bytes before end, not
 * NUL-terminated; returns where it starts (the length is end - start). */
#define BUF_INT_MAX 20
char *buf_int_text(char *end, long long n);

/* buf_add and buf_addc run for nearly every byte a build writes: inline,
 * with the growth out of line. */
static inline void buf_add(struct buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	if (b->len + len >= b->cap)
		buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

/*
 * Copy len bytes, 1 to 32, from data to dst as two overlapping loads and
 * stores of 16, 8 or 4 bytes (1 to 3 bytes: the first, middle and last
 * one), without calling memcpy: the short strings of buf_add_inline() and
 * of escapes that found nothing to replace (render/markdown.c).
 */
static inline void buf_copy_short(char *dst, const void *data, size_t len)
{
	const unsigned char *s = data;
	unsigned char *d = (unsigned char *)dst;

	if (len <= 16) {
		if (len >= 8) {
			uint64_t x, y;

			memcpy(&x, s, 8);
			memcpy(&y, s + len - 8, 8);
			memcpy(d, &x, 8);
			memcpy(d + len - 8, &y, 8);
		} else if (len >= 4) {
			uint32_t x, y;

			memcpy(&x, s, 4);
			memcpy(&y, s + len - 4, 4);
			memcpy(d, &x, 4);
			memcpy(d + len - 4, &y, 4);
		} else {
			unsigned char x = s[0], y = s[len / 2], z = s[len - 1];

			d[0] = x;
			d[len / 2] = y;
			d[len - 1] = z;
		}
	} else {
		unsigned char x[16], y[16];

		memcpy(x, s, 16);
		memcpy(y, s + len - 16, 16);
		memcpy(d, x, 16);
		memcpy(d + len - 16, y, 16);
	}
}

/*
 * buf_add() for the hottest callers (a render's template text): a copy of
 * up to 32 bytes is done here by buf_copy_short(); longer ones call memcpy.
 */
static inline void buf_add_inline(struct buf *b, const void *data, size_t len)
{
	if (!len)
		return;
	if (b->len + len >= b->cap)
		buf_grow(b, len);
	if (len <= 32)
		buf_copy_short(b->ptr + b->len, data, len);
	else
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

static inline void buf_addc(struct buf *b, char c)
{
	if (b->len + 1 >= b->cap)
		buf_grow(b, 1);
	b->ptr[b->len++] = c;
	b->ptr[b->len] = '\0';
}

#endif

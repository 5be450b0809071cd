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
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);
/* Append s with &, <, >, " and ' escaped for HTML text and attributes. */
void buf_add_html(struct buf *b, const char *s, size_t len);

#endif

/*
 * alloc: the one place that handles running out of memory.
 *
 * Every allocation in briefgen goes through these functions.  On failure they
 * print a message and abort, so no other module checks for NULL after an
 * allocation.  Tests may install a hook that is called instead of abort()
 * (see alloc_set_failure_hook) to prove that the message is printed.
 *
 * Ownership: whatever these return belongs to the caller and is released
 * with free().
 */
#ifndef BRIEFGEN_ALLOC_H
#define BRIEFGEN_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grow an array of *cap elements of size elem so that it holds need. */
void *xgrow(void *ptr, size_t elem, size_t need, size_t *cap);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Print the out-of-memory message for a request of size bytes and abort:
 * for an allocator of its own (heap.h) whose request cannot be made. */
_Noreturn void alloc_fail(size_t size);

/* Called with the failed request size before abort(); for tests. */
void alloc_set_failure_hook(void (*hook)(size_t size));

#endif

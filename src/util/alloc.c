#include "alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*failure_hook)(size_t);

void alloc_set_failure_hook(void (*hook)(size_t size))
{
	failure_hook = hook;
}

static _Noreturn void out_of_memory(size_t size)
{
	fprintf(stderr, "briefgen: out of memory (%zu bytes)\n", size);
	if (failure_hook)
		failure_hook(size);
	abort();
}

void alloc_fail(size_t size)
{
	out_of_memory(size);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		out_of_memory(nmemb * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xgrow(void *ptr, size_t elem, size_t need, size_t *cap)
{
	size_t n;

	if (need <= *cap)
		return ptr;
	n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	if (n > ((size_t)-1) / elem)
		out_of_memory((size_t)-1);
	*cap = n;
	return xrealloc(ptr, n * elem);
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory(0);
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

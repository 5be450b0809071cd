/*
 * embedded: the default templates/ folder, compiled into the binary by
 * build-aux/embed-templates.cmake.  The table ends with a NULL path; data is
 * NUL-terminated and static (never freed).
 */
#ifndef BRIEFGEN_EMBEDDED_H
#define BRIEFGEN_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *path;   /* relative to templates/, e.g. "html/index.mustache" */
	const char *data;
	size_t len;
};

extern const struct embedded_file embedded_files[];

#endif

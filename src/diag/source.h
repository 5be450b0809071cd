/*
 * source: the lines of a content file, for showing them under diagnostics.
 *
 * Diagnostics come sorted by file, so a struct source keeps one file at a
 * time and reads each file once (a file with thousands of errors must not be
 * read thousands of times).  A file is read only when it is a regular file
 * of at most DIAG_SOURCE_MAX bytes, opened without blocking: a FIFO or device
 * put where a content file was must not hang the report (the loader has said
 * what is wrong with it already).  The struct owns what it has read.
 */
#ifndef BRIEFGEN_SOURCE_H
#define BRIEFGEN_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

struct source {
	char *file;        /* NULL: nothing loaded */
	char *text;        /* NULL when the file could not be read */
	size_t len;
	size_t *lines;     /* byte offset of each line's start */
	size_t nlines;
};

/* Start with nothing loaded (a zeroed struct is the same). */
void source_init(struct source *sc);
void source_release(struct source *sc);

/* Line `line` (1-based) of file, in [*start, *start + *n), without its line
 * end; false when the file cannot be read or has no such line.  The text
 * stays valid until the next call with another file, or source_release. */
bool source_line(struct source *sc, const char *file, int line, const char **start, size_t *n);

#endif

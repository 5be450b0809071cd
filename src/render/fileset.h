/*
 * fileset: an output (output.h) that keeps every file in memory.
 *
 * Used by serve/ to serve a build from memory and swap it in whole, and by
 * tests.  The fileset owns its paths and contents; fileset_free() frees
 * them.  Files are kept in the order they were first written.
 */
#ifndef BRIEFGEN_FILESET_H
#define BRIEFGEN_FILESET_H

#include <stddef.h>

#include "../util/buf.h"
#include "output.h"

struct fileset_file {
	char *path;
	struct buf data;
};

struct fileset {
	struct fileset_file *files;
	size_t n, cap;
};

struct fileset *fileset_new(void);
void fileset_free(struct fileset *fs);
/* An output that writes into fs (borrowed: fs must outlive it). */
struct output fileset_output(struct fileset *fs);
/* The file at path, or NULL. */
const struct fileset_file *fileset_get(const struct fileset *fs, const char *path);

#endif

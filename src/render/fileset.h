/*
 * fileset: an output (output.h) that keeps every file in memory.
 *
 * Used by serve/ to serve a build from memory and swap it in whole, and by
 * tests.  The fileset owns its paths; a file's bytes are either its own
 * (written through fileset_output) or a shared, reference-counted blob
 * (fileset_put_blob), which several filesets can hold at once: serve's
 * incremental builds (render/site.h, site_update) share every file that did
 * not change with the build before.  Either way the bytes are read as
 * file->data, which is never changed while the fileset lives.
 * fileset_free() frees what it owns and drops its blob references.  Files
 * are kept in the order they were first written; fileset_get() finds one
 * by path without a search through all of them.
 */
#ifndef BRIEFGEN_FILESET_H
#define BRIEFGEN_FILESET_H

#include <stdatomic.h>
#include <stddef.h>

#include "../util/buf.h"
#include "../util/strmap.h"
#include "output.h"

/* Bytes shared between filesets: immutable once made.  Created holding one
 * reference (the caller's); fileset_blob_unref() frees it with the last.
 * Both are thread-safe. */
struct fileset_blob {
	atomic_uint refs;
	struct buf data;
};

struct fileset_file {
	char *path;
	struct buf data;             /* the bytes: owned, or borrowed from blob */
	struct fileset_blob *blob;   /* NULL: data is the file's own */
};

struct fileset {
	struct fileset_file *files;
	size_t n, cap;
	struct strmap index;         /* path -> position in files */
};

struct fileset *fileset_new(void);
void fileset_free(struct fileset *fs);
/* An output that writes into fs (borrowed: fs must outlive it). */
struct output fileset_output(struct fileset *fs);
/* The file at path, or NULL. */
const struct fileset_file *fileset_get(const struct fileset *fs, const char *path);

/* A blob holding b's bytes (b is left empty). */
struct fileset_blob *fileset_blob_new(struct buf *b);
struct fileset_blob *fileset_blob_ref(struct fileset_blob *blob);
void fileset_blob_unref(struct fileset_blob *blob);

/* Add (or replace) the file at path with blob's bytes; fs takes a
 * reference of its own. */
void fileset_put_blob(struct fileset *fs, const char *path, struct fileset_blob *blob);

#endif

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
 * fileset_free() frees what it owns and drops its blob references.  Read
 * a file's bytes with fileset_data() (or file->data where the fileset was
 * made by fileset_output alone).  Files
 * are kept in the order they were first written; fileset_get() finds one
 * by path without a search through all of them.
 */
#ifndef BRIEFGEN_FILESET_H
#define BRIEFGEN_FILESET_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
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
	struct buf data;             /* the bytes: owned, or borrowed from blob; for a
				      * file of parts, read them with fileset_data() */
	struct fileset_blob *blob;   /* NULL: data is the file's own */
	struct fileset_blob **parts; /* a file put as parts (fileset_put_parts), joined
				      * into data on the first fileset_data(); NULL: none */
	size_t nparts, size;         /* for a file of parts: how many, its size */
	bool joined;                 /* data holds the parts (under the fileset's lock) */
};

struct fileset {
	struct fileset_file *files;
	size_t n, cap;
	struct strmap index;         /* path -> position in files */
	pthread_mutex_t lock;        /* guards the joining of files of parts */
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

/* Add (or replace) the file at path as the n blobs of parts one after the
 * other (fs takes a reference of each).  They are joined into one buffer
 * only when the file is first read: serve's updates make print.html and
 * briefing.md again from thousands of parts on every save, and they are
 * seldom asked for. */
void fileset_put_parts(struct fileset *fs, const char *path, struct fileset_blob *const *parts,
		       size_t n);

/* The bytes of file f of fs: f->data, joined from its parts first if it
 * is a file of parts (once; thread-safe).  Valid while fs lives. */
const struct buf *fileset_data(const struct fileset *fs, const struct fileset_file *f);

/* The size of f without joining it. */
size_t fileset_size(const struct fileset_file *f);

/* Whether a and b hold the same bytes, compared part by part where both
 * are files of parts, without a byte compare of shared blobs. */
bool fileset_same_file(const struct fileset_file *a, const struct fileset_file *b);

#endif

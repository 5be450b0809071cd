/*
 * output: where a build's files go.
 *
 * render/ never touches the disk: it hands each file it produces to an
 * output.  An output is a small table of functions, so the same rendering
 * feeds a staging folder (write/, publish/) or memory (fileset.h, used by
 * serve/).  Paths are relative, '/'-separated, without "." or ".." parts,
 * e.g. "partners/brasov.html".
 *
 *   put     a whole file at once (most pages are a few KB)
 *   append  a file written in pieces, in order (the whole-appendix
 *           documents print.html and briefing.md, which grow with the
 *           number of partners and are never held in memory whole); the
 *           first append creates it; several may be open at once
 *
 *   put_digest  (may be NULL) put, with the SHA-256 of the data already
 *           computed: a thread that rendered a page ahead hashes it there,
 *           so the build's own thread, which hands every file on in order,
 *           does not (an output that lists digests, write/staging, takes it
 *           instead of hashing the bytes again)
 *
 *   write_ahead (may be NULL) write path's bytes now, from any thread, and
 *           register nothing; -1 (nothing recorded) when the output cannot
 *           or will not (then the file goes through put as usual).  Used by
 *           the pool's threads for a partner's own pages (render/site.c).
 *   put_written (NULL when write_ahead is) register, in order, a file that
 *           write_ahead wrote, as put_digest would, without writing it
 *
 * All return 0, or -1 after recording a message the output can report
 * (e.g. "partners/x.html: No space left on device"); rendering stops at the
 * first failure.  Data is borrowed for the duration of the call.
 */
#ifndef BRIEFGEN_OUTPUT_H
#define BRIEFGEN_OUTPUT_H

#include <stddef.h>

/* The size of a SHA-256 digest, as put_digest takes it. */
#define OUTPUT_DIGEST_SIZE 32

struct output {
	int (*put)(void *ctx, const char *path, const char *data, size_t len);
	int (*append)(void *ctx, const char *path, const char *data, size_t len);
	void *ctx;
	int (*put_digest)(void *ctx, const char *path, const char *data, size_t len,
			  const unsigned char digest[OUTPUT_DIGEST_SIZE]);
	int (*write_ahead)(void *ctx, const char *path, const char *data, size_t len);
	int (*put_written)(void *ctx, const char *path, size_t len,
			   const unsigned char digest[OUTPUT_DIGEST_SIZE]);
};

static inline int output_put(const struct output *o, const char *path, const char *data,
			     size_t len)
{
	return o->put(o->ctx, path, data, len);
}

/* put, handing on digest (the SHA-256 of data) where the output takes it. */
static inline int output_put_digest(const struct output *o, const char *path, const char *data,
				    size_t len, const unsigned char digest[OUTPUT_DIGEST_SIZE])
{
	return o->put_digest ? o->put_digest(o->ctx, path, data, len, digest)
			     : o->put(o->ctx, path, data, len);
}

static inline int output_append(const struct output *o, const char *path, const char *data,
				size_t len)
{
	return o->append(o->ctx, path, data, len);
}

#endif

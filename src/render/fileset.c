#include "fileset.h"

#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"

struct fileset *fileset_new(void)
{
	struct fileset *fs = xcalloc(1, sizeof(struct fileset));

	strmap_init(&fs->index);
	pthread_mutex_init(&fs->lock, NULL);
	return fs;
}

static void file_drop_data(struct fileset_file *f)
{
	size_t i;

	for (i = 0; i < f->nparts; i++)
		fileset_blob_unref(f->parts[i]);
	free(f->parts);
	f->parts = NULL;
	f->nparts = f->size = 0;
	if (f->joined) {
		f->joined = false;
		buf_release(&f->data);
	}
	if (f->blob) {
		fileset_blob_unref(f->blob);
		f->blob = NULL;
		buf_init(&f->data);
	} else {
		buf_release(&f->data);
	}
}

void fileset_free(struct fileset *fs)
{
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->n; i++) {
		free(fs->files[i].path);
		file_drop_data(&fs->files[i]);
	}
	free(fs->files);
	strmap_release(&fs->index);
	pthread_mutex_destroy(&fs->lock);
	free(fs);
}

const struct fileset_file *fileset_get(const struct fileset *fs, const char *path)
{
	size_t i;

	return strmap_get(&fs->index, path, &i) ? &fs->files[i] : NULL;
}

static struct fileset_file *file_for(struct fileset *fs, const char *path)
{
	struct fileset_file *f = (struct fileset_file *)fileset_get(fs, path);

	if (f)
		return f;
	/* The index borrows the paths, which stay where they are when the
	 * array grows. */
	fs->files = xgrow(fs->files, sizeof(*fs->files), fs->n + 1, &fs->cap);
	f = &fs->files[fs->n++];
	f->path = xstrdup(path);
	f->blob = NULL;
	f->parts = NULL;
	f->nparts = f->size = 0;
	f->joined = false;
	buf_init(&f->data);
	strmap_set(&fs->index, f->path, fs->n - 1);
	return f;
}

static int fs_put(void *ctx, const char *path, const char *data, size_t len)
{
	struct fileset_file *f = file_for(ctx, path);

	file_drop_data(f);
	buf_reset(&f->data);
	buf_add(&f->data, data, len);
	return 0;
}

static int fs_append(void *ctx, const char *path, const char *data, size_t len)
{
	struct fileset_file *f = file_for(ctx, path);

	if (f->blob || f->parts) {
		/* Appending to a shared file: make it the fileset's own first. */
		struct buf own = BUF_INIT;
		const struct buf *old = fileset_data(ctx, f);

		buf_add(&own, old->ptr, old->len);
		file_drop_data(f);
		f->data = own;
	}
	buf_add(&f->data, data, len);
	return 0;
}

struct output fileset_output(struct fileset *fs)
{
	struct output o = {fs_put, fs_append, fs, NULL, NULL, NULL};
	return o;
}

struct fileset_blob *fileset_blob_new(struct buf *b)
{
	struct fileset_blob *blob = xmalloc(sizeof(*blob));

	atomic_init(&blob->refs, 1);
	blob->data = *b;
	buf_init(b);
	return blob;
}

struct fileset_blob *fileset_blob_ref(struct fileset_blob *blob)
{
	atomic_fetch_add_explicit(&blob->refs, 1, memory_order_relaxed);
	return blob;
}

void fileset_blob_unref(struct fileset_blob *blob)
{
	if (!blob || atomic_fetch_sub_explicit(&blob->refs, 1, memory_order_acq_rel) != 1)
		return;
	buf_release(&blob->data);
	free(blob);
}

void fileset_put_blob(struct fileset *fs, const char *path, struct fileset_blob *blob)
{
	struct fileset_file *f = file_for(fs, path);

	file_drop_data(f);
	f->blob = fileset_blob_ref(blob);
	f->data = blob->data;
}

void fileset_put_parts(struct fileset *fs, const char *path, struct fileset_blob *const *parts,
		       size_t n)
{
	struct fileset_file *f = file_for(fs, path);
	size_t i;

	file_drop_data(f);
	f->parts = xmalloc((n ? n : 1) * sizeof(*f->parts));
	for (i = 0; i < n; i++) {
		f->parts[i] = fileset_blob_ref(parts[i]);
		f->size += parts[i]->data.len;
	}
	f->nparts = n;
}

const struct buf *fileset_data(const struct fileset *fs, const struct fileset_file *f)
{
	struct fileset_file *m = (struct fileset_file *)f;
	size_t i;

	if (!f->parts)
		return &f->data;
	/* The lock is part of the fileset, not of what it holds. */
	pthread_mutex_lock((pthread_mutex_t *)&fs->lock);
	if (!m->joined) {
		buf_init(&m->data);
		buf_grow(&m->data, m->size);
		for (i = 0; i < m->nparts; i++)
			buf_add(&m->data, m->parts[i]->data.ptr, m->parts[i]->data.len);
		m->joined = true;
	}
	pthread_mutex_unlock((pthread_mutex_t *)&fs->lock);
	return &f->data;
}

size_t fileset_size(const struct fileset_file *f)
{
	return f->parts ? f->size : f->data.len;
}

/* Part k of f: its parts, or its data as one part. */
static const struct buf *part_of(const struct fileset_file *f, size_t k)
{
	return f->parts ? &f->parts[k]->data : &f->data;
}

bool fileset_same_file(const struct fileset_file *a, const struct fileset_file *b)
{
	size_t na = a->parts ? a->nparts : 1, nb = b->parts ? b->nparts : 1;
	size_t ia = 0, ib = 0, oa = 0, ob = 0;

	if (fileset_size(a) != fileset_size(b))
		return false;
	/* Both as runs of parts, compared where they overlap; a part shared by
	 * both at the same place is not compared byte for byte. */
	for (;;) {
		const struct buf *pa, *pb;
		size_t n;

		while (ia < na && oa == part_of(a, ia)->len) {
			ia++;
			oa = 0;
		}
		while (ib < nb && ob == part_of(b, ib)->len) {
			ib++;
			ob = 0;
		}
		if (ia == na || ib == nb)
			return ia == na && ib == nb;
		pa = part_of(a, ia);
		pb = part_of(b, ib);
		n = pa->len - oa < pb->len - ob ? pa->len - oa : pb->len - ob;
		if (pa->ptr + oa != pb->ptr + ob && memcmp(pa->ptr + oa, pb->ptr + ob, n) != 0)
			return false;
		oa += n;
		ob += n;
	}
}

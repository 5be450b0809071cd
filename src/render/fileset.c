#include "fileset.h"

#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"

struct fileset *fileset_new(void)
{
	struct fileset *fs = xcalloc(1, sizeof(struct fileset));

	strmap_init(&fs->index);
	return fs;
}

static void file_drop_data(struct fileset_file *f)
{
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

	if (f->blob) {
		/* Appending to a shared file: make it the fileset's own first. */
		struct buf own = BUF_INIT;

		buf_add(&own, f->data.ptr, f->data.len);
		file_drop_data(f);
		f->data = own;
	}
	buf_add(&f->data, data, len);
	return 0;
}

struct output fileset_output(struct fileset *fs)
{
	struct output o = {fs_put, fs_append, fs};
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

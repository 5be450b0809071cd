#include "fileset.h"

#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"

struct fileset *fileset_new(void)
{
	return xcalloc(1, sizeof(struct fileset));
}

void fileset_free(struct fileset *fs)
{
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->n; i++) {
		free(fs->files[i].path);
		buf_release(&fs->files[i].data);
	}
	free(fs->files);
	free(fs);
}

const struct fileset_file *fileset_get(const struct fileset *fs, const char *path)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->files[i].path, path) == 0)
			return &fs->files[i];
	return NULL;
}

static struct fileset_file *file_for(struct fileset *fs, const char *path)
{
	struct fileset_file *f = (struct fileset_file *)fileset_get(fs, path);

	if (f)
		return f;
	fs->files = xgrow(fs->files, sizeof(*fs->files), fs->n + 1, &fs->cap);
	f = &fs->files[fs->n++];
	f->path = xstrdup(path);
	buf_init(&f->data);
	return f;
}

static int fs_put(void *ctx, const char *path, const char *data, size_t len)
{
	struct fileset_file *f = file_for(ctx, path);

	buf_reset(&f->data);
	buf_add(&f->data, data, len);
	return 0;
}

static int fs_append(void *ctx, const char *path, const char *data, size_t len)
{
	buf_add(&file_for(ctx, path)->data, data, len);
	return 0;
}

struct output fileset_output(struct fileset *fs)
{
	struct output o = {fs_put, fs_append, fs};
	return o;
}

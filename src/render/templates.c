#include "templates.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../load/loader.h"
#include "../util/alloc.h"
#include "embedded.h"
#include "../util/intl.h"

struct cached {
	char *path;      /* relative */
	char *origin;    /* on disk */
	char *data;      /* NULL: not in the override folder, or refused */
	size_t len;
	bool refused;    /* there, but not a file that may be read */
};

struct templates {
	char *dir;
	char *root;      /* dir's real path; NULL when it cannot be resolved */
	struct diags *diags;
	struct cached *files;
	size_t n, cap;
};

struct templates *templates_new(const char *override_dir)
{
	struct templates *t = xcalloc(1, sizeof(*t));
	t->dir = override_dir ? xstrdup(override_dir) : NULL;
	t->root = override_dir ? realpath(override_dir, NULL) : NULL;
	return t;
}

void templates_report_to(struct templates *t, struct diags *diags)
{
	if (!t->diags)
		t->diags = diags;
}

void templates_free(struct templates *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->files[i].path);
		free(t->files[i].origin);
		free(t->files[i].data);
	}
	free(t->files);
	free(t->dir);
	free(t->root);
	free(t);
}

static const struct embedded_file *embedded_find(const char *path)
{
	const struct embedded_file *e;

	for (e = embedded_files; e->path; e++)
		if (strcmp(e->path, path) == 0)
			return e;
	return NULL;
}

static struct cached *override_find(struct templates *t, const char *path)
{
	struct cached *c;
	struct load_failure why;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->files[i].path, path) == 0)
			return &t->files[i];
	t->files = xgrow(t->files, sizeof(*t->files), t->n + 1, &t->cap);
	c = &t->files[t->n++];
	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	c->origin = xasprintf("%s/%s", t->dir, path);
	if (!t->root)
		return c;   /* no folder: every file comes from the binary */
	c->data = load_read_file_in(c->origin, t->root, LOAD_MAX_FILE, &c->len, &why);
	/* Only a file that is not there falls back to the built-in one: a FIFO,
	 * a link out of the folder or an unreadable file is an error, never
	 * silently replaced. */
	if (!c->data && !(why.kind == LOAD_ERRNO && (why.err == ENOENT || why.err == ENOTDIR))) {
		c->refused = true;
		if (t->diags)
			load_report(c->origin, &why, _("templates folder"), t->diags);
	}
	return c;
}

const char *templates_get(struct templates *t, const char *path, size_t *len,
			  const char **origin)
{
	const struct embedded_file *e;

	if (t->dir) {
		struct cached *c = override_find(t, path);
		if (c->refused)
			return NULL;
		if (c->data) {
			if (len)
				*len = c->len;
			if (origin)
				*origin = c->origin;
			return c->data;
		}
	}
	e = embedded_find(path);
	if (!e)
		return NULL;
	if (len)
		*len = e->len;
	if (origin)
		*origin = e->path;
	return e->data;
}

static int mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

int templates_export(const char *dir, char **err)
{
	const struct embedded_file *e;
	int written = 0;

	for (e = embedded_files; e->path; e++) {
		char *path = xasprintf("%s/%s", dir, e->path);
		int fd;
		ssize_t w;

		if (mkdirs(path) != 0) {
			*err = xasprintf(_("%s: cannot create folder: %s"), path, strerror(errno));
			free(path);
			return -1;
		}
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 && errno == EEXIST) {
			free(path);
			continue;   /* never overwrite the user's edits */
		}
		if (fd < 0) {
			*err = xasprintf("%s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		w = write(fd, e->data, e->len);
		if (w != (ssize_t)e->len || close(fd) != 0) {
			*err = xasprintf("%s: %s", path, w < 0 ? strerror(errno) : "short write");
			if (w != (ssize_t)e->len)
				close(fd);
			free(path);
			return -1;
		}
		written++;
		free(path);
	}
	return written;
}

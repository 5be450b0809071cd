#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/alloc.h"
#include "../util/buf.h"

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | \
		    IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

struct watched {
	int wd;
	char *path;
	int depth;         /* how many levels below it are watched too */
};

struct watch {
	int fd;
	struct watched *dirs;
	size_t n, cap;
	struct buf last;   /* the path of the last change, for messages */
};

struct watch *watch_new(char **err)
{
	struct watch *w;
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

	if (fd < 0) {
		*err = xasprintf("cannot watch for changes: %s", strerror(errno));
		return NULL;
	}
	w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	buf_init(&w->last);
	return w;
}

void watch_free(struct watch *w)
{
	size_t i;

	if (!w)
		return;
	close(w->fd);
	for (i = 0; i < w->n; i++)
		free(w->dirs[i].path);
	free(w->dirs);
	buf_release(&w->last);
	free(w);
}

int watch_fd(const struct watch *w)
{
	return w->fd;
}

static struct watched *find(struct watch *w, int wd)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->dirs[i].wd == wd)
			return &w->dirs[i];
	return NULL;
}

static void forget(struct watch *w, int wd)
{
	struct watched *d = find(w, wd);

	if (!d)
		return;
	free(d->path);
	*d = w->dirs[--w->n];
}

/* Editors' swap, backup and lock files. */
static bool ignored(const char *name)
{
	size_t n = strlen(name);

	return name[0] == '.' || (n && name[n - 1] == '~');
}

int watch_add_tree(struct watch *w, const char *dir, int depth, char **err)
{
	struct watched *d;
	struct dirent *e;
	DIR *dp;
	int wd = inotify_add_watch(w->fd, dir, WATCH_MASK);

	if (wd < 0) {
		if (err)
			*err = xasprintf("cannot watch %s: %s", dir, strerror(errno));
		return -1;
	}
	/* The same folder (inode) gives the same wd: update it in place. */
	d = find(w, wd);
	if (!d) {
		w->dirs = xgrow(w->dirs, sizeof(*w->dirs), w->n + 1, &w->cap);
		d = &w->dirs[w->n++];
		d->wd = wd;
	} else {
		free(d->path);
	}
	d->path = xstrdup(dir);
	d->depth = depth;
	if (depth <= 0 || !(dp = opendir(dir)))
		return 0;
	while ((e = readdir(dp))) {
		struct stat st;
		char *sub;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || ignored(e->d_name))
			continue;
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN && e->d_type != DT_LNK)
			continue;
		sub = xasprintf("%s/%s", dir, e->d_name);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			watch_add_tree(w, sub, depth - 1, NULL);
		free(sub);
	}
	closedir(dp);
	return 0;
}

int watch_read(struct watch *w, const char **path, watch_change_fn *each, void *ud)
{
	/* Aligned as the kernel's events are. */
	char chunk[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	int changes = 0;

	for (;;) {
		ssize_t len = read(w->fd, chunk, sizeof(chunk));
		const char *p;

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (len <= 0)
			return -1;
		for (p = chunk; p < chunk + len;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			struct watched *d;

			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				/* Events were lost: assume something changed. */
				changes++;
				if (each)
					each(ud, NULL, false);
				continue;
			}
			if (ev->mask & IN_IGNORED) {
				forget(w, ev->wd);
				continue;
			}
			d = find(w, ev->wd);
			if (!d || (ev->len && ignored(ev->name)))
				continue;
			buf_reset(&w->last);
			buf_adds(&w->last, d->path);
			if (ev->len)
				buf_addf(&w->last, "/%s", ev->name);
			if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
			    d->depth > 0) {
				/* d may move when the array grows: copy what is needed. */
				int depth = d->depth - 1;
				char *sub = xstrdup(w->last.ptr);

				watch_add_tree(w, sub, depth, NULL);
				free(sub);
			}
			changes++;
			if (each)
				each(ud, w->last.ptr,
				     !(ev->mask & IN_ISDIR) && (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)));
		}
	}
	if (path && changes)
		*path = w->last.ptr;
	return changes;
}

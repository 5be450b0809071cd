#include "dirwalk.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../util/alloc.h"
#include "fault.h"

struct walk {
	const char *top;
	dirwalk_visit visit;
	void *ud;
	struct buf rel;
	bool stopped;
};

static int walk_dir(struct walk *w, int fd, char **err)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	size_t keep = w->rel.len;
	int ret = -1, step;

	if (!d) {
		*err = xasprintf("%s/%s: %s", w->top, w->rel.ptr, strerror(errno));
		close(fd);
		return -1;
	}
	for (;;) {
		struct stat st;

		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno) {
				*err = xasprintf("%s/%s: readdir: %s", w->top, w->rel.ptr,
						 strerror(errno));
				goto out;
			}
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		w->rel.len = keep;
		w->rel.ptr[keep] = '\0';
		buf_adds(&w->rel, de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			*err = xasprintf("%s/%s: %s", w->top, w->rel.ptr, strerror(errno));
			goto out;
		}
		step = w->visit(w->ud, w->rel.ptr, de->d_name, &st, err);
		if (step < 0)
			goto out;
		if (step == DIRWALK_STOP) {
			w->stopped = true;
			break;
		}
		if (step == DIRWALK_DESCEND && S_ISDIR(st.st_mode)) {
			int sub = fault_openat(dirfd(d), de->d_name,
					       O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
			if (sub < 0) {
				*err = xasprintf("%s/%s: open: %s", w->top, w->rel.ptr,
						 strerror(errno));
				goto out;
			}
			buf_addc(&w->rel, '/');
			if (walk_dir(w, sub, err) < 0)
				goto out;
			if (w->stopped)
				break;
		}
	}
	ret = 0;
out:
	w->rel.len = keep;
	if (w->rel.cap)
		w->rel.ptr[keep] = '\0';
	closedir(d);
	return ret;
}

int dirwalk(int fd, const char *top, dirwalk_visit visit, void *ud, char **err)
{
	struct walk w = {top, visit, ud, BUF_INIT, false};
	int ret = walk_dir(&w, fd, err);

	buf_release(&w.rel);
	return ret;
}

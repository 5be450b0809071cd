#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/alloc.h"
#include "../util/tempdir.h"
#include "finish.h"
#include "../util/intl.h"

static int write_file(const char *path, const struct buf *data, char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	size_t done = 0;

	if (fd < 0) {
		*err = xasprintf("%s: open: %s", path, strerror(errno));
		return -1;
	}
	while (done < data->len) {
		ssize_t n = write(fd, data->ptr + done, data->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			*err = xasprintf("%s: write: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	if (close(fd)) {
		*err = xasprintf("%s: close: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Make the folders of rel below top. */
static int make_parents(const char *top, const char *rel, char **err)
{
	const char *slash;

	for (slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		char *dir = xasprintf("%s/%.*s", top, (int)(slash - rel), rel);
		if (mkdir(dir, 0700) && errno != EEXIST) {
			*err = xasprintf("%s: mkdir: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
		free(dir);
	}
	return 0;
}

/* Write every file of the site below top.  Paths come from render/, which
 * makes only relative paths without "..". */
static int write_site(const struct fileset *site, const char *top, char **err)
{
	size_t i;

	for (i = 0; i < site->n; i++) {
		const struct fileset_file *f = &site->files[i];
		char *path;
		int rc;

		if (make_parents(top, f->path, err))
			return -1;
		path = xasprintf("%s/%s", top, f->path);
		rc = write_file(path, fileset_data(site, f), err);
		free(path);
		if (rc)
			return -1;
	}
	return 0;
}

int pdf_make(const struct fileset *site, const struct engine *e, const struct docinfo *info,
	     long long date, struct buf *out, char **err)
{
	struct buf raw = BUF_INIT;
	char *dir = NULL, *html = NULL;
	int rc = -1;

	buf_reset(out);
	if (!fileset_get(site, PDF_SOURCE)) {
		*err = xasprintf(_("the site has no %s to print"), PDF_SOURCE);
		goto out;
	}
	dir = tempdir_create("site", err);
	if (!dir || write_site(site, dir, err))
		goto out;
	html = xasprintf("%s/%s", dir, PDF_SOURCE);
	if (engine_print(e, html, &raw, err))
		goto out;
	rc = pdf_finish(raw.ptr, raw.len, info, date, out, err);
out:
	buf_release(&raw);
	tempdir_remove(dir);
	free(dir);
	free(html);
	return rc;
}

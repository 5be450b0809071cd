#include "tempdir.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "../util/intl.h"

char *tempdir_create(const char *what, char **err)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	path = xasprintf("%s/briefgen-%s-XXXXXX", tmp, what);
	if (!mkdtemp(path)) {
		*err = xasprintf(_("cannot make a temporary folder in %s: %s"), tmp, strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

/* nftw has no user pointer; thread-local, since serve prints in its threads. */
static _Thread_local int failures;

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((type == FTW_DP ? rmdir(path) : unlink(path)) != 0 && errno != ENOENT)
		failures++;
	return 0;
}

int tempdir_remove(const char *path)
{
	if (!path)
		return 0;
	failures = 0;
	/* FTW_DEPTH: a folder after its entries; FTW_PHYS: links are removed,
	 * not followed. */
	if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
		return -1;
	return failures ? -1 : 0;
}

/*
 * templates: the template files a build renders with.
 *
 * A file is looked up first in the override folder (--templates DIR), then
 * in the set compiled into the binary (embedded.h), so an override folder
 * needs only the files it changes.  Files read from the override folder are
 * cached and owned by the struct templates; the embedded ones are static.
 */
#ifndef BRIEFGEN_TEMPLATES_H
#define BRIEFGEN_TEMPLATES_H

#include <stddef.h>

#include "../diag/diag.h"

struct templates;

/* override_dir may be NULL.  Never fails. */
struct templates *templates_new(const char *override_dir);
void templates_free(struct templates *t);

/* Report files of the override folder that are refused (below) to diags,
 * borrowed until templates_free(); the first call wins.  Without it a
 * refused file is only not found. */
void templates_report_to(struct templates *t, struct diags *diags);

/* The contents of path (e.g. "html/index.mustache"), NUL-terminated, or
 * NULL when neither the folder nor the binary has it.  Borrowed: valid
 * until templates_free().  *origin, if not NULL, is set to the file's path
 * on disk or "(built-in)/path" for messages.
 *
 * Only regular files inside the override folder are read (opened with
 * O_NONBLOCK, checked with fstat; real path inside the folder's): a FIFO,
 * device or socket, a symbolic link out of the folder, a file over 256 KiB
 * or one that cannot be read is reported (templates_report_to) and gives
 * NULL; it never falls back to the built-in file. */
const char *templates_get(struct templates *t, const char *path, size_t *len,
			  const char **origin);

/* Write every built-in file into dir (created; existing files are not
 * overwritten).  Returns the number written, or -1 with *err malloc'd. */
int templates_export(const char *dir, char **err);

#endif

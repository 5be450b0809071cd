/*
 * tempdir: a private temporary folder, and removing a folder whole.
 *
 * Used where briefgen needs scratch space outside any output folder (the
 * PDF engine's profile, a site written out for it to print).  Folders are
 * made 0700 under $TMPDIR (default /tmp).
 */
#ifndef BRIEFGEN_TEMPDIR_H
#define BRIEFGEN_TEMPDIR_H

/* Make $TMPDIR/briefgen-<what>-XXXXXX.  Returns its path (the caller frees
 * it and removes the folder with tempdir_remove), or NULL with *err
 * malloc'd. */
char *tempdir_create(const char *what, char **err);

/* Remove path and everything below it, never following symbolic links.
 * Accepts NULL.  Returns 0, or -1 when something could not be removed. */
int tempdir_remove(const char *path);

#endif

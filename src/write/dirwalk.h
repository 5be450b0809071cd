/*
 * dirwalk: visit every entry below a folder, depth first, in readdir order.
 *
 * The one readdir loop of write/: the manifest lists a folder's files with
 * it, staging checks with it that a folder holds only files briefgen
 * wrote.  Entries are not followed through symbolic links (fstatat with
 * AT_SYMLINK_NOFOLLOW, folders opened O_NOFOLLOW); "." and ".." are
 * skipped.  Sub-folders are opened through fault.h, so tests can fail that
 * step too.
 */
#ifndef BRIEFGEN_DIRWALK_H
#define BRIEFGEN_DIRWALK_H

#include <sys/stat.h>

#include "../util/buf.h"

enum dirwalk_step {
	DIRWALK_NEXT,      /* go on with the next entry */
	DIRWALK_DESCEND,   /* (a folder) visit its entries, then go on */
	DIRWALK_STOP       /* end the walk, successfully */
};

/*
 * Called for each entry: rel is its path relative to the top ("a/b.html"),
 * name its last part, st its lstat.  Returns a step, or -1 with *err set
 * to end the walk with an error.
 */
typedef int (*dirwalk_visit)(void *ud, const char *rel, const char *name, const struct stat *st,
			     char **err);

/*
 * Walk the folder fd (which is closed here, whatever happens), shown as
 * top in messages.  Returns 0 when the walk ended (or was stopped), -1
 * with *err malloc'd ("TOP/a/b: readdir: Input/output error") or as the
 * visitor set it.
 */
int dirwalk(int fd, const char *top, dirwalk_visit visit, void *ud, char **err);

#endif

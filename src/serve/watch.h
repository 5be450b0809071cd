/*
 * watch: tell when files under a few folders change (Linux inotify).
 *
 * serve watches the content folder and its sub-folders (partners/) and the
 * --templates folder and its sub-folders (html/, md/, i18n/, assets/): a
 * tree watched to a given depth.  Editors save in different ways: in place
 * (IN_CLOSE_WRITE), by writing a new file and renaming it over the old one
 * (IN_MOVED_TO), by deleting and creating (IN_DELETE, IN_CREATE); all of
 * them count as a change.  A folder created inside a watched tree is
 * watched too.  Names starting with '.' or ending in '~' (editors' swap and
 * backup files) are ignored.
 *
 * watch_read() never blocks: poll watch_fd() for input first.
 */
#ifndef BRIEFGEN_WATCH_H
#define BRIEFGEN_WATCH_H

#include <stdbool.h>

struct watch;

/* A watcher with nothing watched yet; NULL with *err malloc'd on failure
 * (inotify not available, too many instances). */
struct watch *watch_new(char **err);
void watch_free(struct watch *w);

/*
 * Watch dir and the folders under it down to depth levels (0: dir only).
 * Calling it again for a tree already watched is cheap and picks up
 * folders that appeared or were re-created.  Returns 0, or -1 with *err
 * malloc'd when dir itself cannot be watched (sub-folders that cannot be
 * watched are skipped).
 */
int watch_add_tree(struct watch *w, const char *dir, int depth, char **err);

/* The file descriptor to poll for input. */
int watch_fd(const struct watch *w);

/*
 * What watch_read tells of each change, in order: its path (borrowed for
 * the call; NULL when events were lost and anything may have changed),
 * and whether it is a finished save of a file (written and closed, or
 * renamed onto its name: IN_CLOSE_WRITE, IN_MOVED_TO) rather than a file
 * or folder that appeared, went away or was renamed away.
 */
typedef void watch_change_fn(void *ud, const char *path, bool saved);

/*
 * Read the pending events.  Returns the number that are changes to files
 * that matter (see above), 0 when there were none, -1 on a read error.
 * *path, when not NULL and a change was seen, is set to the path of the
 * last one (borrowed: valid until the next call), for messages.  each,
 * when not NULL, is called with ud for every change.
 */
int watch_read(struct watch *w, const char **path, watch_change_fn *each, void *ud);

#endif

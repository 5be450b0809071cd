#include "publish.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/intl.h"
#include "../write/fault.h"
#include "../write/staging.h"

#define LOCK_POLL_MS 50

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* a is b, or a folder inside b. */
static bool within(const char *a, const char *b)
{
	size_t n = strlen(b);

	if (strcmp(b, "/") == 0)
		return true;
	return strncmp(a, b, n) == 0 && (a[n] == '\0' || a[n] == '/');
}

/* Why path may not be published to, as a message format (path, what the
 * source is, its path), when it overlaps source (both real paths); NULL
 * when they do not overlap. */
static const char *overlap(const char *path, const char *source)
{
	if (strcmp(path, source) == 0)
		return N_("refusing to publish to '%s': it is the %s '%s', and a publish there would "
			  "replace the source (--force does not change this); publish to a folder "
			  "outside it");
	if (within(path, source))
		return N_("refusing to publish to '%s': it is inside the %s '%s', and a publish there "
			  "would write into the source (--force does not change this); publish to a "
			  "folder outside it");
	if (within(source, path))
		return N_("refusing to publish to '%s': it holds the %s '%s', and a publish there "
			  "would replace the source (--force does not change this); publish to a "
			  "folder outside it");
	return NULL;
}

int publish_check_target(const char *path, const struct publish_source *sources,
			 size_t nsources, char **err)
{
	char parent[PATH_MAX], whole[PATH_MAX], src[PATH_MAX], *dir = NULL, *joined = NULL;
	char *owned = NULL;
	const char *name, *slash, *how, *holder = NULL;
	size_t len = strlen(path), i;
	struct stat st;
	bool exists;
	int rc = -1;

	*err = NULL;
	while (len > 1 && path[len - 1] == '/')
		len--;
	dir = xstrndup(path, len);
	slash = strrchr(dir, '/');
	name = slash ? slash + 1 : dir;
	if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
		*err = xasprintf(_("'%s': name the folder itself (not '/', '.' or '..')"), path);
		goto out;
	}
	/* The folder that holds the target: it must exist (publish never
	 * creates parents), and its real path is the target's anchor. */
	if (slash == dir)
		holder = "/";
	else if (slash)
		holder = owned = xstrndup(dir, (size_t)(slash - dir));
	else
		holder = ".";
	if (!realpath(holder, parent)) {
		int e = errno;

		if (e == ENOENT)
			*err = xasprintf(_("cannot publish to '%s': the folder '%s' does not exist "
					   "(publish makes the target, not the folders above it)"),
					 path, holder);
		else if (e == ENOTDIR)
			*err = xasprintf(_("cannot publish to '%s': '%s' is not a folder"), path,
					 holder);
		else
			*err = xasprintf(_("cannot publish to '%s': %s: %s"), path, holder,
					 strerror(e));
		goto out;
	}
	if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*err = xasprintf(_("cannot publish to '%s': '%s' is not a folder"), path, holder);
		goto out;
	}
	joined = xasprintf("%s%s%s", parent, strcmp(parent, "/") ? "/" : "", name);
	/* The target itself, when it exists, also as what it resolves to: a
	 * symlink to the content folder is refused like the folder. */
	exists = realpath(joined, whole) != NULL;
	for (i = 0; i < nsources; i++) {
		if (!sources[i].path || !realpath(sources[i].path, src))
			continue;
		how = overlap(joined, src);
		if (!how && exists)
			how = overlap(whole, src);
		if (how) {
			*err = xasprintf(_(how), path, _(sources[i].what), sources[i].path);
			goto out;
		}
	}
	rc = 0;
out:
	free(owned);
	free(dir);
	free(joined);
	return rc;
}

/* Take the lock of path; returns its fd, or -1 with *err and *status. */
static int take_lock(const char *path, const struct publish_options *opt,
		     enum publish_status *status, char **err)
{
	int wait = opt && opt->lock_wait_ms > 0 ? opt->lock_wait_ms : PUBLISH_LOCK_WAIT_MS;
	char *lock = staging_sibling(path, ".lock", err);
	int fd = -1, waited = 0;

	*status = PUBLISH_FAILED;
	if (!lock)
		return -1;
	fd = fault_openat(AT_FDCWD, lock, O_RDWR | O_CREAT | O_NOFOLLOW, 0644);
	if (fd < 0) {
		*err = xasprintf("%s: open: %s", lock, strerror(errno));
		goto out;
	}
	for (;;) {
		if (fault_flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			*err = xasprintf("%s: lock: %s", lock, strerror(errno));
			goto fail;
		}
		if (waited >= wait) {
			*status = PUBLISH_BUSY;
			*err = xasprintf(_("another briefgen is publishing to '%s' (it holds %s); "
					   "waited %d s, giving up: try again when it has finished"),
					 path, lock, wait / 1000);
			goto fail;
		}
		sleep_ms(LOCK_POLL_MS);
		waited += LOCK_POLL_MS;
	}
	goto out;
fail:
	close(fd);
	fd = -1;
out:
	free(lock);
	return fd;
}

/* Releasing a lock cannot fail in a way that matters: closing the file
 * drops it. */
static void drop_lock(int fd)
{
	if (fd >= 0)
		close(fd);
}

enum publish_status publish_site(const char *path, const struct publish_options *opt,
				 struct publish_result *res, char **err)
{
	enum publish_status status = PUBLISH_FAILED;
	struct staging *s = NULL;
	struct output out;
	unsigned flags = STAGING_SYNC | STAGING_KEEP_PREVIOUS;
	struct publish_result r;
	int lock;

	*err = NULL;
	if (publish_check_target(path, opt->sources, opt->nsources, err) != 0)
		return PUBLISH_UNSAFE;
	lock = take_lock(path, opt, &status, err);
	if (lock < 0)
		return status;
	staging_remove_leftovers(path);
	if (opt->force)
		flags |= STAGING_FORCE;
	s = staging_begin(path, flags, err);
	if (!s) {
		status = errno == EEXIST ? PUBLISH_REFUSED : PUBLISH_FAILED;
		goto out;
	}
	if (opt->warn)
		staging_set_warning(s, opt->warn, opt->warn_ud);
	out = staging_output(s);
	if (opt->render(opt->render_ud, &out) < 0) {
		if (staging_error(s)) {
			*err = xstrdup(staging_error(s));
			status = PUBLISH_FAILED;
		} else {
			status = PUBLISH_RENDER;
		}
		goto out;
	}
	if (opt->dated)
		staging_set_date(s, opt->date);
	r.files = staging_count(s);
	r.kept_previous = staging_replaces(s);
	if (staging_commit(s, err) < 0) {
		s = NULL;
		status = PUBLISH_FAILED;
		goto out;
	}
	s = NULL;
	publish_describe(path, &r.state);
	if (res)
		*res = r;
	status = PUBLISH_OK;
out:
	staging_abort(s);
	drop_lock(lock);
	return status;
}

enum publish_status publish_rollback(const char *path, const struct publish_options *opt,
				     struct publish_state *state, char **err)
{
	enum publish_status status = PUBLISH_FAILED;
	int lock;

	*err = NULL;
	if (publish_check_target(path, opt ? opt->sources : NULL, opt ? opt->nsources : 0,
				 err) != 0)
		return PUBLISH_UNSAFE;
	lock = take_lock(path, opt, &status, err);
	if (lock < 0)
		return status;
	if (staging_rollback(path, STAGING_SYNC, opt ? opt->warn : NULL, opt ? opt->warn_ud : NULL,
			     err) == 0) {
		status = PUBLISH_OK;
		if (state)
			publish_describe(path, state);
	}
	drop_lock(lock);
	return status;
}

/* ---- where a path stands ---- */

static void describe_one(const char *dir, struct publish_version *v)
{
	struct stat st;
	char *err = NULL;
	int r;

	memset(v, 0, sizeof(*v));
	if (!dir || lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		v->kind = PUBLISH_NO_VERSION;
		return;
	}
	r = manifest_summarize(dir, &v->sum, &err);
	free(err);
	v->kind = r == 1 ? PUBLISH_VERSION : PUBLISH_UNKNOWN;
}

void publish_describe(const char *path, struct publish_state *state)
{
	char *err = NULL;
	char *prev = staging_sibling(path, ".previous", &err);

	free(err);
	describe_one(path, &state->live);
	describe_one(prev, &state->kept);
	free(prev);
}

char *publish_version_text(const struct publish_version *v)
{
	char when[64];
	struct tm tm;
	time_t t;

	if (v->kind == PUBLISH_NO_VERSION)
		return xstrdup(_("none"));
	if (v->kind == PUBLISH_UNKNOWN)
		return xstrdup(_("a folder without a readable SHA256SUMS (not published by briefgen, "
				 "or damaged)"));
	t = v->sum.built.tv_sec;
	if (!localtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm))
		snprintf(when, sizeof(when), "?");
	/* TRANSLATORS: one published version: its build time, how many files
	 * its SHA256SUMS lists, and the first digits of that file's SHA-256. */
	return xasprintf(ngettext("built %s, %zu file, SHA256SUMS %s",
				  "built %s, %zu files, SHA256SUMS %s", v->sum.files),
			 when, v->sum.files, v->sum.digest);
}

int publish_version_cmp(const struct publish_version *a, const struct publish_version *b)
{
	if (a->kind != PUBLISH_VERSION || b->kind != PUBLISH_VERSION)
		return 0;
	if (a->sum.built.tv_sec != b->sum.built.tv_sec)
		return a->sum.built.tv_sec > b->sum.built.tv_sec ? 1 : -1;
	if (a->sum.built.tv_nsec != b->sum.built.tv_nsec)
		return a->sum.built.tv_nsec > b->sum.built.tv_nsec ? 1 : -1;
	return 0;
}

char *publish_state_text(const struct publish_state *state, const char *prefix)
{
	struct buf b = BUF_INIT;
	char *v = publish_version_text(&state->live);

	buf_addf(&b, "%s: ", prefix);
	buf_addf(&b, _("live now: %s"), v);
	buf_addc(&b, '\n');
	free(v);
	if (state->kept.kind != PUBLISH_NO_VERSION) {
		v = publish_version_text(&state->kept);
		buf_addf(&b, "%s: ", prefix);
		buf_addf(&b, _("kept for --rollback: %s"), v);
		buf_addc(&b, '\n');
		free(v);
	}
	return buf_detach(&b, NULL);
}

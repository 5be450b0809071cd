#include "preview.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/alloc.h"
#include "../util/intl.h"
#include "server.h"
#include "snapshot.h"
#include "watch.h"

/* Folder levels watched below the content and templates folders: enough
 * for partners/ and for html/, md/, i18n/, assets/ and one more. */
#define WATCH_DEPTH 2

/*
 * One build, run in its own thread so that nothing it reads can keep the
 * watch loop from seeing a change or a stop: the loop polls done[0], and
 * the results are read only after the thread is joined.  The build speaks
 * the content's language (briefing.yaml's `language`): the thread switches
 * the message language to the one the last build found (intl_use), builds
 * again once when briefing.yaml says another, and switches back to the
 * user's before it ends, so the watch loop's own lines follow the
 * environment.  It is the only thread that looks up messages while it runs.  A build that has
 * not finished PREVIEW_STOP_WAIT_MS after a stop is left behind (the
 * process is about to exit) with what it uses.
 */
struct job {
	pthread_t thread;
	bool running;
	int done[2];                   /* a pipe: the thread writes a byte when finished */
	const char *dir;
	const struct site_options *site;
	bool strict, source;
	char lang[8];                  /* in: the language to build in; out: the content's */
	/* What changed: partner files saved (slugs, malloc'd), or anything
	 * else (full).  With only saves and a cache of the last good build,
	 * the build is an update (snapshot_update); else a full one, which
	 * makes a new cache. */
	char **slugs;
	size_t nslugs;
	bool full;
	bool relist;                   /* check the listing of partners/ first */
	struct snapshot_cache *cache;  /* the preview's; the thread's while it runs */
	bool updated;                  /* out: built by updates */
	size_t rendered;               /* out: partners the last update rendered again */
	struct snapshot *snap;         /* the results */
	char *text;                    /* the diagnostics as printed (malloc'd) */
	size_t text_len;
	double ms;
};

struct preview {
	struct preview_options o;
	struct server *server;
	struct watch *watch;
	struct engine engine;          /* for /bilag.pdf; path NULL when none */
	atomic_int stopping;           /* set on the way out: a print in progress stops */
	struct job job;
	/* The changes seen since the last build started (see struct job). */
	char *partners_prefix;         /* "<dir>/partners/" as the watch names it */
	char **slugs;
	size_t nslugs, capslugs;
	bool full;
	bool relist;                   /* files in partners/ may have come or gone */
	bool at_once;                  /* the last change was a finished save */
};

/* More partner files saved at once than this (a checkout) are built in full. */
#define PREVIEW_MAX_UPDATES 16

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void *job_main(void *cls)
{
	struct job *j = cls;
	double t0 = now_ms();
	struct diags diags;
	FILE *text;
	ssize_t n;
	size_t k;

	intl_use(j->lang);
	diags_init(&diags);
	diags.strict = j->strict;
	j->snap = NULL;
	j->updated = false;
	if (j->relist && !snapshot_cache_listing_same(j->cache))
		j->full = true;
	for (k = 0; !j->full && j->cache && k < j->nslugs; k++) {
		/* Each save in turn; only the last build is shown. */
		snapshot_unref(j->snap);
		diags_release(&diags);
		diags_init(&diags);
		diags.strict = j->strict;
		j->snap = snapshot_update(j->cache, j->slugs[k], &diags);
		if (!j->snap)
			break;
	}
	if (j->snap) {
		j->updated = true;
		j->rendered = snapshot_cache_rendered(j->cache);
	} else {
		diags_release(&diags);
		diags_init(&diags);
		diags.strict = j->strict;
		snapshot_cache_free(j->cache);
		j->cache = NULL;
		j->snap = snapshot_build(j->dir, j->site, &diags, &j->cache);
	}
	if (j->snap->lang[0] && strcmp(j->snap->lang, j->lang) != 0) {
		/* briefing.yaml says another language: every message again in it. */
		snprintf(j->lang, sizeof(j->lang), "%s", j->snap->lang);
		snapshot_unref(j->snap);
		snapshot_cache_free(j->cache);
		j->cache = NULL;
		j->updated = false;
		diags_release(&diags);
		diags_init(&diags);
		diags.strict = j->strict;
		intl_use(j->lang);
		j->snap = snapshot_build(j->dir, j->site, &diags, &j->cache);
	}
	j->ms = now_ms() - t0;
	/* Printed here, into memory: printing reads source lines from the
	 * files, and no read of a content file may happen in the watch loop. */
	j->text = NULL;
	j->text_len = 0;
	text = open_memstream(&j->text, &j->text_len);
	if (text) {
		diags_print(&diags, text, j->source);
		diags_print_summary(&diags, text);
		fclose(text);
	}
	diags_release(&diags);
	intl_use(NULL);
	do
		n = write(j->done[1], "", 1);
	while (n < 0 && errno == EINTR);
	return NULL;
}

static void free_slugs(char **slugs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(slugs[i]);
	free(slugs);
}

/* The slug of a partner file at path (as the watch names it), malloc'd, or
 * NULL when path is something else. */
static char *partner_slug(const struct preview *p, const char *path)
{
	size_t n = strlen(p->partners_prefix), len, i;
	const char *name = path + n;

	if (strncmp(path, p->partners_prefix, n) != 0)
		return NULL;
	len = strlen(name);
	if (len <= 5 || strcmp(name + len - 5, ".yaml") != 0)
		return NULL;
	for (i = 0; i < len - 5; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '-'))
			return NULL;
	return xstrndup(name, len - 5);
}

/* Whether a file of this name is one a build reads (YAML, templates, the
 * stylesheet), rather than an editor's temporary file about to be renamed
 * onto one. */
static bool read_by_build(const char *path)
{
	static const char *const ends[] = {".yaml", ".mustache", ".css"};
	size_t n = strlen(path), i;

	for (i = 0; i < sizeof(ends) / sizeof(*ends); i++)
		if (n >= strlen(ends[i]) && !strcmp(path + n - strlen(ends[i]), ends[i]))
			return true;
	return false;
}

/*
 * watch_read: note what the next build must take in.  A partner file saved
 * is an update of that partner; any other change in partners/ (a file
 * made, removed or renamed: an editor's temporary file, its backup dance)
 * only asks that the folder's listing be checked before an update; a
 * change anywhere else is a full build.
 */
static void on_change(void *ud, const char *path, bool saved)
{
	struct preview *p = ud;
	char *slug = saved && path ? partner_slug(p, path) : NULL;
	size_t i;

	if (!slug) {
		/* A file saved in partners/ that is not a partner file is most
		 * likely an editor's temporary file about to be renamed onto
		 * one: that rename is the save to start at once for. */
		if (path && !strncmp(path, p->partners_prefix, strlen(p->partners_prefix)) &&
		    !strchr(path + strlen(p->partners_prefix), '/')) {
			p->relist = true;
			p->at_once = false;
		} else {
			p->full = true;
			p->at_once = saved && read_by_build(path);
		}
		return;
	}
	p->at_once = true;
	for (i = 0; i < p->nslugs; i++)
		if (!strcmp(p->slugs[i], slug))
			break;
	if (i < p->nslugs || p->nslugs >= PREVIEW_MAX_UPDATES) {
		p->full |= i == p->nslugs;
		free(slug);
		return;
	}
	p->slugs = xgrow(p->slugs, sizeof(*p->slugs), p->nslugs + 1, &p->capslugs);
	p->slugs[p->nslugs++] = slug;
}

/* Start a build of the content in the job's thread, of the changes seen
 * so far.  Returns 0, or -1 with *err when no thread can be started. */
static int job_start(struct preview *p, char **err)
{
	struct job *j = &p->job;
	char c;

	while (read(j->done[0], &c, 1) > 0)
		;                      /* nothing should be left; be sure */
	free_slugs(j->slugs, j->nslugs);
	j->slugs = p->slugs;
	j->nslugs = p->nslugs;
	j->full = p->full || !p->nslugs;
	j->relist = p->relist;
	p->slugs = NULL;
	p->nslugs = p->capslugs = 0;
	p->full = p->relist = false;
	p->at_once = false;
	j->dir = p->o.dir;
	j->site = &p->o.site;
	j->strict = p->o.strict;
	j->source = p->o.source;
	j->snap = NULL;
	if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
		*err = xasprintf(_("cannot start a build thread: %s"), strerror(errno));
		return -1;
	}
	j->running = true;
	return 0;
}

/* Wait up to ms (-1: for ever) for the running build, also watching
 * stop_fd (-1: none).  Returns 1 when it has finished (joined: its results
 * are the caller's), 0 when it has not, -1 when stop_fd became readable
 * first. */
static int job_wait(struct job *j, int stop_fd, int ms)
{
	struct pollfd fds[2] = {{j->done[0], POLLIN, 0}, {stop_fd, POLLIN, 0}};
	double until = now_ms() + ms;
	char c;

	for (;;) {
		int t = ms < 0 ? -1 : (int)(until - now_ms());
		int r;

		if (ms >= 0 && t < 0)
			t = 0;
		r = poll(fds, stop_fd >= 0 ? 2 : 1, t);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0 && fds[0].revents) {
			if (read(j->done[0], &c, 1) == 1) {
				pthread_join(j->thread, NULL);
				j->running = false;
				return 1;
			}
			continue;
		}
		if (r > 0 && stop_fd >= 0 && fds[1].revents)
			return -1;
		if (r == 0)
			return 0;
	}
}

/* Write out a finished build's diagnostics. */
static void report(struct preview *p)
{
	if (p->job.text_len)
		fwrite(p->job.text, 1, p->job.text_len, p->o.log);
	free(p->job.text);
	p->job.text = NULL;
	p->job.text_len = 0;
}

/* Watch what may have appeared since last time (a re-created folder). */
static int watch_folders(struct preview *p, char **err)
{
	if (watch_add_tree(p->watch, p->o.dir, WATCH_DEPTH, err) != 0)
		return -1;
	if (p->o.site.templates_dir &&
	    watch_add_tree(p->watch, p->o.site.templates_dir, WATCH_DEPTH, err) != 0)
		return -1;
	return 0;
}

struct preview *preview_start(const struct preview_options *o, char **err)
{
	struct preview *p = xcalloc(1, sizeof(*p));
	struct snapshot *snap;
	struct stat st;
	char *why_not = NULL;
	bool failed;
	int r;

	*err = NULL;
	p->o = *o;
	p->o.site.live_reload = true;
	p->partners_prefix = xasprintf("%s/partners/", o->dir);
	p->job.done[0] = p->job.done[1] = -1;
	snprintf(p->job.lang, sizeof(p->job.lang), "da");   /* briefing.yaml's default */
	if (pipe2(p->job.done, O_CLOEXEC | O_NONBLOCK) != 0) {
		*err = xasprintf("pipe: %s", strerror(errno));
		goto fail;
	}
	if (stat(o->dir, &st) != 0) {
		*err = xasprintf("%s: %s", o->dir, strerror(errno));
		goto fail;
	}
	if (!S_ISDIR(st.st_mode)) {
		*err = xasprintf(_("%s: not a folder"), o->dir);
		goto fail;
	}
	p->watch = watch_new(err);
	if (!p->watch || watch_folders(p, err) != 0)
		goto fail;
	/* Without Chromium the preview still runs; /bilag.pdf says why not.
	 * With it, the pages link to /bilag.pdf (its size is not known until
	 * it is printed). */
	if (engine_find(&p->engine, o->chromium, &why_not) == 0) {
		p->engine.cancel = &p->stopping;
		p->o.site.pdf_bytes = -1;
	}
	/* The first build, like every other, in the build thread: a stop
	 * while it runs is seen at once. */
	if (job_start(p, err) != 0)
		goto fail;
	r = job_wait(&p->job, o->stop_fd, -1);
	if (r < 0)
		goto fail;             /* stopped: *err stays NULL */
	snap = p->job.snap;
	p->job.snap = NULL;            /* the server's from here on */
	failed = !snap->files;
	p->server = server_start(o->bind, o->port, snap, err);
	if (!p->server) {
		goto fail;
	}
	if (p->engine.path)
		server_set_pdf(p->server, &p->engine, NULL, o->site.source_date_epoch);
	else
		server_set_pdf(p->server, NULL, why_not, -1);
	free(why_not);
	why_not = NULL;
	/* Reported once it is sure to run, so that a port in use is not lost
	 * under a screen of warnings. */
	report(p);
	if (failed)
		intl_say(p->o.log, "the site cannot be built; the browser shows why until it is "
			 "fixed");
	return p;
fail:
	free(why_not);
	preview_free(p);
	return NULL;
}

const char *preview_url(const struct preview *p)
{
	return server_url(p->server);
}

/* Hand a finished build to the server: report it and swap it in. */
static void publish_build(struct preview *p, const char *what)
{
	struct snapshot *snap = p->job.snap, *cur;
	bool same;

	report(p);
	cur = server_current(p->server);
	same = snapshot_same(cur, snap);
	snapshot_unref(cur);
	if (snap->files && p->job.updated && same)
		intl_say(p->o.log, ngettext("%s changed; rebuilt %zu file in %.1f ms (partners "
					    "rendered again: %zu), no change",
					    "%s changed; rebuilt %zu files in %.1f ms (partners "
					    "rendered again: %zu), no change", snap->nfiles),
			 what, snap->nfiles, p->job.ms, p->job.rendered);
	else if (snap->files && p->job.updated)
		intl_say(p->o.log, ngettext("%s changed; rebuilt %zu file in %.1f ms (partners "
					    "rendered again: %zu)",
					    "%s changed; rebuilt %zu files in %.1f ms (partners "
					    "rendered again: %zu)", snap->nfiles),
			 what, snap->nfiles, p->job.ms, p->job.rendered);
	else if (snap->files && same)
		intl_say(p->o.log, ngettext("%s changed; rebuilt %zu file in %.1f ms, no change",
					    "%s changed; rebuilt %zu files in %.1f ms, no change",
					    snap->nfiles),
			 what, snap->nfiles, p->job.ms);
	else if (snap->files)
		intl_say(p->o.log, ngettext("%s changed; rebuilt %zu file in %.1f ms",
					    "%s changed; rebuilt %zu files in %.1f ms", snap->nfiles),
			 what, snap->nfiles, p->job.ms);
	else
		intl_say(p->o.log, "%s changed; the site cannot be built, the browser shows why",
			 what);
	fflush(p->o.log);
	p->job.snap = NULL;
	server_publish(p->server, snap, !same);
}

/* Drop a finished build unseen. */
static void discard_build(struct preview *p)
{
	snapshot_unref(p->job.snap);
	p->job.snap = NULL;
	free(p->job.text);
	p->job.text = NULL;
	p->job.text_len = 0;
}

static int ms_until(double t)
{
	double d = t - now_ms();

	return d <= 0 ? 0 : (int)d + 1;
}

int preview_run(struct preview *p, int stop_fd, char **err)
{
	struct pollfd fds[3];
	double first = 0, last = 0, retry_at = 0;
	bool pending = false, lost = false, retried = false;
	char *what = NULL;
	int rc = -1;

	fds[0].fd = watch_fd(p->watch);
	fds[0].events = POLLIN;
	fds[1].fd = stop_fd;
	fds[1].events = POLLIN;
	fds[2].fd = p->job.done[0];
	fds[2].events = POLLIN;
	for (;;) {
		int timeout = -1, r;
		double t;

		if (pending && !p->job.running) {
			double due = p->at_once ? last : last + PREVIEW_DEBOUNCE_MS;

			if (due > first + PREVIEW_MAX_DELAY_MS)
				due = first + PREVIEW_MAX_DELAY_MS;
			timeout = ms_until(due);
		} else if (retry_at > 0 && !p->job.running) {
			timeout = ms_until(retry_at);
		}
		if (lost && (timeout < 0 || timeout > PREVIEW_RETRY_MS))
			timeout = PREVIEW_RETRY_MS;
		r = poll(fds, 3, timeout);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = xasprintf("poll: %s", strerror(errno));
			goto out;
		}
		if (fds[1].revents)
			break;
		if (fds[0].revents) {
			const char *path = NULL;
			int n = watch_read(p->watch, &path, on_change, p);

			if (n < 0) {
				*err = xasprintf("reading file changes: %s", strerror(errno));
				goto out;
			}
			if (n > 0) {
				t = now_ms();
				if (!pending)
					first = t;
				pending = true;
				last = t;
				retry_at = 0;  /* a new change: a new first try */
				retried = false;
				free(what);
				what = xstrdup(path);
			}
		}
		if (p->job.running && fds[2].revents && job_wait(&p->job, -1, 0) == 1) {
			/* A build that failed right after a change may have read a
			 * file in the middle of being written (an editor saving in
			 * place truncates it first): it is reported only when a
			 * second build, PREVIEW_SETTLE_MS later, fails too.  One
			 * that a newer change has overtaken is not reported at
			 * all; the next build is. */
			if (!p->job.snap->files && (pending || !retried)) {
				discard_build(p);
				if (!pending) {
					retry_at = now_ms() + PREVIEW_SETTLE_MS;
					retried = true;
				}
			} else {
				publish_build(p, what ? what : p->o.dir);
				retried = false;
				/* Watch folders made since (partners/ deleted and made
				 * again).  When the content or templates folder itself
				 * is gone, the page shows the error and the folder is
				 * looked for again every PREVIEW_RETRY_MS. */
				lost = watch_folders(p, NULL) != 0;
			}
		}
		if (lost && !p->job.running && watch_folders(p, NULL) == 0) {
			/* The folder is back (a checkout, a copy): build it now. */
			lost = false;
			pending = true;
			p->full = true;
			first = last = now_ms() - PREVIEW_DEBOUNCE_MS;
			free(what);
			what = xstrdup(p->o.dir);
		}
		if (p->job.running)
			continue;
		t = now_ms();
		if (pending && (p->at_once || t >= last + PREVIEW_DEBOUNCE_MS ||
				t >= first + PREVIEW_MAX_DELAY_MS)) {
			pending = false;
			if (job_start(p, err) != 0)
				goto out;
		} else if (!pending && retry_at > 0 && t >= retry_at) {
			retry_at = 0;
			if (job_start(p, err) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(what);
	return rc;
}

void preview_free(struct preview *p)
{
	if (!p)
		return;
	atomic_store(&p->stopping, 1);
	/* A build still running gets a moment to finish; one that does not
	 * (something it reads blocks) is left behind with what it uses: the
	 * process is about to exit, and a stop must not wait for it. */
	if (p->job.running && job_wait(&p->job, -1, PREVIEW_STOP_WAIT_MS) != 1) {
		server_free(p->server);
		watch_free(p->watch);
		return;
	}
	discard_build(p);
	server_free(p->server);
	watch_free(p->watch);
	engine_release(&p->engine);
	snapshot_cache_free(p->job.cache);
	free_slugs(p->job.slugs, p->job.nslugs);
	free_slugs(p->slugs, p->nslugs);
	free(p->partners_prefix);
	if (p->job.done[0] >= 0) {
		close(p->job.done[0]);
		close(p->job.done[1]);
	}
	free(p);
}

#include "preview.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../util/alloc.h"
#include "server.h"
#include "snapshot.h"
#include "watch.h"

/* Folder levels watched below the content and templates folders: enough
 * for partners/ and for html/, md/, i18n/, assets/ and one more. */
#define WATCH_DEPTH 2

struct preview {
	struct preview_options o;
	struct server *server;
	struct watch *watch;
	struct engine engine;          /* for /bilag.pdf; path NULL when none */
	atomic_int stopping;           /* set on the way out: a print in progress stops */
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Build a snapshot; *ms gets the time taken, diags (initialised here,
 * released by the caller) what was found. */
static struct snapshot *build(struct preview *p, struct diags *diags, double *ms)
{
	struct snapshot *snap;
	double t0 = now_ms();

	diags_init(diags);
	diags->strict = p->o.strict;
	snap = snapshot_build(p->o.dir, &p->o.site, diags);
	*ms = now_ms() - t0;
	return snap;
}

static void report(struct preview *p, struct diags *diags)
{
	diags_print(diags, p->o.log, p->o.source);
	diags_print_summary(diags, p->o.log);
	diags_release(diags);
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
	struct diags diags;
	struct stat st;
	char *why_not = NULL;
	double ms;
	bool failed;

	p->o = *o;
	p->o.site.live_reload = true;
	if (stat(o->dir, &st) != 0) {
		*err = xasprintf("%s: %s", o->dir, strerror(errno));
		goto fail;
	}
	if (!S_ISDIR(st.st_mode)) {
		*err = xasprintf("%s: not a folder", o->dir);
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
	snap = build(p, &diags, &ms);
	failed = !snap->files;
	p->server = server_start(o->bind, o->port, snap, err);
	if (!p->server) {
		diags_release(&diags);
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
	report(p, &diags);
	if (failed)
		fprintf(p->o.log, "briefgen: the site cannot be built; the browser shows why "
				  "until it is fixed\n");
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

static void rebuild(struct preview *p, const char *what)
{
	struct snapshot *snap, *cur;
	struct diags diags;
	double ms;
	bool same;

	snap = build(p, &diags, &ms);
	report(p, &diags);
	cur = server_current(p->server);
	same = snapshot_same(cur, snap);
	snapshot_unref(cur);
	if (snap->files)
		fprintf(p->o.log, "briefgen: %s changed; rebuilt %zu files in %.1f ms%s\n", what,
			snap->nfiles, ms, same ? ", no change" : "");
	else
		fprintf(p->o.log, "briefgen: %s changed; the site cannot be built, the browser "
				  "shows why\n", what);
	fflush(p->o.log);
	server_publish(p->server, snap, !same);
}

int preview_run(struct preview *p, int stop_fd, char **err)
{
	struct pollfd fds[2];
	double first = 0, last = 0;
	bool pending = false, lost = false;
	char *what = NULL;

	fds[0].fd = watch_fd(p->watch);
	fds[0].events = POLLIN;
	fds[1].fd = stop_fd;
	fds[1].events = POLLIN;
	for (;;) {
		int timeout = -1, r;
		double t;

		if (pending) {
			double due = last + PREVIEW_DEBOUNCE_MS;

			if (due > first + PREVIEW_MAX_DELAY_MS)
				due = first + PREVIEW_MAX_DELAY_MS;
			t = due - now_ms();
			timeout = t <= 0 ? 0 : (int)t + 1;
		}
		if (lost && (timeout < 0 || timeout > PREVIEW_RETRY_MS))
			timeout = PREVIEW_RETRY_MS;
		r = poll(fds, 2, timeout);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = xasprintf("poll: %s", strerror(errno));
			free(what);
			return -1;
		}
		if (fds[1].revents)
			break;
		if (fds[0].revents) {
			const char *path = NULL;
			int n = watch_read(p->watch, &path);

			if (n < 0) {
				*err = xasprintf("reading file changes: %s", strerror(errno));
				free(what);
				return -1;
			}
			if (n > 0) {
				t = now_ms();
				if (!pending)
					first = t;
				pending = true;
				last = t;
				free(what);
				what = xstrdup(path);
			}
		}
		if (lost && watch_folders(p, NULL) == 0) {
			/* The folder is back (a checkout, a copy): build it now. */
			lost = false;
			pending = true;
			first = last = now_ms() - PREVIEW_DEBOUNCE_MS;
			free(what);
			what = xstrdup(p->o.dir);
		}
		if (pending) {
			t = now_ms();
			if (t >= last + PREVIEW_DEBOUNCE_MS || t >= first + PREVIEW_MAX_DELAY_MS) {
				pending = false;
				rebuild(p, what ? what : p->o.dir);
				/* Watch folders made since (partners/ deleted and made
				 * again).  When the content or templates folder itself is
				 * gone, the page shows the error and the folder is looked
				 * for again every PREVIEW_RETRY_MS. */
				lost = watch_folders(p, NULL) != 0;
			}
		}
	}
	free(what);
	return 0;
}

void preview_free(struct preview *p)
{
	if (!p)
		return;
	atomic_store(&p->stopping, 1);
	server_free(p->server);
	watch_free(p->watch);
	engine_release(&p->engine);
	free(p);
}

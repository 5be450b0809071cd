#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../serve/preview.h"
#include "buildopts.h"
#include "cli.h"
#include "../util/intl.h"

extern char **environ;

/* True when an executable named name is on PATH. */
static bool on_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *e;
	char file[PATH_MAX];

	for (p = path; p && *p; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (!e)
			e = p + strlen(p);
		if (e > p && snprintf(file, sizeof(file), "%.*s/%s", (int)(e - p), p, name) <
				     (int)sizeof(file) &&
		    access(file, X_OK) == 0)
			return true;
	}
	return false;
}

/* Start the desktop browser on url with xdg-open, where there is one; a
 * preview without a browser is still a preview, so nothing here fails. */
static pid_t open_browser(const char *url)
{
	posix_spawnattr_t attr;
	sigset_t none, dflt;
	char *argv[] = {"xdg-open", (char *)url, NULL};
	pid_t pid = -1;

	if (!on_path("xdg-open")) {
		intl_say(stderr, "xdg-open not found; open %s in a browser", url);
		return -1;
	}
	/* The browser must not inherit serve's blocked or ignored signals. */
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (posix_spawnp(&pid, "xdg-open", NULL, &attr, argv, environ) != 0) {
		intl_say(stderr, "could not run xdg-open; open %s in a browser", url);
		pid = -1;
	}
	posix_spawnattr_destroy(&attr);
	return pid;
}

/* Each connection takes a descriptor: make room for SERVER_MAX_CONNECTIONS
 * and the rest where the hard limit allows (the usual soft limit is 1024). */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	rlim_t want = 4096;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

int cmd_serve(int argc, char **argv)
{
	const struct command *self = cli_find("serve");
	struct buildopts o;
	struct preview_options po;
	struct preview *p = NULL;
	const char *dir = NULL, *addr = NULL, *chromium = NULL, *stopped;
	unsigned long port = 8000;
	bool browse = false;
	sigset_t stop;
	char *err = NULL, *end;
	pid_t browser = -1;
	int i, r, sfd = -1, status;

	if (cli_wants_help(argc, argv, self))
		return 0;
	buildopts_init(&o);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--port")) {
			if (++i >= argc)
				return cli_usage_error(self, "--port needs a number");
			errno = 0;
			port = strtoul(argv[i], &end, 10);
			if (errno || end == argv[i] || *end || argv[i][0] == '-' || port > 65535)
				return cli_usage_error(self, "--port takes a number from 0 to "
							     "65535, not '%s'", argv[i]);
		} else if (!strcmp(argv[i], "--bind")) {
			if (++i >= argc)
				return cli_usage_error(self, "--bind needs an address");
			addr = argv[i];
		} else if (!strcmp(argv[i], "--open")) {
			browse = true;
		} else if (!strcmp(argv[i], "--chromium")) {
			if (++i >= argc)
				return cli_usage_error(self, "--chromium needs the path of a "
							     "Chromium binary");
			chromium = argv[i];
		} else if ((r = buildopts_parse(&o, argc, argv, &i, true)) < 0) {
			return EXIT_TROUBLE;
		}
	}
	dir = o.dir ? o.dir : "content";

	/* Ctrl-C and SIGTERM arrive on a file descriptor the watch loop polls.
	 * They are blocked before any thread starts, so that every thread
	 * inherits the mask and none of them is interrupted instead. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &stop, SFD_CLOEXEC);
	if (sfd < 0) {
		fprintf(stderr, "briefgen: signalfd: %s\n", strerror(errno));
		status = EXIT_TROUBLE;
		goto out;
	}

	memset(&po, 0, sizeof(po));
	po.dir = dir;
	po.bind = addr;
	po.port = (unsigned)port;
	po.site = o.site;
	po.chromium = chromium;
	po.strict = o.strict;
	po.source = o.source;
	po.log = stderr;
	po.stop_fd = sfd;
	raise_fd_limit();
	/* Translated before the build thread starts: from then on only it
	 * looks up messages while it runs (util/intl.h, intl_use). */
	stopped = _("stopped");
	p = preview_start(&po, &err);
	if (!p && !err) {
		fprintf(stderr, "briefgen: %s\n", stopped);
		status = 0;
		goto out;
	}
	if (!p) {
		fprintf(stderr, "briefgen: %s\n", err);
		status = EXIT_TROUBLE;
		goto out;
	}
	/* The one line that says it is ready (scripts and tests wait for it). */
	/* TRANSLATORS: the folder, then the preview's address. */
	intl_say(stderr, "serving %s at %s", dir, preview_url(p));
	fflush(stderr);
	if (browse)
		browser = open_browser(preview_url(p));
	if (preview_run(p, sfd, &err) != 0) {
		fprintf(stderr, "briefgen: %s\n", err);
		status = EXIT_TROUBLE;
		goto out;
	}
	/* Take the signal that stopped the loop, so it is not left pending. */
	{
		struct signalfd_siginfo si;
		ssize_t n = read(sfd, &si, sizeof(si));
		(void)n;
	}
	fprintf(stderr, "briefgen: %s\n", stopped);
	status = 0;
out:
	preview_free(p);
	free(err);
	if (sfd >= 0)
		close(sfd);
	if (browser > 0)
		waitpid(browser, NULL, WNOHANG);
	/* SIGINT and SIGTERM stay blocked: the process is about to exit, and a
	 * second Ctrl-C pressed while stopping must not kill it with a signal
	 * status. */
	return status;
}

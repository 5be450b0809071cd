#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../util/alloc.h"
#include "../util/tempdir.h"
#include "../util/intl.h"

#define INSTALL_HINT "install it with `apt-get install chromium`, or point at another " \
		     "Chromium with --chromium PATH or BRIEFGEN_CHROMIUM"

/* Larger than any appendix; a file this size means the engine went wrong. */
#define PDF_MAX_BYTES (512L * 1024 * 1024)

static bool executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static char *search_path(const char *name)
{
	const char *p = getenv("PATH"), *end;

	if (!p || !*p)
		return NULL;
	for (;; p = end + 1) {
		char *cand;
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		/* An empty entry is the working folder, as for execvp. */
		cand = end == p ? xasprintf("./%s", name)
				: xasprintf("%.*s/%s", (int)(end - p), p, name);
		if (executable(cand))
			return cand;
		free(cand);
		if (!*end)
			return NULL;
	}
}

static int timeout_ms(void)
{
	const char *v = getenv("BRIEFGEN_PDF_TIMEOUT");
	char *end;
	double secs;

	if (!v || !*v)
		return ENGINE_TIMEOUT_S * 1000;
	secs = strtod(v, &end);
	if (*end || !(secs > 0) || secs > 3600)
		return ENGINE_TIMEOUT_S * 1000;
	return (int)(secs * 1000);
}

int engine_find(struct engine *e, const char *explicit_path, char **err)
{
	const char *env = getenv("BRIEFGEN_CHROMIUM");

	memset(e, 0, sizeof(*e));
	e->timeout_ms = timeout_ms();
	if (explicit_path || (env && *env)) {
		const char *p = explicit_path ? explicit_path : env;
		const char *from = explicit_path ? "--chromium" : "BRIEFGEN_CHROMIUM";
		if (!executable(p)) {
			*err = xasprintf(_("the PDF engine '%s' (%s) is not an executable file: %s"), p,
					 from, INSTALL_HINT);
			return -1;
		}
		e->path = xstrdup(p);
		return 0;
	}
	e->path = search_path("chromium");
	if (!e->path) {
		*err = xasprintf(_("--pdf needs Chromium, and there is no `chromium` on PATH: %s"),
				 INSTALL_HINT);
		return -1;
	}
	return 0;
}

void engine_release(struct engine *e)
{
	free(e->path);
	e->path = NULL;
}

/* ---- one run ---------------------------------------------------------------- */

struct run {
	char *work;        /* the private folder */
	char *profile, *home, *tmp, *out, *log;
};

static void run_release(struct run *r)
{
	tempdir_remove(r->work);
	free(r->work);
	free(r->profile);
	free(r->home);
	free(r->tmp);
	free(r->out);
	free(r->log);
}

static int run_prepare(struct run *r, char **err)
{
	memset(r, 0, sizeof(*r));
	r->work = tempdir_create("pdf", err);
	if (!r->work)
		return -1;
	r->profile = xasprintf("%s/profile", r->work);
	r->home = xasprintf("%s/home", r->work);
	r->tmp = xasprintf("%s/tmp", r->work);
	r->out = xasprintf("%s/out.pdf", r->work);
	r->log = xasprintf("%s/engine.log", r->work);
	if (mkdir(r->profile, 0700) || mkdir(r->home, 0700) || mkdir(r->tmp, 0700)) {
		*err = xasprintf("%s: mkdir: %s", r->work, strerror(errno));
		return -1;
	}
	return 0;
}

/* The command line.  Chromium refuses to run as root with its sandbox. */
static void build_argv(const struct engine *e, const struct run *r, const char *url,
		       char **argv, char **owned, int *n)
{
	int i = 0, k = 0;

	argv[i++] = e->path;
	argv[i++] = "--headless";
	if (geteuid() == 0)
		argv[i++] = "--no-sandbox";
	argv[i++] = "--disable-gpu";
	argv[i++] = "--no-first-run";
	argv[i++] = "--no-default-browser-check";
	argv[i++] = "--disable-background-networking";
	argv[i++] = "--disable-component-update";
	argv[i++] = "--disable-sync";
	argv[i++] = "--disable-extensions";
	argv[i++] = "--disable-default-apps";
	argv[i++] = "--disable-quic";
	argv[i++] = "--mute-audio";
	/* No network: names resolve to nothing, and every connection (an IP
	 * address too, loopback included) goes to a proxy that is not there. */
	argv[i++] = "--host-resolver-rules=MAP * ~NOTFOUND";
	argv[i++] = "--proxy-server=http://127.0.0.1:9";
	argv[i++] = "--proxy-bypass-list=<-loopback>";
	argv[i++] = "--no-pdf-header-footer";
	argv[i++] = "--generate-pdf-document-outline";
	argv[i++] = owned[k++] = xasprintf("--user-data-dir=%s", r->profile);
	argv[i++] = owned[k++] = xasprintf("--print-to-pdf=%s", r->out);
	argv[i++] = (char *)url;
	argv[i] = NULL;
	*n = k;
}

/* The engine's environment: ours without HOME, TMPDIR, XDG folders and the
 * session bus, plus the run's private folders.  Made before fork: a child
 * of a threaded process (serve) may only call async-signal-safe functions. */
static char **build_env(const struct run *r)
{
	extern char **environ;
	static const char *const drop[] = {"HOME=", "TMPDIR=", "XDG_CONFIG_HOME=", "XDG_CACHE_HOME=",
					   "XDG_DATA_HOME=", "DBUS_SESSION_BUS_ADDRESS="};
	size_t n = 0, i, k;
	char **env;

	while (environ[n])
		n++;
	env = xcalloc(n + 6, sizeof(*env));
	for (i = 0, k = 0; i < n; i++) {
		size_t d;
		for (d = 0; d < sizeof(drop) / sizeof(drop[0]); d++)
			if (!strncmp(environ[i], drop[d], strlen(drop[d])))
				break;
		if (d == sizeof(drop) / sizeof(drop[0]))
			env[k++] = xstrdup(environ[i]);
	}
	env[k++] = xasprintf("HOME=%s", r->home);
	env[k++] = xasprintf("TMPDIR=%s", r->tmp);
	env[k++] = xasprintf("XDG_CONFIG_HOME=%s", r->home);
	env[k++] = xasprintf("XDG_CACHE_HOME=%s", r->home);
	env[k] = NULL;
	return env;
}

static void free_env(char **env)
{
	size_t i;

	for (i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

/* In the child: own process group, die with the parent, output to the
 * log, then exec. */
static void child_exec(const struct run *r, char **argv, char **env, pid_t parent)
{
	sigset_t none;
	int fd;

	/* serve blocks SIGINT and SIGTERM and ignores SIGPIPE; both would be
	 * inherited through exec. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	fd = open(r->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		dup2(fd, 0);
	execve(argv[0], argv, env);
	_exit(127);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for pid; kill its group on timeout or cancel.  Returns the wait
 * status, or -1 (timeout) or -2 (cancelled). */
static int wait_child(const struct engine *e, pid_t pid)
{
	long long deadline = now_ms() + e->timeout_ms;
	struct timespec pause = {0, 20 * 1000 * 1000};
	int status, outcome = 0;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			status = -1;
			break;
		}
		if (e->cancel && atomic_load(e->cancel))
			outcome = -2;
		else if (now_ms() >= deadline)
			outcome = -1;
		if (outcome) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		nanosleep(&pause, NULL);
	}
	/* Chromium's helpers share its group: none may outlive the run. */
	kill(-pid, SIGKILL);
	return outcome ? outcome : status;
}

/* The log's last line that says something, for a message. */
static char *log_tail(const char *log)
{
	FILE *f = fopen(log, "r");
	char line[512], last[512] = "";

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (*line && !strstr(line, "dbus") && !strstr(line, "bytes written to file"))
			memcpy(last, line, sizeof(last));
	}
	fclose(f);
	return *last ? xstrdup(last) : NULL;
}

static int read_pdf(const char *path, struct buf *pdf, char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	char chunk[65536];
	ssize_t n;

	if (fd < 0) {
		*err = xstrdup(_("the PDF engine finished but wrote no PDF"));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > PDF_MAX_BYTES) {
		close(fd);
		*err = xstrdup(_("the PDF engine wrote something that is not a PDF file"));
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(pdf, chunk, (size_t)n);
	close(fd);
	if (n < 0) {
		*err = xasprintf(_("reading the engine's PDF: %s"), strerror(errno));
		return -1;
	}
	return 0;
}

static char *file_url(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = BUF_INIT;
	const unsigned char *p;

	buf_adds(&b, "file://");
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p)) {
			buf_addc(&b, (char)*p);
		} else {
			buf_addc(&b, '%');
			buf_addc(&b, hex[*p >> 4]);
			buf_addc(&b, hex[*p & 15]);
		}
	}
	return buf_detach(&b, NULL);
}

int engine_print(const struct engine *e, const char *html, struct buf *pdf, char **err)
{
	struct run r;
	char *argv[32], *owned[4], *url = NULL, *tail, **env = NULL;
	int nowned = 0, status, i, rc = -1;
	pid_t pid, parent = getpid();

	buf_reset(pdf);
	if (run_prepare(&r, err))
		goto out;
	url = file_url(html);
	build_argv(e, &r, url, argv, owned, &nowned);
	env = build_env(&r);
	pid = fork();
	if (pid < 0) {
		*err = xasprintf(_("cannot start the PDF engine: fork: %s"), strerror(errno));
		goto out;
	}
	if (pid == 0)
		child_exec(&r, argv, env, parent);
	/* Set the group from this side too, so a kill right after fork
	 * already reaches it. */
	setpgid(pid, pid);
	status = wait_child(e, pid);
	if (status == -1) {
		*err = xasprintf(_("the PDF engine (%s) did not finish within %d s and was stopped"),
				 e->path, e->timeout_ms / 1000);
		goto out;
	}
	if (status == -2) {
		*err = xstrdup(_("interrupted while the PDF engine was printing"));
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		tail = log_tail(r.log);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			*err = xasprintf(_("the PDF engine %s could not be started: %s"), e->path,
					 INSTALL_HINT);
		else if (WIFSIGNALED(status))
			*err = xasprintf(_("the PDF engine (%s) crashed (signal %d)%s%s"), e->path,
					 WTERMSIG(status), tail ? ": " : "", tail ? tail : "");
		else
			*err = xasprintf(_("the PDF engine (%s) failed (exit status %d)%s%s"), e->path,
					 WEXITSTATUS(status), tail ? ": " : "", tail ? tail : "");
		free(tail);
		goto out;
	}
	if (read_pdf(r.out, pdf, err))
		goto out;
	rc = 0;
out:
	if (rc)
		buf_reset(pdf);
	for (i = 0; i < nowned; i++)
		free(owned[i]);
	free(url);
	free_env(env);
	run_release(&r);
	return rc;
}

/*
 * End-to-end test of `briefgen serve`: start it with --port 0 on a copy of
 * content/, read the URL from its ready line, and talk HTTP to it with a
 * small client of our own (no curl needed):
 *
 *   pages and their types, 404, 405, traversal attempts, Host checks, HEAD,
 *   the reload event after a partner's YAML is edited, the error page while
 *   a file is broken and the page again once it is fixed, a saved partner
 *   file served as an update and briefing.yaml as a full rebuild, and a
 *   clean exit on SIGINT.
 *
 * usage: serve_http [slow]   ("slow": the connection limit and timeout test,
 * which waits for the server's idle timeout)
 *
 * Environment: BRIEFGEN (the binary) and SRCDIR (the source tree).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;
static unsigned port;
static pid_t server = -1;
static char tmp[256];       /* the test's folder */
static char content[300];   /* its copy of content/ */
static char logpath[300];   /* serve's stderr */

#define CHECK(cond, ...) check((cond), __LINE__, __VA_ARGS__)

static bool check(bool ok, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s - line %d: ", ok ? "ok" : "FAIL", line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failures++;
	return ok;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	n = (long)fread(s, 1, (size_t)n, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* Write path the way editors save: a new file renamed over the old one. */
static void save_file(const char *path, const char *text)
{
	char t[600];
	FILE *f;

	snprintf(t, sizeof(t), "%s.new", path);
	f = fopen(t, "wb");
	if (!f) {
		perror(t);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	if (rename(t, path) != 0) {
		perror(path);
		exit(2);
	}
}

/* --- a small HTTP client --------------------------------------------- */

struct response {
	int status;
	char *head;        /* status line and headers */
	char *body;
	size_t body_len;
	char *raw;
};

static int connect_to(unsigned p)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)p);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Read from fd into *buf until EOF, until stop (if not NULL) appears, or
 * until the deadline; returns the length read. */
static size_t read_until(int fd, char **buf, size_t len, const char *stop, double deadline)
{
	size_t cap = len + 65536;

	*buf = realloc(*buf, cap + 1);
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		int ms = (int)((deadline - now()) * 1000);
		ssize_t n;

		(*buf)[len] = '\0';
		if ((stop && strstr(*buf, stop)) || ms <= 0 || poll(&p, 1, ms) <= 0)
			break;
		if (len == cap) {
			cap *= 2;
			*buf = realloc(*buf, cap + 1);
		}
		n = read(fd, *buf + len, cap - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	(*buf)[len] = '\0';
	return len;
}

static void response_free(struct response *r)
{
	free(r->raw);
	free(r->head);
	memset(r, 0, sizeof(*r));
}

/* Send len raw bytes of request (the caller writes every byte, "\r\n" and
 * all, NUL bytes too) and read the answer until the server closes. */
static struct response send_bytes(const char *req, size_t reqlen)
{
	struct response r = {0};
	char *sep;
	int fd = connect_to(port);
	size_t len;

	if (fd < 0)
		return r;
	if (write(fd, req, reqlen) < 0) {
		close(fd);
		return r;
	}
	len = read_until(fd, &r.raw, 0, NULL, now() + 5);
	close(fd);
	sep = strstr(r.raw, "\r\n\r\n");
	if (sscanf(r.raw, "HTTP/1.%*d %d", &r.status) != 1)
		r.status = -1;
	if (sep) {
		r.head = strndup(r.raw, (size_t)(sep - r.raw) + 2);
		r.body = sep + 4;
		r.body_len = len - (size_t)(r.body - r.raw);
	} else {
		r.head = strdup(r.raw);
		r.body = r.raw + len;
	}
	return r;
}

static struct response send_raw(const char *req)
{
	return send_bytes(req, strlen(req));
}

static struct response request(const char *method, const char *target, const char *host)
{
	char req[2048];

	if (host)
		snprintf(req, sizeof(req),
			 "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method,
			 target, host);
	else
		snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\n\r\n", method, target);
	return send_raw(req);
}

static const char *our_host(void)
{
	static char h[64];

	snprintf(h, sizeof(h), "127.0.0.1:%u", port);
	return h;
}

static struct response get(const char *target)
{
	return request("GET", target, our_host());
}

/* The value of header name in r (static buffer), or NULL. */
static const char *header(const struct response *r, const char *name)
{
	static char value[512];
	const char *p = r->head;
	size_t n = strlen(name);

	while (p && (p = strstr(p, "\r\n"))) {
		p += 2;
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1, *e = strstr(v, "\r\n");
			int len;

			while (*v == ' ')
				v++;
			len = (int)(e ? e - v : (long)strlen(v));
			snprintf(value, sizeof(value), "%.*s", len, v);
			return value;
		}
	}
	return NULL;
}

static bool header_is(const struct response *r, const char *name, const char *want)
{
	const char *v = header(r, name);

	return v && strcmp(v, want) == 0;
}

/* --- the server process ---------------------------------------------- */

static void start_server(void)
{
	const char *bin = getenv("BRIEFGEN");
	double deadline = now() + 20;   /* generous: the debug build is slow */
	int fd;

	if (!bin) {
		fprintf(stderr, "serve_http: BRIEFGEN is not set\n");
		exit(2);
	}
	snprintf(logpath, sizeof(logpath), "%s/serve.log", tmp);
	server = fork();
	if (server == 0) {
		fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		close(fd);
		execl(bin, bin, "serve", "--port", "0", content, (char *)NULL);
		perror(bin);
		_exit(127);
	}
	while (now() < deadline) {
		char *log = read_file(logpath), *p, want[400];

		snprintf(want, sizeof(want), "briefgen: serving %s at http://127.0.0.1:", content);
		if (log && (p = strstr(log, want)) && strchr(p, '\n')) {
			port = (unsigned)strtoul(p + strlen(want), NULL, 10);
			free(log);
			return;
		}
		free(log);
		if (waitpid(server, NULL, WNOHANG) == server) {
			fprintf(stderr, "serve_http: briefgen serve exited before it was ready\n");
			exit(1);
		}
		sleep_ms(20);
	}
	fprintf(stderr, "serve_http: no ready line in %s\n", logpath);
	kill(server, SIGKILL);
	exit(1);
}

/* Send SIGINT; returns the exit status, or -1 when it did not stop in time. */
static int stop_server(double *took)
{
	double t0 = now();
	int status;

	kill(server, SIGINT);
	while (now() - t0 < 10) {
		if (waitpid(server, &status, WNOHANG) == server) {
			*took = now() - t0;
			server = -1;
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		sleep_ms(10);
	}
	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
	server = -1;
	return -1;
}

/* --- the tests ------------------------------------------------------- */

static void test_pages(void)
{
	struct response r = get("/");

	CHECK(r.status == 200, "GET / is 200 (got %d)", r.status);
	CHECK(header_is(&r, "Content-Type", "text/html; charset=utf-8"),
	      "index is text/html; utf-8");
	CHECK(header_is(&r, "X-Content-Type-Options", "nosniff"), "nosniff");
	CHECK(header_is(&r, "Cache-Control", "no-store"), "no-store");
	CHECK(r.body && strstr(r.body, "<!DOCTYPE html>") != NULL, "index has a body");
	CHECK(r.body && strstr(r.body, "/__briefgen/events") != NULL,
	      "index has the reload script");
	response_free(&r);

	r = get("/index.html");
	CHECK(r.status == 200, "GET /index.html is 200");
	response_free(&r);
	r = get("/assets/style.css");
	CHECK(r.status == 200 && header_is(&r, "Content-Type", "text/css; charset=utf-8"),
	      "style.css is text/css; utf-8");
	CHECK(r.body && !strstr(r.body, "EventSource"), "the stylesheet has no script");
	response_free(&r);
	r = get("/briefing.md");
	CHECK(r.status == 200 && header_is(&r, "Content-Type", "text/markdown; charset=utf-8"),
	      "briefing.md is text/markdown; utf-8");
	response_free(&r);
	r = get("/partners/brasov.html");
	CHECK(r.status == 200, "a partner page is 200");
	response_free(&r);
	r = get("/no-such-page.html");
	CHECK(r.status == 404, "unknown page is 404 (got %d)", r.status);
	CHECK(header_is(&r, "X-Content-Type-Options", "nosniff"), "404 has nosniff");
	response_free(&r);
	r = get("/partners/");
	CHECK(r.status == 404, "/partners/ is 404 (got %d)", r.status);
	response_free(&r);
}

static void test_methods(void)
{
	static const char *const methods[] = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"};
	char req[512];
	struct response r;
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		r = request(methods[i], "/", our_host());
		CHECK(r.status == 405, "%s is 405 (got %d)", methods[i], r.status);
		CHECK(header_is(&r, "Allow", "GET, HEAD"), "%s answer has Allow: GET, HEAD",
		      methods[i]);
		response_free(&r);
	}
	snprintf(req, sizeof(req),
		 "POST /index.html HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\n"
		 "Content-Length: 5\r\nConnection: close\r\n\r\nhello", our_host());
	r = send_raw(req);
	CHECK(r.status == 405, "POST with a body is 405 (got %d)", r.status);
	response_free(&r);
}

static void test_traversal(void)
{
	static const char *const targets[] = {
		"/../etc/passwd", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
		"/%2E%2E/%2E%2E/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd",
		"/partners%2f..%2f..%2fetc%2fpasswd", "/partners/..%2f..%2f..%2fetc/passwd",
		"/partners/../../etc/passwd", "/partners/%2e%2e/%2e%2e/etc/passwd",
		"/index.html%00", "/index.html%00.css", "/%00", "/..\\..\\etc\\passwd",
		"/%5c..%5c..%5cetc%5cpasswd", "//etc/passwd", "/./index.html",
		"/leak.txt", "/partners/leak.html", "/etc/passwd",
		"http://127.0.0.1/../../etc/passwd", "/%252e%252e/etc/passwd",
	};
	char link[400];
	size_t i;

	/* A symlink out of the content folder: the files served are the
	 * build's, never the folder's, so it cannot be reached. */
	snprintf(link, sizeof(link), "%s/leak.txt", content);
	if (symlink("/etc/passwd", link) != 0)
		perror(link);
	snprintf(link, sizeof(link), "%s/partners/leak.html", content);
	if (symlink("/etc/passwd", link) != 0)
		perror(link);
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		struct response r = get(targets[i]);

		CHECK(r.status != 200 && r.status >= 400, "%s is refused (%d)", targets[i],
		      r.status);
		CHECK(!strstr(r.raw ? r.raw : "", "root:"), "%s shows nothing of /etc/passwd",
		      targets[i]);
		response_free(&r);
	}
	snprintf(link, sizeof(link), "%s/leak.txt", content);
	unlink(link);
	snprintf(link, sizeof(link), "%s/partners/leak.html", content);
	unlink(link);
}

static void test_hosts(void)
{
	static const char *const bad[] = {
		"evil.example", "evil.example:%u", "attacker.test:%u", "127.0.0.1.nip.io:%u",
		"localhost.evil.example:%u", "127.0.0.1:1", "192.0.2.1:%u",
	};
	static const char *const good[] = {"127.0.0.1:%u", "localhost:%u", "[::1]:%u", "localhost",
					   "LOCALHOST:%u"};
	char host[128];
	struct response r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(host, sizeof(host), bad[i], port);
		r = request("GET", "/", host);
		CHECK(r.status == 403, "Host: %s is 403 (got %d)", host, r.status);
		CHECK(!strstr(r.raw ? r.raw : "", "<!DOCTYPE"), "Host: %s gets no page", host);
		response_free(&r);
	}
	r = request("GET", "/", NULL);
	CHECK(r.status == 403, "no Host header (HTTP/1.0) is 403 (got %d)", r.status);
	response_free(&r);
	snprintf(host, sizeof(host), "evil.example:%u", port);
	r = request("GET", "/__briefgen/events", host);
	CHECK(r.status == 403, "the event stream checks the Host too (got %d)", r.status);
	response_free(&r);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(host, sizeof(host), good[i], port);
		r = request("GET", "/", host);
		CHECK(r.status == 200, "Host: %s is 200 (got %d)", host, r.status);
		response_free(&r);
	}
}

static void test_head(void)
{
	struct response g = get("/budget.html"), h = request("HEAD", "/budget.html", our_host());
	char len[32];

	snprintf(len, sizeof(len), "%zu", g.body_len);
	CHECK(h.status == 200, "HEAD is 200 (got %d)", h.status);
	CHECK(h.body_len == 0, "HEAD has no body (%zu bytes)", h.body_len);
	CHECK(header_is(&h, "Content-Length", len), "HEAD's Content-Length is the GET body's (%s)",
	      len);
	CHECK(header_is(&h, "Content-Type", "text/html; charset=utf-8"), "HEAD has the type");
	response_free(&g);
	response_free(&h);
}

/* Open the event stream and wait for its greeting; -1 on failure. */
static int open_events(void)
{
	char req[256], *buf = NULL;
	int fd = connect_to(port);

	if (fd < 0)
		return -1;
	snprintf(req, sizeof(req), "GET /__briefgen/events HTTP/1.1\r\nHost: %s\r\n\r\n",
		 our_host());
	if (write(fd, req, strlen(req)) < 0)
		return -1;
	read_until(fd, &buf, 0, ": briefgen live reload", now() + 5);
	if (!strstr(buf, ": briefgen live reload") || !strstr(buf, "text/event-stream")) {
		CHECK(false, "event stream greeting: %s", buf);
		free(buf);
		close(fd);
		return -1;
	}
	free(buf);
	return fd;
}

/* Wait up to secs for "event: reload" on fd; returns the seconds it took
 * or -1. */
static double wait_reload(int fd, double secs)
{
	double t0 = now();
	char *buf = NULL;

	read_until(fd, &buf, 0, "event: reload", t0 + secs);
	if (!strstr(buf, "event: reload")) {
		free(buf);
		return -1;
	}
	free(buf);
	return now() - t0;
}

/* Poll target until its status is want (up to secs); returns the last
 * response. */
static struct response wait_status(const char *target, int want, double secs)
{
	double deadline = now() + secs;
	struct response r = {0};

	for (;;) {
		r = get(target);
		if (r.status == want || now() > deadline)
			return r;
		response_free(&r);
		sleep_ms(25);
	}
}

static void test_live_reload(void)
{
	char path[400], *orig, *edited, *p;
	int fd = open_events();
	double took;
	struct response r;

	if (fd < 0)
		return;
	snprintf(path, sizeof(path), "%s/partners/brasov.yaml", content);
	orig = read_file(path);
	if (!CHECK(orig && (p = strstr(orig, "\nname: ")), "brasov.yaml has a name line"))
		return;
	/* An edit that shows on the page: the partner's name. */
	edited = malloc(strlen(orig) + 32);
	p = strchr(p + 1, '\n');
	snprintf(edited, strlen(orig) + 32, "%.*s Edited%s", (int)(p - orig), orig, p);
	save_file(path, edited);
	took = wait_reload(fd, 2.0);
	CHECK(took >= 0, "event: reload within 2 s of editing a partner (%.3f s)", took);
	r = get("/partners/brasov.html");
	CHECK(r.status == 200 && strstr(r.body, "Edited") != NULL, "the page shows the edit");
	response_free(&r);

	/* Saving the same bytes again rebuilds to the same site: no reload. */
	save_file(path, edited);
	took = wait_reload(fd, 0.6);
	CHECK(took < 0, "saving without a change does not reload the page");

	/* Break it: every page shows the error with file:line:col. */
	{
		char *broken = malloc(strlen(orig) + 32);
		char where[450];

		/* Line 2 is a key partner files do not have. */
		p = strchr(orig, '\n');
		snprintf(broken, strlen(orig) + 32, "%.*s\ncolour: blue%s", (int)(p - orig), orig,
			 p);
		save_file(path, broken);
		free(broken);
		took = wait_reload(fd, 2.0);
		CHECK(took >= 0, "event: reload when the file breaks (%.3f s)", took);
		r = wait_status("/partners/brasov.html", 500, 2.0);
		snprintf(where, sizeof(where), "%s/partners/brasov.yaml:2:1", content);
		CHECK(r.status == 500, "a broken file gives the error page, status 500 (got %d)",
		      r.status);
		CHECK(header_is(&r, "Content-Type", "text/html; charset=utf-8"), "it is HTML");
		CHECK(r.body && strstr(r.body, where) != NULL, "it shows %s", where);
		/* In the content's language (briefing.yaml: language: da), with
		 * LANGUAGE unset: serve's build thread switches to it. */
		CHECK(r.body && strstr(r.body, "ukendt nøgle &#39;colour&#39;") != NULL,
		      "it shows the message in Danish, HTML-escaped");
		CHECK(r.body && strstr(r.body, "<html lang=\"da\">") != NULL,
		      "it says it is in Danish");
		CHECK(r.body && strstr(r.body, ">error<") != NULL, "it shows the severity");
		CHECK(r.body && strstr(r.body, "/__briefgen/events") != NULL,
		      "it has the reload script");
		response_free(&r);
		r = get("/");
		CHECK(r.status == 500 && strstr(r.body, where), "the index shows it too");
		response_free(&r);
	}

	/* Fix it: the page comes back. */
	save_file(path, orig);
	took = wait_reload(fd, 2.0);
	CHECK(took >= 0, "event: reload when the file is fixed (%.3f s)", took);
	r = wait_status("/partners/brasov.html", 200, 2.0);
	CHECK(r.status == 200 && r.body && !strstr(r.body, "Edited") &&
	      strstr(r.body, "<!DOCTYPE html>"), "the fixed page is back (%d)", r.status);
	response_free(&r);
	close(fd);
	free(orig);
	free(edited);
}

/* The log from byte from on (malloc'd, "" when nothing new). */
static char *log_since(size_t from)
{
	char *log = read_file(logpath), *rest;

	rest = strdup(log && strlen(log) > from ? log + from : "");
	free(log);
	return rest;
}

static size_t log_size(void)
{
	char *log = read_file(logpath);
	size_t n = log ? strlen(log) : 0;

	free(log);
	return n;
}

/* Wait up to secs for a line holding what in the log after byte from;
 * returns that line (malloc'd) or NULL. */
static char *wait_log(size_t from, const char *what, double secs)
{
	double t0 = now();

	do {
		char *log = log_since(from), *p = strstr(log, what), *line = NULL;

		if (p && strchr(p, '\n')) {
			char *start = p;
			while (start > log && start[-1] != '\n')
				start--;
			line = strndup(start, (size_t)(strchr(p, '\n') - start));
		}
		free(log);
		if (line)
			return line;
		sleep_ms(10);
	} while (now() - t0 < secs);
	return NULL;
}

/* A partner file saved by rename is an update (serve renders that partner
 * and the pages that show it again, not the whole site); briefing.yaml
 * saved is a full rebuild, which every page shows. */
static void test_update(void)
{
	char path[400], bpath[400], *orig, *borig, *edited, *p = NULL, *line;
	int fd = open_events();
	size_t from;
	struct response r;

	if (fd < 0)
		return;
	snprintf(path, sizeof(path), "%s/partners/shanghai.yaml", content);
	snprintf(bpath, sizeof(bpath), "%s/briefing.yaml", content);
	orig = read_file(path);
	borig = read_file(bpath);
	if (!CHECK(orig && (p = strstr(orig, "\nname: ")) && borig &&
		   strstr(borig, "\n  item: 18\n"), "shanghai.yaml has a name, briefing.yaml item 18"))
		return;
	edited = malloc(strlen(orig) + 32);
	p = strchr(p + 1, '\n');
	snprintf(edited, strlen(orig) + 32, "%.*s Opdateret%s", (int)(p - orig), orig, p);
	from = log_size();
	save_file(path, edited);
	CHECK(wait_reload(fd, 2.0) >= 0, "event: reload after a partner file saved by rename");
	r = get("/partners/shanghai.html");
	CHECK(r.status == 200 && r.body && strstr(r.body, "Shanghai Byprovins Opdateret"),
	      "its page shows the new name");
	response_free(&r);
	r = get("/");
	CHECK(r.status == 200 && r.body && strstr(r.body, "Shanghai Byprovins Opdateret"),
	      "the overview shows it too");
	response_free(&r);
	line = wait_log(from, "shanghai.yaml changed;", 2.0);
	CHECK(line && strstr(line, "(partners rendered again: 1)"),
	      "serve updated the site rather than rebuild it: %s", line ? line : "(no line)");
	free(line);

	/* briefing.yaml: everything again, every page with the new item number. */
	{
		char *bedited = strdup(borig);

		memcpy(strstr(bedited, "\n  item: 18\n"), "\n  item: 19\n", 12);
		from = log_size();
		save_file(bpath, bedited);
		free(bedited);
		CHECK(wait_reload(fd, 2.0) >= 0, "event: reload after briefing.yaml saved");
		r = get("/partners/shanghai.html");
		CHECK(r.status == 200 && r.body && strstr(r.body, "Bilag til punkt nr. 19") &&
		      strstr(r.body, "Shanghai Byprovins Opdateret"),
		      "a partner's page shows briefing.yaml's new item number");
		response_free(&r);
		r = get("/partners/brasov.html");
		CHECK(r.status == 200 && r.body && strstr(r.body, "Bilag til punkt nr. 19"),
		      "so does another's");
		response_free(&r);
		line = wait_log(from, "briefing.yaml changed;", 2.0);
		CHECK(line && strstr(line, "rebuilt") && !strstr(line, "rendered again"),
		      "serve rebuilt the whole site: %s", line ? line : "(no line)");
		free(line);
	}
	/* And the next partner save is an update of that full build. */
	from = log_size();
	save_file(path, orig);
	CHECK(wait_reload(fd, 2.0) >= 0, "event: reload after the partner file saved back");
	r = get("/partners/shanghai.html");
	CHECK(r.status == 200 && r.body && !strstr(r.body, "Opdateret") &&
	      strstr(r.body, "Bilag til punkt nr. 19"),
	      "its page is back, with the new item number");
	response_free(&r);
	line = wait_log(from, "shanghai.yaml changed;", 2.0);
	CHECK(line && strstr(line, "(partners rendered again: 1)"), "an update again: %s",
	      line ? line : "(no line)");
	free(line);
	save_file(bpath, borig);
	CHECK(wait_reload(fd, 2.0) >= 0, "event: reload after briefing.yaml saved back");
	close(fd);
	free(orig);
	free(borig);
	free(edited);
}

/* Open the event stream as a page served with cookie would, and say
 * whether the greeting carries a reload at once. */
static int greeting_reloads(const char *cookie)
{
	char req[512], *buf = NULL;
	int fd = connect_to(port), reloads;

	if (fd < 0)
		return -1;
	snprintf(req, sizeof(req),
		 "GET /__briefgen/events HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\n\r\n",
		 our_host(), cookie);
	if (write(fd, req, strlen(req)) < 0) {
		close(fd);
		return -1;
	}
	read_until(fd, &buf, 0, ": briefgen live reload", now() + 5);
	/* The greeting and an immediate reload come in one piece. */
	reloads = buf && strstr(buf, "event: reload") != NULL;
	free(buf);
	close(fd);
	return reloads;
}

/* A change between a page being served and its event stream connecting
 * is not missed: the page's cookie says which reload it was served after. */
static void test_seen_cookie(void)
{
	char path[400], cookie[128], *orig, *edited, *p;
	struct response r = get("/index.html");
	const char *set = header(&r, "Set-Cookie");
	int fd;

	if (!CHECK(set && !strncmp(set, "briefgen-seen=", 14), "a page sets the seen cookie"))
		goto out;
	snprintf(cookie, sizeof(cookie), "%.*s", (int)strcspn(set, ";"), set);
	CHECK(greeting_reloads(cookie) == 0, "a page that is current does not reload at once");
	/* The site changes before this page's stream connects. */
	fd = open_events();
	snprintf(path, sizeof(path), "%s/partners/brasov.yaml", content);
	orig = read_file(path);
	if (fd < 0 || !CHECK(orig && (p = strstr(orig, "\nname: ")), "brasov.yaml has a name"))
		goto out;
	edited = malloc(strlen(orig) + 32);
	p = strchr(p + 1, '\n');
	snprintf(edited, strlen(orig) + 32, "%.*s Seen%s", (int)(p - orig), orig, p);
	save_file(path, edited);
	CHECK(wait_reload(fd, 2.0) >= 0, "the edit is announced");
	CHECK(greeting_reloads(cookie) == 1, "a page served before the change reloads at once");
	CHECK(greeting_reloads("briefgen-seen=another-run-3") == 1,
	      "a page from another run of serve reloads at once");
	save_file(path, orig);
	wait_reload(fd, 2.0);
	close(fd);
	free(orig);
	free(edited);
out:
	response_free(&r);
}

/* The content folder replaced whole (a checkout, a copy over it): the
 * error shows while it is gone, and the site comes back with it. */
static void test_folder_replaced(void)
{
	char away[400];
	struct response r;

	snprintf(away, sizeof(away), "%s.away", content);
	if (!CHECK(rename(content, away) == 0, "moved the content folder away"))
		return;
	r = wait_status("/", 500, 3.0);
	CHECK(r.status == 500, "without its folder the site shows the error (got %d)", r.status);
	response_free(&r);
	CHECK(rename(away, content) == 0, "moved it back");
	r = wait_status("/", 200, 3.0);
	CHECK(r.status == 200, "the site is back with its folder (got %d)", r.status);
	response_free(&r);
}

/* Heads that hide something: a NUL or control character anywhere, two
 * Host fields, a folded line.  Each is 400 and gets no page. */
static void test_malformed_heads(void)
{
	static const struct {
		const char *req;
		size_t len;
		const char *what;
	} bad[] = {
#define B(s, what) {s, sizeof(s) - 1, what}
		B("GET /\0/ HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", "a NUL in the request line"),
		B("GET /index.html\0.css HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", "a NUL in the path"),
		B("GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nHost: 127.0.0.1:%u\r\n\r\n", "two Host fields"),
		B("GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nhost: evil.example\r\n\r\n",
		  "a second Host field for another site"),
		B("GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\0evil.example\r\n\r\n", "a NUL in the Host"),
		B("GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-A: b\0c\r\n\r\n", "a NUL in a field"),
		B("GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-A: \x1b[31m\r\n\r\n", "ESC in a field"),
		B("GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-A: a\rb\r\n\r\n", "a bare CR in a field"),
		B("GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-A: a\x7f\r\n\r\n", "DEL in a field"),
		B("GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nX-A: a\r\n b\r\n\r\n", "a folded field"),
		B("GET /\x01 HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", "a control byte in the path"),
		B("GET /%%1b HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", "an encoded ESC in the path"),
		B("GET /%%c2%%85 HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", "an encoded NEL in the path"),
		B("GET \0/ HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", "a NUL before the path"),
		B("G\0ET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", "a NUL in the method"),
#undef B
	};
	char req[512], fmt[512];
	struct response r;
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* Put the port in without losing the NULs: format the parts. */
		size_t k = 0, j;

		n = 0;
		for (j = 0; j <= bad[i].len; j++) {
			if (j == bad[i].len || bad[i].req[j] == '\0') {
				fmt[k] = '\0';
				n += (size_t)snprintf(req + n, sizeof(req) - n, fmt, port, port);
				if (j < bad[i].len)
					req[n++] = '\0';
				k = 0;
			} else {
				fmt[k++] = bad[i].req[j];
			}
		}
		r = send_bytes(req, n);
		CHECK(r.status == 400, "%s is 400 (got %d)", bad[i].what, r.status);
		CHECK(!r.raw || !strstr(r.raw, "<!DOCTYPE"), "%s gets no page", bad[i].what);
		response_free(&r);
	}
	/* What stays allowed. */
	snprintf(req, sizeof(req), "GET /assets/style%%2ecss?x=%%00 HTTP/1.1\r\nHost: 127.0.0.1:%u"
		 "\r\nX-A: a\tb\r\nConnection: close\r\n\r\n", port);
	r = send_raw(req);
	CHECK(r.status == 200, "a tab in a field, an escape in the path, a NUL escape in the "
	      "query: 200 (got %d)", r.status);
	response_free(&r);
	snprintf(req, sizeof(req), "GET / HTTP/1.1\nHost: 127.0.0.1:%u\nConnection: close\n\n",
		 port);
	r = send_raw(req);
	CHECK(r.status == 200, "bare LF line ends: 200 (got %d)", r.status);
	response_free(&r);
}

/* A FIFO in partners/ (nothing ever writes to it): the preview shows the
 * error and keeps answering; removed, the site comes back. */
static void test_fifo(void)
{
	char fifo[400];
	struct response r;
	double t0;

	snprintf(fifo, sizeof(fifo), "%s/partners/evil.yaml", content);
	CHECK(mkfifo(fifo, 0644) == 0, "made a FIFO in partners/");
	r = wait_status("/", 500, 5.0);
	CHECK(r.status == 500 && r.body && strstr(r.body, "evil.yaml"), "the FIFO is an error on "
	      "the page (got %d)", r.status);
	response_free(&r);
	t0 = now();
	r = get("/budget.html");
	CHECK(r.status == 500 && now() - t0 < 0.5, "the preview still answers (%d in %.3f s)",
	      r.status, now() - t0);
	response_free(&r);
	unlink(fifo);
	r = wait_status("/", 200, 5.0);
	CHECK(r.status == 200, "without the FIFO the site is back (got %d)", r.status);
	response_free(&r);
}

/* An editor's in-place save: the file is truncated, then written (with a
 * pause longer than the debounce in between); no request sees an error. */
static void test_inplace_save(void)
{
	char path[400], *text;
	int fd, bad = 0, asked = 0, i;
	double t0;
	size_t half;

	snprintf(path, sizeof(path), "%s/partners/brasov.yaml", content);
	text = read_file(path);
	if (!CHECK(text != NULL, "read %s", path))
		return;
	half = strlen(text) / 2;
	for (i = 0; i < 2; i++) {
		fd = open(path, O_WRONLY | O_TRUNC);
		close(fd);                       /* IN_CLOSE_WRITE on an empty file */
		t0 = now();
		while (now() - t0 < (i ? 0.05 : 0.15)) {
			struct response r = get("/");
			asked++;
			bad += r.status != 200;
			response_free(&r);
			sleep_ms(5);
		}
		fd = open(path, O_WRONLY);
		if (write(fd, text, half) < 0)
			bad++;
		t0 = now();
		while (now() - t0 < 0.1) {
			struct response r = get("/");
			asked++;
			bad += r.status != 200;
			response_free(&r);
			sleep_ms(5);
		}
		if (write(fd, text + half, strlen(text) - half) < 0)
			bad++;
		close(fd);
		t0 = now();
		while (now() - t0 < 1.0) {
			struct response r = get("/");
			asked++;
			bad += r.status != 200;
			response_free(&r);
			sleep_ms(10);
		}
	}
	CHECK(bad == 0, "no error page during two in-place saves (%d of %d requests were not 200)",
	      bad, asked);
	free(text);
}

/* A connection from source address src (a loopback address other than
 * 127.0.0.1 stands for another client), or -1. */
static int connect_from(const char *src, unsigned p)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	inet_pton(AF_INET, src, &a.sin_addr);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	a.sin_port = htons((uint16_t)p);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* True when the server has closed fd (EOF or reset), waiting up to ms. */
static bool closed_by_server(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	char c[256];

	if (poll(&p, 1, ms) <= 0)
		return false;
	return read(fd, c, sizeof(c)) <= 0;
}

/* A GET / timed: its status, *secs how long it took. */
static int timed_get(double *secs)
{
	double t0 = now();
	struct response r = get("/");
	int status = r.status;

	*secs = now() - t0;
	response_free(&r);
	return status;
}

/* Idle and slow clients cannot lock others out: with 200 connections that
 * never finish a request open, a normal request is answered at once; a
 * client trickling a header line every second is cut off once its head
 * has taken SERVER_HEAD_TIMEOUT (5 s), and so are the idle ones; one client
 * address gets at most SERVER_MAX_PER_CLIENT (256) connections, and the
 * others are still answered. */
static void test_slow_clients(void)
{
	enum { IDLE = 200, GREEDY = 300, PER_CLIENT = 256, HEAD_TIMEOUT = 5 };
	static int fds[GREEDY];
	int i, open_count = 0, alive = 0, status, drip, still = 0;
	double t0, took, cut = -1;
	char line[64];

	for (i = 0; i < IDLE; i++) {
		fds[i] = connect_to(port);
		if (fds[i] >= 0) {
			open_count++;
			/* Half a request line, and then nothing. */
			if (write(fds[i], "GET /", 5) < 0) {
				close(fds[i]);
				fds[i] = -1;
			}
		}
	}
	CHECK(open_count == IDLE, "opened %d idle connections", open_count);
	sleep_ms(300);
	status = timed_get(&took);
	CHECK(status == 200 && took < 0.5, "with %d idle connections a request is answered "
	      "(%d in %.3f s)", IDLE, status, took);
	/* The slow-loris client: a header line every second, never the end. */
	t0 = now();
	drip = connect_to(port);
	snprintf(line, sizeof(line), "GET / HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n", port);
	CHECK(drip >= 0 && write(drip, line, strlen(line)) > 0, "the trickling client connects");
	while (drip >= 0 && now() - t0 < HEAD_TIMEOUT + 3) {
		if (closed_by_server(drip, 1000)) {
			cut = now() - t0;
			break;
		}
		if (write(drip, "X-Drip: 1\r\n", 11) < 0) {
			cut = now() - t0;
			break;
		}
	}
	CHECK(cut >= HEAD_TIMEOUT - 1 && cut <= HEAD_TIMEOUT + 2, "a head trickling in is cut "
	      "off after about %d s (%.1f s)", HEAD_TIMEOUT, cut);
	if (drip >= 0)
		close(drip);
	for (i = 0; i < IDLE; i++)
		if (fds[i] >= 0 && !closed_by_server(fds[i], 0))
			still++;
	CHECK(still == 0, "the idle connections are closed after %d s (%d still open)",
	      HEAD_TIMEOUT, still);
	for (i = 0; i < IDLE; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	/* One greedy client address (127.0.0.2) against the per-client limit. */
	open_count = 0;
	for (i = 0; i < GREEDY; i++)
		if ((fds[i] = connect_from("127.0.0.2", port)) >= 0)
			open_count++;
	if (open_count == 0) {
		printf("# skipped: cannot connect from 127.0.0.2\n");
		return;
	}
	sleep_ms(500);
	for (i = 0; i < GREEDY; i++)
		if (fds[i] >= 0 && !closed_by_server(fds[i], 0))
			alive++;
	CHECK(alive <= PER_CLIENT && alive >= PER_CLIENT - 8, "one address keeps at most %d "
	      "connections (%d of %d)", PER_CLIENT, alive, open_count);
	status = timed_get(&took);
	CHECK(status == 200 && took < 0.5, "another address is still answered (%d in %.3f s)",
	      status, took);
	for (i = 0; i < GREEDY; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int main(int argc, char **argv)
{
	const char *srcdir = getenv("SRCDIR");
	char cmd[1024], *log, *p;
	bool slow = argc > 1 && strcmp(argv[1], "slow") == 0;
	double took = -1;
	int status, lines;

	if (!srcdir) {
		fprintf(stderr, "serve_http: SRCDIR is not set\n");
		return 2;
	}
	snprintf(tmp, sizeof(tmp), "%s/briefgen-serve-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR")
									   : "/tmp");
	if (!mkdtemp(tmp)) {
		perror(tmp);
		return 2;
	}
	snprintf(content, sizeof(content), "%s/content", tmp);
	snprintf(cmd, sizeof(cmd), "cp -R '%s/content' '%s'", srcdir, content);
	if (system(cmd) != 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	start_server();
	printf("# serving on port %u\n", port);

	if (slow) {
		test_slow_clients();
	} else {
		test_pages();
		test_methods();
		test_traversal();
		test_hosts();
		test_malformed_heads();
		test_head();
		test_live_reload();
		test_update();
		test_seen_cookie();
		test_folder_replaced();
		test_fifo();
		test_inplace_save();
	}

	status = stop_server(&took);
	CHECK(status == 0, "SIGINT stops it with status 0 (got %d)", status);
	CHECK(status == 0 && took < 1, "it stops within a second (%.3f s)", took);
	log = read_file(logpath);
	for (lines = 0, p = log; p && (p = strstr(p, "briefgen: serving ")); p++)
		lines++;
	CHECK(lines == 1, "exactly one 'serving' line on stderr (got %d)", lines);
	CHECK(log && !strstr(log, "ERROR: AddressSanitizer") && !strstr(log, "runtime error:") &&
	      !strstr(log, "ThreadSanitizer") && !strstr(log, "LeakSanitizer"),
	      "no sanitizer reports");
	if (failures)
		printf("# serve's stderr:\n%s\n", log ? log : "(none)");
	free(log);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "serve_http: could not remove %s\n", tmp);
	printf("%s: %d failure%s\n", failures ? "FAIL" : "PASS", failures,
	       failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}

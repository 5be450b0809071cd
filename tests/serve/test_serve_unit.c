/*
 * Unit tests for serve/: the request checks (paths, Host, content types),
 * the error page's escaping, snapshot comparison, the server's answers over
 * a real socket, and the folder watcher.
 */
#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/fileset.h"
#include "serve/errorpage.h"
#include "serve/request.h"
#include "serve/server.h"
#include "serve/snapshot.h"
#include "serve/watch.h"
#include "util/buf.h"

/* --- request_map_path ------------------------------------------------ */

static const char *mapped(const char *url)
{
	static struct buf b = BUF_INIT;

	return request_map_path(url, &b) ? b.ptr : NULL;
}

START_TEST(map_plain_paths)
{
	ck_assert_str_eq(mapped("/"), "index.html");
	ck_assert_str_eq(mapped("/index.html"), "index.html");
	ck_assert_str_eq(mapped("/partners/brasov.html"), "partners/brasov.html");
	ck_assert_str_eq(mapped("/partners/"), "partners/index.html");
	ck_assert_str_eq(mapped("/assets/style.css"), "assets/style.css");
	ck_assert_str_eq(mapped("/..a/b..c"), "..a/b..c");     /* dots inside names are names */
}
END_TEST

START_TEST(map_refuses_escapes)
{
	static const char *const bad[] = {
		"", "index.html", "../etc/passwd", "/../etc/passwd", "/..", "/../", "/a/../b",
		"/a/..", "/.", "/./index.html", "/a/./b", "//etc/passwd", "/a//b", "/a\\..\\b",
		"/a\x01", "/a\x7f", "/\n", "http://example.org/", "*", "C:/x", "/a\xc2\x85" "b",
		"/\xc2\x9f",
	};
	size_t i;
	char *long_path = malloc(REQUEST_PATH_MAX + 2);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(mapped(bad[i]) == NULL, "accepted '%s'", bad[i]);
	memset(long_path, 'a', REQUEST_PATH_MAX + 1);
	long_path[0] = '/';
	long_path[REQUEST_PATH_MAX + 1] = '\0';
	ck_assert_ptr_null(mapped(long_path));
	free(long_path);
	ck_assert_ptr_null(mapped(NULL));
}
END_TEST

#define TARGET_OK(t) request_target_ok((t), sizeof(t) - 1)

START_TEST(raw_targets)
{
	ck_assert(TARGET_OK("/"));
	/* The query is not looked at. */
	ck_assert(TARGET_OK("/partners/brasov.html?x=%00"));
	ck_assert(TARGET_OK("/a%20b.html"));
	ck_assert(TARGET_OK("/%2e%2e/x"));     /* decoded, then refused by map_path */
	ck_assert(TARGET_OK("/100%"));         /* not an escape */
	ck_assert(!TARGET_OK("/index.html%00.css"));
	ck_assert(!TARGET_OK("/partners%2f..%2f..%2fetc%2fpasswd"));
	ck_assert(!TARGET_OK("/partners%2F.."));
	ck_assert(!TARGET_OK("/a%5c..%5Cb"));
	ck_assert(!TARGET_OK("/a%0d%0aSet-Cookie:x"));
	ck_assert(!TARGET_OK("/a%1B[31m"));
	ck_assert(!TARGET_OK("/a%7f"));
	/* Raw bytes: NUL (counted by length, not an end), controls, space, DEL. */
	ck_assert(!TARGET_OK("/\0/"));
	ck_assert(!TARGET_OK("/index.html\0.css"));
	ck_assert(!TARGET_OK("/a\tb"));
	ck_assert(!TARGET_OK("/a b"));
	ck_assert(!TARGET_OK("/a\x1b"));
	ck_assert(!TARGET_OK("/a\x7f"));
	ck_assert(!TARGET_OK("/?q=\x01"));
	ck_assert(!TARGET_OK("/index.html#%00.css"));   /* '#' is not the end for the server */
	ck_assert(!TARGET_OK("/#"));
	ck_assert(!TARGET_OK("index.html"));
	ck_assert(!TARGET_OK("http://127.0.0.1/"));
	ck_assert(!TARGET_OK(""));
	ck_assert(!request_target_ok(NULL, 0));
}
END_TEST

/* request_check_head on a head given as fields. */
static unsigned check_head(const char *method, const char *target, const char *const *fields)
{
	struct request_field f[REQUEST_FIELDS_MAX + 2];
	struct request_head h;
	size_t n = 0;

	for (; fields && fields[2 * n]; n++) {
		f[n].name = fields[2 * n];
		f[n].name_len = strlen(fields[2 * n]);
		f[n].value = fields[2 * n + 1];
		f[n].value_len = strlen(fields[2 * n + 1]);
	}
	h.method = method;
	h.method_len = strlen(method);
	h.target = target;
	h.target_len = strlen(target);
	h.fields = f;
	h.nfields = n;
	return request_check_head(&h, "127.0.0.1", 8000);
}

START_TEST(heads)
{
	static const char *const ok[] = {"Host", "127.0.0.1:8000", "Accept", "*/*", NULL};
	static const char *const two_hosts[] = {"Host", "127.0.0.1:8000", "host", "127.0.0.1:8000",
						NULL};
	static const char *const evil_second[] = {"Host", "127.0.0.1:8000", "HOST", "evil.example",
						  NULL};
	static const char *const no_host[] = {"Accept", "*/*", NULL};
	static const char *const bad_host[] = {"Host", "evil.example", NULL};
	static const char *const ctl_value[] = {"Host", "127.0.0.1:8000", "X", "a\x1b[31m", NULL};
	static const char *const cr_value[] = {"Host", "127.0.0.1:8000", "X", "a\rb", NULL};
	static const char *const del_value[] = {"Host", "127.0.0.1:8000", "X", "a\x7f", NULL};
	static const char *const tab_value[] = {"Host", "127.0.0.1:8000", "X", "a\tb", NULL};
	static const char *const bad_name[] = {"Host", "127.0.0.1:8000", "X Y", "a", NULL};
	static const char *const empty_name[] = {"Host", "127.0.0.1:8000", "", "a", NULL};
	struct request_field f[REQUEST_FIELDS_MAX + 1];
	struct request_head h;
	size_t i;

	ck_assert_uint_eq(check_head("GET", "/", ok), 0);
	ck_assert_uint_eq(check_head("HEAD", "/budget.html", ok), 0);
	ck_assert_uint_eq(check_head("GET", "/", tab_value), 0);
	ck_assert_uint_eq(check_head("GET", "/", two_hosts), 400);
	ck_assert_uint_eq(check_head("GET", "/", evil_second), 400);
	ck_assert_uint_eq(check_head("GET", "/", ctl_value), 400);
	ck_assert_uint_eq(check_head("GET", "/", cr_value), 400);
	ck_assert_uint_eq(check_head("GET", "/", del_value), 400);
	ck_assert_uint_eq(check_head("GET", "/", bad_name), 400);
	ck_assert_uint_eq(check_head("GET", "/", empty_name), 400);
	ck_assert_uint_eq(check_head("GET", "/a b", ok), 400);
	ck_assert_uint_eq(check_head("G(T", "/", ok), 400);
	ck_assert_uint_eq(check_head("", "/", ok), 400);
	/* 400 comes before 403 and 405. */
	ck_assert_uint_eq(check_head("POST", "/\x01", bad_host), 400);
	ck_assert_uint_eq(check_head("GET", "/", no_host), 403);
	ck_assert_uint_eq(check_head("GET", "/", bad_host), 403);
	ck_assert_uint_eq(check_head("POST", "/", bad_host), 403);
	ck_assert_uint_eq(check_head("POST", "/", ok), 405);
	ck_assert_uint_eq(check_head("get", "/", ok), 405);
	/* A NUL inside a value or the method, counted by length. */
	f[0].name = "Host";
	f[0].name_len = 4;
	f[0].value = "127.0.0.1\0evil";
	f[0].value_len = 14;
	h.method = "GET";
	h.method_len = 3;
	h.target = "/";
	h.target_len = 1;
	h.fields = f;
	h.nfields = 1;
	ck_assert_uint_eq(request_check_head(&h, "127.0.0.1", 8000), 400);
	f[0].value_len = 9;
	ck_assert_uint_eq(request_check_head(&h, "127.0.0.1", 8000), 0);
	h.method = "GET\0";
	h.method_len = 4;
	ck_assert_uint_eq(request_check_head(&h, "127.0.0.1", 8000), 400);
	/* Too many fields. */
	h.method_len = 3;
	for (i = 1; i <= REQUEST_FIELDS_MAX; i++) {
		f[i].name = "X";
		f[i].name_len = 1;
		f[i].value = "y";
		f[i].value_len = 1;
	}
	h.nfields = REQUEST_FIELDS_MAX;
	ck_assert_uint_eq(request_check_head(&h, "127.0.0.1", 8000), 0);
	h.nfields = REQUEST_FIELDS_MAX + 1;
	ck_assert_uint_eq(request_check_head(&h, "127.0.0.1", 8000), 400);
}
END_TEST

START_TEST(host_loopback_names)
{
	ck_assert(request_host_allowed("127.0.0.1", "127.0.0.1", 8000));
	ck_assert(request_host_allowed("127.0.0.1:8000", "127.0.0.1", 8000));
	ck_assert(request_host_allowed("localhost:8000", "127.0.0.1", 8000));
	ck_assert(request_host_allowed("LocalHost", "127.0.0.1", 8000));
	ck_assert(request_host_allowed("[::1]:8000", "127.0.0.1", 8000));
	ck_assert(request_host_allowed("[::1]", "::1", 8000));
	ck_assert(request_host_allowed("[0:0::1]:8000", "::1", 8000));
}
END_TEST

START_TEST(host_refused)
{
	static const char *const bad[] = {
		"", "evil.example", "evil.example:8000", "localhost.evil.example:8000",
		"127.0.0.1.nip.io:8000", "localhost.:8000", "127.0.0.1:8001", "127.0.0.1:",
		"127.0.0.1:80x", "localhost:8000:8000", "::1", "[::1", "[localhost]:8000",
		"127.0.0.2:8000", "127.1:8000", "0x7f000001:8000", "192.168.1.5:8000",
		"localhost:-8000", "localhost:+8000",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!request_host_allowed(bad[i], "127.0.0.1", 8000), "allowed '%s'",
			      bad[i]);
	ck_assert(!request_host_allowed(NULL, "127.0.0.1", 8000));
}
END_TEST

START_TEST(host_bound_address)
{
	ck_assert(request_host_allowed("192.168.1.5:8000", "192.168.1.5", 8000));
	ck_assert(!request_host_allowed("192.168.1.6:8000", "192.168.1.5", 8000));
	ck_assert(request_host_allowed("[fe80::1]:8000", "fe80::1", 8000));
	/* A wildcard bind accepts any literal address, never a name. */
	ck_assert(request_host_allowed("192.168.1.6:8000", "0.0.0.0", 8000));
	ck_assert(request_host_allowed("[2001:db8::2]:8000", "::", 8000));
	ck_assert(!request_host_allowed("intranet.example:8000", "0.0.0.0", 8000));
}
END_TEST

/* --- content types --------------------------------------------------- */

START_TEST(content_types)
{
	ck_assert_str_eq(request_content_type("index.html"), "text/html; charset=utf-8");
	ck_assert_str_eq(request_content_type("assets/style.css"), "text/css; charset=utf-8");
	ck_assert_str_eq(request_content_type("briefing.md"), "text/markdown; charset=utf-8");
	ck_assert_str_eq(request_content_type("partners/x.MD"), "text/markdown; charset=utf-8");
	ck_assert_str_eq(request_content_type("chart.svg"), "image/svg+xml; charset=utf-8");
	ck_assert_str_eq(request_content_type("SHA256SUMS"), "text/plain; charset=utf-8");
	ck_assert_str_eq(request_content_type("a/SHA256SUMS"), "text/plain; charset=utf-8");
	ck_assert_str_eq(request_content_type("logo.png"), "image/png");
	ck_assert_str_eq(request_content_type("x.bin"), "application/octet-stream");
	ck_assert_str_eq(request_content_type(".html"), "application/octet-stream");
	ck_assert_str_eq(request_content_type("noext"), "application/octet-stream");
	ck_assert(request_is_page("partners/brasov.html"));
	ck_assert(!request_is_page("briefing.md"));
}
END_TEST

/* --- the error page -------------------------------------------------- */

START_TEST(errorpage_escapes)
{
	struct diags d;
	struct buf b = BUF_INIT;

	diags_init(&d);
	diags_add(&d, SEV_ERROR, "c/<p>.yaml", 3, 7, "write \"x\" & 'y'",
		  "unknown key '<script>alert(1)</script>'");
	diags_add(&d, SEV_WARNING, "c/b.yaml", 1, 1, NULL, "a warning");
	diags_sort(&d);
	errorpage_render(&b, &d, "c&d");
	ck_assert_ptr_nonnull(strstr(b.ptr, "c/&lt;p&gt;.yaml:3:7"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "write &quot;x&quot; &amp; &#39;y&#39;"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "c&amp;d"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "c/b.yaml:1:1</code>: <span class=\"warning\">"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "class=\"error\">1 error</h2>"));
	ck_assert_ptr_nonnull(strstr(b.ptr, SITE_LIVE_RELOAD_SCRIPT));
	ck_assert_ptr_null(strstr(b.ptr, "<script>alert"));
	/* Under --strict the warning is shown as an error, as check says it. */
	buf_reset(&b);
	d.strict = true;
	errorpage_render(&b, &d, "c");
	ck_assert_ptr_nonnull(strstr(b.ptr, "c/b.yaml:1:1</code>: <span class=\"error\">"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "class=\"error\">2 errors</h2>"));
	ck_assert_ptr_null(strstr(b.ptr, "warnings\""));
	buf_release(&b);
	diags_release(&d);
}
END_TEST

/* Occurrences of needle in s[from, to). */
/* A note attached to the diagnostic seq, as diags_note does at a node. */
static void diags_vadd_test_note(struct diags *d, size_t seq, ...)
{
	va_list ap;

	va_start(ap, seq);
	diags_vadd(d, SEV_NOTE, "c/b.yaml", 1, 1, NULL, seq + 1, "%s", ap);
	va_end(ap);
}

static size_t count_in(const char *from, const char *to, const char *needle)
{
	size_t n = 0;
	const char *p;

	for (p = from; (p = strstr(p, needle)) && p < to; p++)
		n++;
	return n;
}

/* Two errors and a warning (item 7 of issue 9): "2 errors" over a list of
 * the two errors (a note with its error), "1 warning" over a list of the
 * warning; nothing is counted under the wrong heading. */
START_TEST(errorpage_counts_apart)
{
	struct diags d;
	struct buf b = BUF_INIT;
	const char *errs, *warns, *end;
	size_t seq;

	diags_init(&d);
	diags_add(&d, SEV_ERROR, "c/a.yaml", 2, 1, NULL, "first error");
	diags_add(&d, SEV_WARNING, "c/a.yaml", 3, 1, NULL, "the warning");
	seq = diags_add(&d, SEV_ERROR, "c/b.yaml", 1, 1, NULL, "second error");
	diags_vadd_test_note(&d, seq, "the second error's note");
	diags_sort(&d);
	errorpage_render(&b, &d, "c");
	errs = strstr(b.ptr, "<h2 id=\"errors\" class=\"error\">2 errors</h2>");
	warns = strstr(b.ptr, "<h2 id=\"warnings\" class=\"warning\">1 warning</h2>");
	ck_assert_ptr_nonnull(errs);
	ck_assert_ptr_nonnull(warns);
	ck_assert(errs < warns);
	end = strstr(warns, "</ol>");
	ck_assert_ptr_nonnull(end);
	ck_assert_uint_eq(count_in(errs, warns, "<li class=\"diagnostic\">"), 3);
	ck_assert_uint_eq(count_in(errs, warns, "<span class=\"error\">"), 2);
	ck_assert_uint_eq(count_in(errs, warns, "<span class=\"note\">"), 1);
	ck_assert_uint_eq(count_in(errs, warns, "the warning"), 0);
	ck_assert_uint_eq(count_in(warns, end, "<li class=\"diagnostic\">"), 1);
	ck_assert_uint_eq(count_in(warns, end, "the warning"), 1);
	/* Long lines wrap instead of running off the right edge. */
	ck_assert_ptr_nonnull(strstr(b.ptr, "white-space:pre-wrap"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "overflow-wrap:anywhere"));
	ck_assert_ptr_null(strstr(b.ptr, "overflow:auto"));
	buf_release(&b);
	diags_release(&d);
}
END_TEST

/* --- snapshots ------------------------------------------------------- */

static struct snapshot *snapshot_of(const char *const *files)
{
	struct snapshot *s = calloc(1, sizeof(*s));
	struct output o;

	atomic_init(&s->refs, 1);
	buf_init(&s->error_page);
	s->files = fileset_new();
	o = fileset_output(s->files);
	for (; files[0]; files += 2)
		output_put(&o, files[0], files[1], strlen(files[1]));
	s->nfiles = s->files->n;
	return s;
}

START_TEST(snapshots_compare)
{
	static const char *const a[] = {"index.html", "A", "b.css", "B", NULL};
	static const char *const same[] = {"b.css", "B", "index.html", "A", NULL};
	static const char *const changed[] = {"index.html", "A", "b.css", "C", NULL};
	static const char *const fewer[] = {"index.html", "A", NULL};
	struct snapshot *sa = snapshot_of(a), *sb = snapshot_of(same), *sc = snapshot_of(changed);
	struct snapshot *sd = snapshot_of(fewer);

	ck_assert(snapshot_same(sa, sb));
	ck_assert(!snapshot_same(sa, sc));
	ck_assert(!snapshot_same(sa, sd));
	ck_assert(!snapshot_same(sd, sa));
	ck_assert(!snapshot_same(sa, NULL));
	/* References: the last unref frees (ASan would see a leak or double free). */
	snapshot_ref(sa);
	snapshot_unref(sa);
	snapshot_unref(sa);
	snapshot_unref(sb);
	snapshot_unref(sc);
	snapshot_unref(sd);
	snapshot_unref(NULL);
}
END_TEST

/* --- the server over a socket ---------------------------------------- */

/* The number of open file descriptors. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Send req to port, return the whole answer (malloc'd). */
static char *exchange(unsigned port, const char *req)
{
	struct sockaddr_in a;
	struct buf b = BUF_INIT;
	char chunk[4096];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ssize_t n;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	return buf_detach(&b, NULL);
}

START_TEST(server_answers_from_snapshot)
{
	static const char *const files[] = {"index.html", "<p>hello</p>", "a b.css", "x{}", NULL};
	char *err = NULL, *r, req[256];
	int fds = open_fds();
	struct server *s = server_start("127.0.0.1", 0, snapshot_of(files), &err);
	unsigned port;

	ck_assert_msg(s != NULL, "%s", err ? err : "");
	port = server_port(s);
	ck_assert_uint_ne(port, 0);
	snprintf(req, sizeof(req), "GET / HTTP/1.0\r\nHost: localhost:%u\r\n\r\n", port);
	r = exchange(port, req);
	ck_assert_msg(strncmp(r, "HTTP/1.0 200", 12) == 0 || strncmp(r, "HTTP/1.1 200", 12) == 0,
		      "%s", r);
	ck_assert_ptr_nonnull(strstr(r, "\r\n\r\n<p>hello</p>"));
	free(r);
	snprintf(req, sizeof(req), "GET /a%%20b.css HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
	r = exchange(port, req);
	ck_assert_ptr_nonnull(strstr(r, "text/css; charset=utf-8"));
	free(r);
	/* Swapping in a build with errors: pages show the error page. */
	{
		struct snapshot *e = calloc(1, sizeof(*e));

		atomic_init(&e->refs, 1);
		buf_init(&e->error_page);
		buf_adds(&e->error_page, "<p>broken</p>");
		server_publish(s, e, true);
	}
	snprintf(req, sizeof(req), "GET /x.html HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
	r = exchange(port, req);
	ck_assert_msg(strstr(r, " 500 ") && strstr(r, "<p>broken</p>"), "%s", r);
	free(r);
	snprintf(req, sizeof(req), "GET /a%%20b.css HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
	r = exchange(port, req);
	ck_assert_msg(strstr(r, " 503 ") != NULL, "%s", r);
	free(r);
	server_free(s);
	server_free(NULL);
	ck_assert_int_eq(open_fds(), fds);     /* the listening socket is closed too */
}
END_TEST

START_TEST(server_refuses_bad_bind)
{
	static const char *const files[] = {NULL};
	char *err = NULL;

	struct server *s;

	ck_assert_ptr_null(server_start("example.org", 0, snapshot_of(files), &err));
	ck_assert_ptr_nonnull(strstr(err, "numeric address"));
	free(err);
	/* "localhost" is 127.0.0.1. */
	s = server_start("localhost", 0, snapshot_of(files), &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(server_url(s), "http://127.0.0.1:"));
	server_free(s);
}
END_TEST

/* --- the watcher ----------------------------------------------------- */

/* Wait up to ms for changes; returns their number. */
static int changes_within(struct watch *w, int ms)
{
	struct pollfd p = {watch_fd(w), POLLIN, 0};
	int total = 0, n;

	while (poll(&p, 1, ms) > 0) {
		n = watch_read(w, NULL, NULL, NULL);
		ck_assert_int_ge(n, 0);
		total += n;
		ms = 50;    /* collect what follows closely */
	}
	return total;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(watch_sees_editors_saves)
{
	char dir[] = "/tmp/briefgen-watch-XXXXXX", path[256], tmp[256];
	const char *what = NULL;
	char *err = NULL;
	struct watch *w = watch_new(&err);
	struct pollfd p;

	ck_assert_ptr_nonnull(w);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/partners", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(watch_add_tree(w, dir, 2, &err), 0);

	/* Written in place. */
	snprintf(path, sizeof(path), "%s/partners/a.yaml", dir);
	write_file(path, "name: a\n");
	ck_assert_int_gt(changes_within(w, 1000), 0);
	/* Written beside and renamed over it (vim, VS Code, sed -i). */
	snprintf(tmp, sizeof(tmp), "%s/partners/a.yaml.tmp", dir);
	write_file(tmp, "name: b\n");
	changes_within(w, 200);
	ck_assert_int_eq(rename(tmp, path), 0);
	p.fd = watch_fd(w);
	p.events = POLLIN;
	ck_assert_int_eq(poll(&p, 1, 1000), 1);
	ck_assert_int_gt(watch_read(w, &what, NULL, NULL), 0);
	ck_assert_str_eq(what + strlen(what) - strlen("partners/a.yaml"), "partners/a.yaml");
	/* Swap files and backups do not count. */
	snprintf(tmp, sizeof(tmp), "%s/partners/.a.yaml.swp", dir);
	write_file(tmp, "x");
	unlink(tmp);
	snprintf(tmp, sizeof(tmp), "%s/partners/a.yaml~", dir);
	write_file(tmp, "x");
	ck_assert_int_eq(changes_within(w, 200), 0);
	unlink(tmp);
	/* Deleted. */
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_gt(changes_within(w, 1000), 0);
	/* A folder made later is watched too. */
	snprintf(path, sizeof(path), "%s/new", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_gt(changes_within(w, 1000), 0);
	snprintf(path, sizeof(path), "%s/new/b.yaml", dir);
	write_file(path, "x");
	ck_assert_int_gt(changes_within(w, 1000), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/new", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/partners", dir);
	rmdir(path);
	rmdir(dir);
	changes_within(w, 100);
	watch_free(w);
	watch_free(NULL);
	ck_assert_int_eq(watch_add_tree(w = watch_new(&err), "/nonexistent/briefgen", 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/briefgen"));
	free(err);
	watch_free(w);
}
END_TEST

static Suite *serve_suite(void)
{
	Suite *s = suite_create("serve");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, map_plain_paths);
	tcase_add_test(tc, map_refuses_escapes);
	tcase_add_test(tc, raw_targets);
	tcase_add_test(tc, heads);
	tcase_add_test(tc, host_loopback_names);
	tcase_add_test(tc, host_refused);
	tcase_add_test(tc, host_bound_address);
	tcase_add_test(tc, content_types);
	tcase_add_test(tc, errorpage_escapes);
	tcase_add_test(tc, errorpage_counts_apart);
	tcase_add_test(tc, snapshots_compare);
	tcase_add_test(tc, server_answers_from_snapshot);
	tcase_add_test(tc, server_refuses_bad_bind);
	tcase_add_test(tc, watch_sees_editors_saves);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(serve_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * fuzz_request: libFuzzer harness for serve's request checks
 * (src/serve/request.h): request_check_head, request_target_ok,
 * request_host_allowed, request_map_path, request_content_type.
 *
 * Each input is a raw request head.  It is split the way an HTTP server
 * would (request line, then "Name: value" lines up to an empty line; CR LF
 * or LF; a NUL is a byte like any other), checked with request_check_head,
 * and when the head is accepted the path is decoded the way libmicrohttpd
 * does (MHD_http_unescape) and mapped with request_map_path.  The harness
 * then checks the rules independently and traps when one is broken:
 *   - a NUL or other control character (tab allowed in values) or DEL
 *     anywhere in the method, target or fields: 400;
 *   - two Host fields: 400;
 *   - accepted: the method is GET or HEAD, there is exactly one Host and
 *     request_host_allowed accepts it, the decoded path holds no NUL;
 *   - mapped: a relative path with no empty, "." or ".." segment, no
 *     backslash, no control byte (C0, DEL, C1 in UTF-8), not longer than
 *     REQUEST_PATH_MAX plus "index.html".
 *
 * Built by the fuzz preset (tests/fuzz/CMakeLists.txt), run for a short
 * while by the fuzz/request test (tests/fuzz-run).  With
 * -DFUZZ_REQUEST_REPLAY it has a main() that replays the files named on
 * its command line and the files in folders named there ("DIR=PREFIX": only
 * those whose names start with PREFIX): the serve test
 * fuzz_request_replay runs the seeds and kept crashes that way in every
 * build, sanitizers included.
 */
#include <ctype.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve/request.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MUST(cond)                                                                   \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz_request: broken: %s (line %d)\n", #cond,  \
				__LINE__);                                           \
			abort();                                                     \
		}                                                                    \
	} while (0)

/* The next line of [*p, end): returns its length without CR LF or LF and
 * moves *p past it; *more is false when the input ended without one. */
static size_t next_line(const char **p, const char *end, bool *more)
{
	const char *s = *p, *nl = memchr(s, '\n', (size_t)(end - s));
	size_t n;

	if (!nl) {
		*more = false;
		*p = end;
		return (size_t)(end - s);
	}
	*more = true;
	*p = nl + 1;
	n = (size_t)(nl - s);
	if (n && s[n - 1] == '\r')
		n--;
	return n;
}

static bool has_ctl(const char *s, size_t n, bool tab_ok)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && !(tab_ok && c == '\t')) || c == 0x7f)
			return true;
	}
	return false;
}

static void check_mapped(const char *p, size_t n)
{
	const char *seg = p;
	size_t i;

	MUST(n > 0 && n <= REQUEST_PATH_MAX + 10);
	MUST(p[0] != '/' && strlen(p) == n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		MUST(c >= 0x20 && c != 0x7f && c != '\\');
		MUST(!(c == 0xc2 && i + 1 < n && (unsigned char)p[i + 1] >= 0x80 &&
		       (unsigned char)p[i + 1] <= 0x9f));
	}
	for (;;) {
		const char *e = strchr(seg, '/');
		size_t k = e ? (size_t)(e - seg) : strlen(seg);

		MUST(k > 0);
		MUST(!(k == 1 && seg[0] == '.'));
		MUST(!(k == 2 && seg[0] == '.' && seg[1] == '.'));
		if (!e)
			break;
		seg = e + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const bounds[] = {"127.0.0.1", "0.0.0.0", "::1", "192.0.2.7"};
	const char *p = (const char *)data, *end = p + size, *line, *sp, *last;
	struct request_field fields[REQUEST_FIELDS_MAX + 1];
	struct request_head h;
	size_t n, nf = 0, hosts = 0, i;
	bool more, ctl = false;
	const char *bound = bounds[size % 4];
	unsigned status;

	/* The request line: METHOD SP TARGET SP VERSION (spaces collapsed). */
	line = p;
	n = next_line(&p, end, &more);
	sp = memchr(line, ' ', n);
	if (!sp)
		return 0;
	h.method = line;
	h.method_len = (size_t)(sp - line);
	while (sp < line + n && *sp == ' ')
		sp++;
	last = line + n;
	while (last > sp && last[-1] != ' ')
		last--;
	h.target = sp;
	h.target_len = last > sp ? (size_t)(last - 1 - sp) : (size_t)(line + n - sp);
	ctl |= has_ctl(h.method, h.method_len, false) || has_ctl(h.target, h.target_len, false);
	/* The fields, up to an empty line. */
	while (more && nf <= REQUEST_FIELDS_MAX) {
		const char *colon;

		line = p;
		n = next_line(&p, end, &more);
		if (n == 0)
			break;
		colon = memchr(line, ':', n);
		fields[nf].name = line;
		fields[nf].name_len = colon ? (size_t)(colon - line) : n;
		if (colon) {
			const char *v = colon + 1;

			while (v < line + n && (*v == ' ' || *v == '\t'))
				v++;
			fields[nf].value = v;
			fields[nf].value_len = (size_t)(line + n - v);
		} else {
			fields[nf].value = line + n;
			fields[nf].value_len = 0;
		}
		ctl |= has_ctl(fields[nf].name, fields[nf].name_len, false) ||
		       has_ctl(fields[nf].value, fields[nf].value_len, true);
		if (fields[nf].name_len == 4 && strncasecmp(fields[nf].name, "host", 4) == 0)
			hosts++;
		nf++;
	}
	h.fields = fields;
	h.nfields = nf;
	status = request_check_head(&h, bound, 8000);
	MUST(status == 0 || status == 400 || status == 403 || status == 405);
	if (ctl || hosts > 1 || nf > REQUEST_FIELDS_MAX)
		MUST(status == 400);
	if (status == 0) {
		const struct request_field *host = NULL;
		char value[256], *path;
		struct buf out = BUF_INIT;
		size_t plen, dlen;
		const char *q;

		MUST((h.method_len == 3 && !memcmp(h.method, "GET", 3)) ||
		     (h.method_len == 4 && !memcmp(h.method, "HEAD", 4)));
		MUST(h.target_len > 0 && h.target[0] == '/');
		MUST(request_target_ok(h.target, h.target_len));
		for (i = 0; i < nf; i++)
			if (fields[i].name_len == 4 && !strncasecmp(fields[i].name, "host", 4)) {
				MUST(!host);
				host = &fields[i];
			}
		MUST(host && host->value_len < sizeof(value));
		memcpy(value, host->value, host->value_len);
		value[host->value_len] = '\0';
		MUST(request_host_allowed(value, bound, 8000));
		/* The path part, decoded as libmicrohttpd does, then mapped. */
		q = memchr(h.target, '?', h.target_len);
		plen = q ? (size_t)(q - h.target) : h.target_len;
		path = malloc(plen + 1);
		memcpy(path, h.target, plen);
		path[plen] = '\0';
		dlen = MHD_http_unescape(path);
		MUST(strlen(path) == dlen);    /* no NUL got in by decoding */
		if (request_map_path(path, &out)) {
			check_mapped(out.ptr, out.len);
			MUST(request_content_type(out.ptr) != NULL);
			(void)request_is_page(out.ptr);
		}
		buf_release(&out);
		free(path);
	}
	/* The Host check alone on the whole input (up to its first NUL). */
	{
		char host[512];

		n = size < sizeof(host) - 1 ? size : sizeof(host) - 1;
		memcpy(host, data, n);
		host[n] = '\0';
		if (request_host_allowed(host, bound, 8000))
			MUST(strchr(host, '\n') == NULL && strchr(host, ' ') == NULL);
	}
	return 0;
}

#ifdef FUZZ_REQUEST_REPLAY
#include <dirent.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!f) {
		perror(path);
		return 1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)b.ptr, b.len);
	buf_release(&b);
	return 0;
}

int main(int argc, char **argv)
{
	int i, bad = 0, count = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;
		char *prefix = strchr(argv[i], '=');

		if (prefix)
			*prefix++ = '\0';
		if (stat(argv[i], &st) != 0)
			continue;      /* no kept crashes yet: fine */
		if (!S_ISDIR(st.st_mode)) {
			bad |= replay_file(argv[i]);
			count++;
			continue;
		}
		if (!(d = opendir(argv[i])))
			continue;
		while ((e = readdir(d))) {
			char file[4096];

			if (e->d_name[0] == '.' ||
			    (prefix && strncmp(e->d_name, prefix, strlen(prefix)) != 0))
				continue;
			snprintf(file, sizeof(file), "%s/%s", argv[i], e->d_name);
			if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
				bad |= replay_file(file);
				count++;
			}
		}
		closedir(d);
	}
	printf("fuzz_request: replayed %d inputs\n", count);
	return bad || count == 0;
}
#endif

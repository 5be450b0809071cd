#include "request.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool request_target_ok(const char *raw, size_t len)
{
	size_t i;
	bool path = true;

	if (!raw || len == 0 || raw[0] != '/')
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)raw[i];
		int hi, lo, v;

		/* '#': a client never sends the fragment, and libmicrohttpd
		 * would decode what follows it as part of the path. */
		if (c <= 0x20 || c == 0x7f || c == '#')
			return false;
		if (c == '?')
			path = false;
		if (c != '%' || !path)
			continue;
		hi = i + 1 < len ? hex(raw[i + 1]) : -1;
		lo = i + 2 < len ? hex(raw[i + 2]) : -1;
		if (hi < 0 || lo < 0)
			continue;          /* not an escape: libmicrohttpd keeps it as it is */
		v = hi * 16 + lo;
		if (v < 0x20 || v == 0x7f || v == '/' || v == '\\')
			return false;
	}
	return true;
}

/* RFC 9110 token characters. */
static bool is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_token(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!is_tchar((unsigned char)s[i]))
			return false;
	return true;
}

static bool value_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

unsigned request_check_head(const struct request_head *h, const char *bound, unsigned port)
{
	const struct request_field *host = NULL;
	char value[256];
	size_t i;

	if (!is_token(h->method, h->method_len) || !request_target_ok(h->target, h->target_len) ||
	    h->nfields > REQUEST_FIELDS_MAX)
		return 400;
	for (i = 0; i < h->nfields; i++) {
		const struct request_field *f = &h->fields[i];

		if (!is_token(f->name, f->name_len) || !value_ok(f->value, f->value_len))
			return 400;
		if (f->name_len == 4 && strncasecmp(f->name, "Host", 4) == 0) {
			if (host)
				return 400;    /* two Hosts: which one would a proxy have used? */
			host = f;
		}
	}
	if (!host || host->value_len >= sizeof(value))
		return 403;
	memcpy(value, host->value, host->value_len);
	value[host->value_len] = '\0';
	if (!request_host_allowed(value, bound, port))
		return 403;
	if (!((h->method_len == 3 && memcmp(h->method, "GET", 3) == 0) ||
	      (h->method_len == 4 && memcmp(h->method, "HEAD", 4) == 0)))
		return 405;
	return 0;
}

bool request_map_path(const char *url, struct buf *out)
{
	const char *seg, *p;
	size_t n;

	buf_reset(out);
	if (!url || url[0] != '/' || strlen(url) > REQUEST_PATH_MAX)
		return false;
	for (p = url; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
		/* U+0080..U+009F (NEL among them) in UTF-8: C2 80..C2 9F */
		if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] >= 0x80 &&
		    (unsigned char)p[1] <= 0x9f)
			return false;
	}
	seg = url + 1;
	for (;;) {
		p = strchr(seg, '/');
		n = p ? (size_t)(p - seg) : strlen(seg);
		if (n == 0 && p)
			goto bad;      /* "//" */
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			goto bad;
		if (n == 0) {          /* the end, after a '/' (or the bare "/") */
			buf_adds(out, "index.html");
			return true;
		}
		buf_add(out, seg, n);
		if (!p)
			return true;
		buf_addc(out, '/');
		seg = p + 1;
	}
bad:
	buf_reset(out);
	return false;
}

/* The address in s[0..n) as bytes, if it is a numeric IPv4 or IPv6 address. */
static int parse_addr(const char *s, size_t n, unsigned char addr[16])
{
	char tmp[64];

	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET, tmp, addr) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, tmp, addr) == 1)
		return AF_INET6;
	return 0;
}

static bool is_wildcard(const char *bound)
{
	unsigned char a[16];
	int fam = bound ? parse_addr(bound, strlen(bound), a) : 0;
	static const unsigned char zero[16];

	return fam && memcmp(a, zero, fam == AF_INET ? 4 : 16) == 0;
}

bool request_host_allowed(const char *host, const char *bound, unsigned port)
{
	const char *name, *rest;
	size_t n;
	unsigned char a[16], b[16];
	int fam, bfam;

	if (!host || !*host)
		return false;
	name = host;
	if (host[0] == '[') {
		const char *close = strchr(host, ']');
		if (!close)
			return false;
		name = host + 1;
		n = (size_t)(close - name);
		rest = close + 1;
		/* A bracketed name is an IPv6 address and nothing else. */
		if (parse_addr(name, n, a) != AF_INET6)
			return false;
	} else {
		rest = strchr(host, ':');
		n = rest ? (size_t)(rest - host) : strlen(host);
		if (!rest)
			rest = host + n;
	}
	/* The port, when given, must be ours. */
	if (*rest) {
		char *end;
		unsigned long p;

		if (rest[0] != ':' || rest[1] < '0' || rest[1] > '9')
			return false;
		p = strtoul(rest + 1, &end, 10);
		if (*end || p != port)
			return false;
	}
	if (n == 9 && strncasecmp(name, "localhost", 9) == 0)
		return true;
	fam = parse_addr(name, n, a);
	if (!fam)
		return false;     /* any other host name: what DNS rebinding sends */
	if (fam == AF_INET6 && host[0] != '[')
		return false;     /* "::1" without brackets is not a Host */
	if (fam == AF_INET && memcmp(a, "\x7f\0\0\x01", 4) == 0)
		return true;
	if (fam == AF_INET6 && memcmp(a, &in6addr_loopback, 16) == 0)
		return true;
	if (is_wildcard(bound))
		return true;
	bfam = bound ? parse_addr(bound, strlen(bound), b) : 0;
	return bfam == fam && memcmp(a, b, fam == AF_INET ? 4 : 16) == 0;
}

static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{"html", "text/html; charset=utf-8"},
	{"htm", "text/html; charset=utf-8"},
	{"css", "text/css; charset=utf-8"},
	{"md", "text/markdown; charset=utf-8"},
	{"svg", "image/svg+xml; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"},
	{"json", "application/json"},
	{"txt", "text/plain; charset=utf-8"},
	{"xml", "application/xml; charset=utf-8"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"gif", "image/gif"},
	{"webp", "image/webp"},
	{"ico", "image/x-icon"},
	{"pdf", "application/pdf"},
	{"woff", "font/woff"},
	{"woff2", "font/woff2"},
};

const char *request_content_type(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t i;

	base = base ? base + 1 : path;
	if (strcmp(base, "SHA256SUMS") == 0)
		return "text/plain; charset=utf-8";
	dot = strrchr(base, '.');
	if (dot && dot != base)
		for (i = 0; i < sizeof(content_types) / sizeof(content_types[0]); i++)
			if (strcasecmp(dot + 1, content_types[i].ext) == 0)
				return content_types[i].type;
	return "application/octet-stream";
}

bool request_is_page(const char *path)
{
	size_t n = strlen(path);

	return n >= 5 && strcasecmp(path + n - 5, ".html") == 0;
}

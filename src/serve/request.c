#include "request.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool request_target_ok(const char *raw)
{
	const char *p;

	if (!raw)
		return false;
	for (p = raw; *p && *p != '?' && *p != '#'; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '0' && p[2] == '0')
			return false;
		if ((p[1] == '2' && (p[2] == 'f' || p[2] == 'F')) ||
		    (p[1] == '5' && (p[2] == 'c' || p[2] == 'C')))
			return false;
	}
	return true;
}

bool request_map_path(const char *url, struct buf *out)
{
	const char *seg, *p;
	size_t n;

	buf_reset(out);
	if (!url || url[0] != '/' || strlen(url) > REQUEST_PATH_MAX)
		return false;
	for (p = url; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return false;
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

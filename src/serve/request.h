/*
 * request: the checks serve makes on every HTTP request, as pure functions
 * of strings, so they can be tested without a socket.
 *
 * The server answers only with files of the current build, looked up by
 * exact path in a map (fileset.h); nothing is ever read from the disk, so a
 * path cannot reach outside the site whatever it holds.  These checks are
 * the second wall: anything that even looks like an escape is refused
 * before the lookup, and so is a Host header that a DNS-rebinding page
 * would send.
 */
#ifndef BRIEFGEN_REQUEST_H
#define BRIEFGEN_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"

/* The longest URL path serve accepts, in bytes. */
#define REQUEST_PATH_MAX 1024

/*
 * True when the request target as the client sent it (raw[0..len), before
 * percent-decoding; a NUL byte in it counts like any other) is acceptable:
 * it starts with '/', holds no byte below 0x21 (NUL, other control
 * characters, space), no DEL and no '#' (a fragment is never sent, and
 * libmicrohttpd would decode it as part of the path), and its path part (before '?') holds no
 * encoded control character ("%00" to "%1f", "%7f"), slash ("%2f") or
 * backslash ("%5c"), in either case.  libmicrohttpd decodes the path
 * before the handler sees it, and a decoded NUL would silently cut the
 * path short ("/index.html%00.css").  raw NULL: false.
 */
bool request_target_ok(const char *raw, size_t len);

/* One header field as received: a NUL inside name or value is a byte
 * like any other, not its end. */
struct request_field {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
};

/* A request's head as received, before any decoding. */
struct request_head {
	const char *method;
	size_t method_len;
	const char *target;
	size_t target_len;
	const struct request_field *fields;
	size_t nfields;
};

/* The most header fields a request may have (more: 400). */
#define REQUEST_FIELDS_MAX 64

/*
 * The checks every request head passes before it is answered.  Returns 0
 * when it may be answered, else the status to refuse it with:
 *   400  the method is not a token; the target fails request_target_ok;
 *        a field name is not a token; a field value holds a NUL or another
 *        control character (tab allowed) or DEL; more than
 *        REQUEST_FIELDS_MAX fields; more than one Host field
 *   403  no Host field, or one that request_host_allowed() refuses
 *   405  a method other than GET and HEAD
 * in that order (a malformed request is 400 whatever else it is).
 */
unsigned request_check_head(const struct request_head *h, const char *bound, unsigned port);

/*
 * Map a decoded URL path to the path of a file in the site:
 *   "/"              -> "index.html"
 *   "/partners/"     -> "partners/index.html" (which does not exist: 404)
 *   "/budget.html"   -> "budget.html"
 * Returns false, leaving out empty, for anything that is not a plain
 * relative path: not starting with '/', an empty ("//"), "." or ".."
 * segment, a backslash, a control byte (C0, DEL, or a C1 control in
 * UTF-8), or longer than REQUEST_PATH_MAX.
 * out is the caller's; it is reset first.
 */
bool request_map_path(const char *url, struct buf *out);

/*
 * True when host (the Host header, NULL when absent) names this server:
 * "127.0.0.1", "localhost", "[::1]" or the address it is bound to (bound,
 * a numeric IPv4 or IPv6 address without brackets), each optionally
 * followed by ":port" where port is the one it listens on.  When bound is a
 * wildcard ("0.0.0.0", "::"), any numeric address is accepted: a literal
 * address cannot be rebound by DNS, a host name can.  Names are compared
 * without regard to case.
 */
bool request_host_allowed(const char *host, const char *bound, unsigned port);

/* The Content-Type for a site path, with "; charset=utf-8" for text:
 * by extension (html, css, md, svg, js, json, txt, xml, images, fonts),
 * "text/plain" for SHA256SUMS, "application/octet-stream" otherwise.
 * Static string. */
const char *request_content_type(const char *path);

/* True when path (a site path, as from request_map_path) is a page that the
 * error view replaces while the content has errors: it ends in ".html". */
bool request_is_page(const char *path);

#endif

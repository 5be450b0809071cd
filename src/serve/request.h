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

#include "../util/buf.h"

/* The longest URL path serve accepts, in bytes. */
#define REQUEST_PATH_MAX 1024

/*
 * True when the request target as the client sent it (before
 * percent-decoding, as libmicrohttpd's URI log callback sees it) is
 * acceptable: its path part (before '?') holds no encoded NUL ("%00"),
 * slash ("%2f") or backslash ("%5c"), in either case.  libmicrohttpd
 * decodes the path before the handler sees it, and a decoded NUL would
 * silently cut the path short ("/index.html%00.css").
 */
bool request_target_ok(const char *raw);

/*
 * Map a decoded URL path to the path of a file in the site:
 *   "/"              -> "index.html"
 *   "/partners/"     -> "partners/index.html" (which does not exist: 404)
 *   "/budget.html"   -> "budget.html"
 * Returns false, leaving out empty, for anything that is not a plain
 * relative path: not starting with '/', an empty ("//"), "." or ".."
 * segment, a backslash, a control byte, or longer than REQUEST_PATH_MAX.
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

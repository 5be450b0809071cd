/*
 * server: the HTTP side of serve, on libmicrohttpd.
 *
 * Threads: libmicrohttpd runs one thread that accepts connections and one
 * thread per connection (MHD_USE_THREAD_PER_CONNECTION), so a browser's
 * event stream may simply block in its own thread until there is news.
 * The caller's thread builds snapshots and hands them over with
 * server_publish(); nothing else is shared.
 *
 * What it answers (every response has X-Content-Type-Options: nosniff and
 * Cache-Control: no-store):
 *
 *   400  a malformed head (request_check_head): a NUL or other control
 *        character anywhere in the method, target or header fields (also
 *        one that libmicrohttpd's C strings would hide: see head_of in
 *        server.c), two Host fields, a folded header line; a path that
 *        tries to leave the site or hides something in its encoding
 *        (request_target_ok, request_map_path)
 *   403  no Host field, or one that is not this server
 *        (request_host_allowed): a page on another site reaching the
 *        preview through DNS rebinding
 *   405  any method but GET and HEAD (with Allow: GET, HEAD)
 *   200  a file of the current snapshot, its Content-Type by extension
 *        (request_content_type); "/" is index.html, "/dir/" is
 *        dir/index.html; HEAD gets the same headers and no body
 *   404  anything else (a small page with the reload script, so a page
 *        that comes back reloads by itself)
 *   /bilag.pdf  the appendix as PDF (pdf.h), printed from the current
 *        snapshot on its first request and kept with it (503 with the
 *        reason when there is no engine or the print fails)
 *   /__briefgen/events  the event stream the pages' reload script listens
 *        to (text/event-stream): "event: reload" after each publish that
 *        changed something, a comment line every few seconds otherwise
 *
 * While the current snapshot has errors, every request for an .html path
 * is answered with the error page and status 500, so that the browser shows
 * the diagnostics (a browser renders a 500 page like any other) while
 * scripts and link checkers can tell it is not the site; other files get
 * 503.
 *
 * Limits, so that idle, slow or many clients cannot lock others out: at
 * most SERVER_MAX_CONNECTIONS connections at once and SERVER_MAX_PER_CLIENT
 * from one address (the rest are refused at accept, not queued); a request
 * head (request line and header fields) must be complete
 * SERVER_HEAD_TIMEOUT seconds after the connection opened or the previous
 * request on it was answered, however slowly it trickles in, or the
 * connection is closed; a connection that sends or reads nothing for
 * SERVER_TIMEOUT seconds is closed (the event stream, which is fed every
 * SERVER_KEEPALIVE seconds, has SERVER_EVENTS_TIMEOUT).  Idle connections
 * cost a thread each and no work: 200 of them leave a normal request
 * answered at once.
 */
#ifndef BRIEFGEN_SERVER_H
#define BRIEFGEN_SERVER_H

#include "../pdf/engine.h"
#include "snapshot.h"

#define SERVER_MAX_CONNECTIONS 1024
#define SERVER_MAX_PER_CLIENT 256
#define SERVER_HEAD_TIMEOUT 5      /* seconds for a whole request head */
#define SERVER_TIMEOUT 10          /* seconds of inactivity */
#define SERVER_EVENTS_TIMEOUT 30   /* seconds of inactivity of the event stream */
#define SERVER_KEEPALIVE 5         /* seconds between event-stream comments */
#define SERVER_EVENTS_PATH "/__briefgen/events"

struct server;

/*
 * Listen on addr (a numeric IPv4 or IPv6 address, or "localhost" for
 * 127.0.0.1; NULL: 127.0.0.1) and port (0: a free one) and answer from
 * first (the server takes the caller's reference).  Returns NULL with *err
 * malloc'd when the address is not numeric, the port is taken or the
 * daemon does not start; first is then released.
 */
struct server *server_start(const char *addr, unsigned port, struct snapshot *first, char **err);

/* The port it listens on (the one picked when 0 was asked for). */
unsigned server_port(const struct server *s);
/* "http://127.0.0.1:PORT/" (for a wildcard bind, the loopback address of
 * its family).  Borrowed. */
const char *server_url(const struct server *s);

/* A new reference to the current snapshot. */
struct snapshot *server_current(struct server *s);

/*
 * Swap snap in as the current snapshot (the server takes the caller's
 * reference and drops its own on the old one, which is freed when the last
 * request using it is done).  When reload is true, every connected browser
 * is told to reload.
 */
void server_publish(struct server *s, struct snapshot *snap, bool reload);

/*
 * Offer /bilag.pdf, printed with e (borrowed: it must outlive the server)
 * from the current snapshot when asked for; date is SOURCE_DATE_EPOCH or
 * -1.  With e NULL (the default), /bilag.pdf answers 503 with why_not.
 */
void server_set_pdf(struct server *s, const struct engine *e, const char *why_not,
		    long long date);

/* Stop listening, end the event streams, wait for the connections to
 * finish and free everything.  Accepts NULL. */
void server_free(struct server *s);

#endif

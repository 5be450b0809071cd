#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../pdf/pdf.h"
#include "../util/alloc.h"
#include "request.h"

struct server {
	struct MHD_Daemon *daemon;
	char bind[INET6_ADDRSTRLEN];   /* the numeric address, as inet_ntop writes it */
	unsigned port;
	char url[INET6_ADDRSTRLEN + 32];
	char nonce[40];                /* this process's part of the event ids */

	pthread_mutex_t lock;          /* guards the fields below */
	pthread_cond_t changed;        /* generation or stopping changed */
	struct snapshot *current;
	unsigned long generation;      /* counts the publishes that asked for a reload */
	bool stopping;

	/* /bilag.pdf (server_set_pdf) */
	const struct engine *engine;   /* borrowed; NULL: no PDF */
	char *no_engine;               /* why not */
	long long pdf_date;
};

/*
 * What a request's context (*req_cls) points to; markers, nothing
 * allocated.  The URI log callback sets the first two, by whether the raw
 * target passes request_target_ok(); the handler's first call turns them
 * into the other two.
 */
static char target_ok, target_refused, seen_ok, seen_refused;

static const char not_found_page[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<title>Not found</title>\n</head>\n<body>\n<main>\n<h1>Not found</h1>\n"
	"<p>There is no such page in this build.  <a href=\"/\">Go to the start page</a>.</p>\n"
	"</main>\n" SITE_LIVE_RELOAD_SCRIPT "\n</body>\n</html>\n";

/* --- responses ------------------------------------------------------- */

static enum MHD_Result queue(struct MHD_Connection *conn, unsigned status,
			     struct MHD_Response *r, const char *type)
{
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* A response from static text. */
static struct MHD_Response *static_response(const char *text, size_t len)
{
	return MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result reply_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	return queue(conn, status, static_response(text, strlen(text)),
		     "text/plain; charset=utf-8");
}

/* reply_text for text that is not static: libmicrohttpd keeps a copy. */
static enum MHD_Result reply_copy(struct MHD_Connection *conn, unsigned status, const char *text)
{
	return queue(conn, status,
		     MHD_create_response_from_buffer(strlen(text), (void *)text,
						     MHD_RESPMEM_MUST_COPY),
		     "text/plain; charset=utf-8");
}

static void drop_snapshot(void *cls)
{
	snapshot_unref(cls);
}

/* A response whose body is data inside snap; the response holds the
 * caller's reference to snap and drops it when it is destroyed, so the
 * bytes stay valid however long sending takes. */
static struct MHD_Response *snapshot_response(struct snapshot *snap, char *data, size_t len)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback_cls(len, data, drop_snapshot,
									snap);
	if (!r)
		snapshot_unref(snap);
	return r;
}

/* --- the event stream ------------------------------------------------ */

struct event_client {
	struct server *srv;
	unsigned long generation;   /* the last one this browser was told about */
	bool greeted;
};

/*
 * Called by the connection's own thread whenever it can send more: block
 * until there is a reload to announce, the server stops, or it is time for
 * a keep-alive comment (which also finds out that a browser has gone).
 */
static ssize_t events_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct event_client *cl = cls;
	struct server *s = cl->srv;
	struct timespec deadline;
	int n;

	(void)pos;
	pthread_mutex_lock(&s->lock);
	if (!cl->greeted) {
		/* Sent at once, so the browser sees the stream open; the id comes
		 * back as Last-Event-ID when it reconnects. */
		cl->greeted = true;
		n = snprintf(buf, max, "retry: 1000\nid: %s-%lu\n: briefgen live reload\n\n",
			     s->nonce, s->generation);
		if (cl->generation == ULONG_MAX || cl->generation < s->generation)
			n += snprintf(buf + n, max - (size_t)n, "event: reload\ndata: %lu\n\n",
				      s->generation);
		cl->generation = s->generation;
		pthread_mutex_unlock(&s->lock);
		return n;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += SERVER_KEEPALIVE;
	while (!s->stopping && cl->generation == s->generation)
		if (pthread_cond_timedwait(&s->changed, &s->lock, &deadline) == ETIMEDOUT)
			break;
	if (s->stopping) {
		pthread_mutex_unlock(&s->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (cl->generation == s->generation) {
		n = snprintf(buf, max, ": keep-alive\n\n");
	} else {
		cl->generation = s->generation;
		n = snprintf(buf, max, "event: reload\nid: %s-%lu\ndata: %lu\n\n", s->nonce,
			     s->generation, s->generation);
	}
	pthread_mutex_unlock(&s->lock);
	return n;
}

/* The cookie that tells the event stream which reload a page was served
 * after (see reply_file). */
#define SEEN_COOKIE "briefgen-seen"

/* The generation a browser last knew of, from "NONCE-GENERATION": ULONG_MAX
 * (reload at once) when it came from another run of serve. */
static unsigned long seen_generation(const struct server *s, const char *id)
{
	size_t k = strlen(s->nonce);

	if (strncmp(id, s->nonce, k) == 0 && id[k] == '-')
		return strtoul(id + k + 1, NULL, 10);
	return ULONG_MAX;
}

static enum MHD_Result reply_events(struct server *s, struct MHD_Connection *conn, bool head)
{
	struct event_client *cl;
	struct MHD_Response *r;
	const char *last;

	if (head)
		return queue(conn, MHD_HTTP_OK, static_response("", 0),
			     "text/event-stream; charset=utf-8");
	cl = xcalloc(1, sizeof(*cl));
	cl->srv = s;
	pthread_mutex_lock(&s->lock);
	cl->generation = s->generation;
	/* A browser reconnecting after losing the stream says which reload it
	 * saw last; if there was one since, or it was another run of serve,
	 * it reloads at once instead of missing it. */
	last = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Last-Event-ID");
	/* A page that connects for the first time says, through the cookie
	 * set with it, which reload it was served after: a change that came
	 * between the page and its stream is then not missed. */
	if (!last)
		last = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, SEEN_COOKIE);
	if (last)
		cl->generation = seen_generation(s, last);
	pthread_mutex_unlock(&s->lock);
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, events_read, cl, free);
	if (!r)
		free(cl);
	return queue(conn, MHD_HTTP_OK, r, "text/event-stream; charset=utf-8");
}

/* --- requests -------------------------------------------------------- */

static void *check_target(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	(void)conn;
	return request_target_ok(uri) ? &target_ok : &target_refused;
}

/* Tell the page's event stream which reload the page was served after. */
static void add_seen_cookie(const struct server *s, struct MHD_Response *r,
			    unsigned long generation)
{
	char cookie[96];

	if (!r)
		return;
	snprintf(cookie, sizeof(cookie), SEEN_COOKIE "=%s-%lu; Path=/; SameSite=Strict", s->nonce,
		 generation);
	MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
}

/* bilag.pdf, printed from the current snapshot when it is first asked for
 * (in this connection's thread: the others go on being answered). */
static enum MHD_Result reply_pdf(struct server *s, struct MHD_Connection *conn)
{
	struct snapshot *snap;
	const struct engine *engine;
	const struct buf *pdf;
	const char *err;
	char *msg = NULL;
	long long date;
	enum MHD_Result ret;

	pthread_mutex_lock(&s->lock);
	engine = s->engine;
	date = s->pdf_date;
	if (!engine)
		msg = xasprintf("No PDF: %s\n", s->no_engine ? s->no_engine : "no PDF engine");
	snap = snapshot_ref(s->current);
	pthread_mutex_unlock(&s->lock);
	if (!engine) {
		snapshot_unref(snap);
		ret = reply_copy(conn, MHD_HTTP_SERVICE_UNAVAILABLE, msg);
		free(msg);
		return ret;
	}
	if (snapshot_pdf(snap, engine, date, &pdf, &err) != 0) {
		msg = xasprintf("No PDF: %s\n", err);
		snapshot_unref(snap);
		ret = reply_copy(conn, MHD_HTTP_SERVICE_UNAVAILABLE, msg);
		free(msg);
		return ret;
	}
	return queue(conn, MHD_HTTP_OK, snapshot_response(snap, pdf->ptr, pdf->len),
		     "application/pdf");
}

static enum MHD_Result reply_file(struct server *s, struct MHD_Connection *conn, const char *path)
{
	struct snapshot *snap;
	const struct fileset_file *f;
	unsigned long generation;

	/* The snapshot and the reload it was announced with, together. */
	pthread_mutex_lock(&s->lock);
	snap = snapshot_ref(s->current);
	generation = s->generation;
	pthread_mutex_unlock(&s->lock);
	if (snap->files && (f = fileset_get(snap->files, path))) {
		struct MHD_Response *r = snapshot_response(snap, f->data.ptr, f->data.len);
		if (request_is_page(path))
			add_seen_cookie(s, r, generation);
		return queue(conn, MHD_HTTP_OK, r, request_content_type(path));
	}
	if (!snap->files && request_is_page(path)) {
		/* The error page has the reload script too: without the cookie it
		 * would reload itself at once, again and again. */
		struct MHD_Response *r = snapshot_response(snap, snap->error_page.ptr,
							   snap->error_page.len);
		add_seen_cookie(s, r, generation);
		return queue(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, r, "text/html; charset=utf-8");
	}
	if (!snap->files) {
		snapshot_unref(snap);
		return reply_text(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
				  "The site cannot be built now; open / to see why.\n");
	}
	snapshot_unref(snap);
	return queue(conn, MHD_HTTP_NOT_FOUND,
		     static_response(not_found_page, sizeof(not_found_page) - 1),
		     "text/html; charset=utf-8");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	struct server *s = cls;
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	struct buf path = BUF_INIT;
	bool head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	enum MHD_Result ret;

	(void)version;
	(void)upload_data;
	/* A wrong Host or method is answered at the first call, before any
	 * request body is read (libmicrohttpd then closes the connection, which
	 * is right for them).  Everything else is answered at the second call,
	 * once the request is whole, so the connection can be kept alive. */
	if (!request_host_allowed(host, s->bind, s->port))
		return reply_text(conn, MHD_HTTP_FORBIDDEN,
				  "Forbidden: this preview answers only to its own address.\n");
	if (!head && strcmp(method, MHD_HTTP_METHOD_GET) != 0) {
		static const char text[] = "Only GET and HEAD are allowed.\n";
		struct MHD_Response *r = static_response(text, sizeof(text) - 1);
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return queue(conn, MHD_HTTP_METHOD_NOT_ALLOWED, r, "text/plain; charset=utf-8");
	}
	if (*req_cls == &target_ok || *req_cls == &target_refused) {
		*req_cls = *req_cls == &target_ok ? &seen_ok : &seen_refused;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;     /* a body with a GET: ignored */
		return MHD_YES;
	}
	if (*req_cls != &seen_ok || !request_map_path(url, &path)) {
		buf_release(&path);
		return reply_text(conn, MHD_HTTP_BAD_REQUEST,
				  "Bad request: not a path in this site.\n");
	}
	if (strcmp(url, SERVER_EVENTS_PATH) == 0)
		ret = reply_events(s, conn, head);
	else if (strcmp(path.ptr, PDF_NAME) == 0)
		ret = reply_pdf(s, conn);
	else
		ret = reply_file(s, conn, path.ptr);
	buf_release(&path);
	return ret;
}

/* --- the daemon ------------------------------------------------------ */

static void log_message(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	fprintf(stderr, "briefgen: http: %s\n", msg);
}

/* Bind and listen; returns the socket or -1 with *err malloc'd. */
static int listen_on(struct server *s, const char *addr, unsigned port, int *family, char **err)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fd, on = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		len = sizeof(*in4);
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		len = sizeof(*in6);
	} else {
		*err = xasprintf("--bind takes localhost or a numeric address such as 127.0.0.1 "
				 "or ::1, not '%s'", addr);
		return -1;
	}
	*family = ss.ss_family;
	inet_ntop(ss.ss_family, ss.ss_family == AF_INET ? (void *)&in4->sin_addr
							: (void *)&in6->sin6_addr,
		  s->bind, sizeof(s->bind));
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		*err = xasprintf("cannot open a socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0) {
		int e = errno;

		if (e == EADDRINUSE)
			*err = xasprintf("port %u on %s is in use (--port 0 picks a free one)",
					 port, addr);
		else
			*err = xasprintf("cannot listen on %s port %u: %s", addr, port,
					 strerror(e));
		close(fd);
		return -1;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	s->port = ntohs(ss.ss_family == AF_INET ? in4->sin_port : in6->sin6_port);
	return fd;
}

struct server *server_start(const char *addr, unsigned port, struct snapshot *first, char **err)
{
	struct server *s = xcalloc(1, sizeof(*s));
	pthread_condattr_t ca;
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	int fd, family = AF_INET;
	const char *host;

	if (!addr || strcmp(addr, "localhost") == 0)
		addr = "127.0.0.1";
	s->current = first;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->changed, &ca);
	pthread_condattr_destroy(&ca);
	snprintf(s->nonce, sizeof(s->nonce), "%lx%lx", (unsigned long)getpid(),
		 (unsigned long)time(NULL));
	fd = listen_on(s, addr, port, &family, err);
	if (fd < 0)
		goto fail;
	if (family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The libmicrohttpd daemon owns the socket from here on and closes it
	 * when it stops. */
	s->daemon = MHD_start_daemon(
		flags, (uint16_t)s->port, NULL, NULL, handle, s,
		MHD_OPTION_EXTERNAL_LOGGER, log_message, NULL,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVER_MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVER_TIMEOUT,
		MHD_OPTION_URI_LOG_CALLBACK, check_target, NULL,
		MHD_OPTION_END);
	if (!s->daemon) {
		close(fd);
		*err = xasprintf("cannot start the HTTP server on %s port %u", s->bind, s->port);
		goto fail;
	}
	if (family == AF_INET)
		host = strcmp(s->bind, "0.0.0.0") == 0 ? "127.0.0.1" : s->bind;
	else
		host = strcmp(s->bind, "::") == 0 ? "[::1]" : NULL;
	if (host)
		snprintf(s->url, sizeof(s->url), "http://%s:%u/", host, s->port);
	else
		snprintf(s->url, sizeof(s->url), "http://[%s]:%u/", s->bind, s->port);
	return s;
fail:
	s->daemon = NULL;
	server_free(s);
	return NULL;
}

unsigned server_port(const struct server *s)
{
	return s->port;
}

const char *server_url(const struct server *s)
{
	return s->url;
}

struct snapshot *server_current(struct server *s)
{
	struct snapshot *snap;

	pthread_mutex_lock(&s->lock);
	snap = snapshot_ref(s->current);
	pthread_mutex_unlock(&s->lock);
	return snap;
}

void server_publish(struct server *s, struct snapshot *snap, bool reload)
{
	struct snapshot *old;

	pthread_mutex_lock(&s->lock);
	old = s->current;
	s->current = snap;
	if (reload) {
		s->generation++;
		pthread_cond_broadcast(&s->changed);
	}
	pthread_mutex_unlock(&s->lock);
	snapshot_unref(old);
}

void server_free(struct server *s)
{
	if (!s)
		return;
	/* First release the event streams blocked in events_read(), or
	 * stopping the daemon would wait for them forever. */
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	snapshot_unref(s->current);
	pthread_cond_destroy(&s->changed);
	pthread_mutex_destroy(&s->lock);
	free(s->no_engine);
	free(s);
}

void server_set_pdf(struct server *s, const struct engine *e, const char *why_not,
		    long long date)
{
	/* Under the lock, which the connection threads take to read them: the
	 * daemon already runs, and this orders the engine's setup before any
	 * use of it. */
	pthread_mutex_lock(&s->lock);
	s->engine = e;
	free(s->no_engine);
	s->no_engine = why_not ? xstrdup(why_not) : NULL;
	s->pdf_date = date;
	pthread_mutex_unlock(&s->lock);
}

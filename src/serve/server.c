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
#include "../util/intl.h"

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

	/* Connections whose request head is not complete yet (see watchdog). */
	struct pending *pending;       /* a list, under lock */
	pthread_t watchdog;
	bool watchdog_started;

	/* /bilag.pdf (server_set_pdf) */
	const struct engine *engine;   /* borrowed; NULL: no PDF */
	char *no_engine;               /* why not */
	long long pdf_date;
};

/*
 * A request's context (*req_cls): made by the URI log callback when the
 * request line has been read, freed when the request is done
 * (request_done).  raw and raw_len are the target as received: raw points
 * into libmicrohttpd's read buffer, raw_len is its strlen() then, so a NUL
 * inside the target shows as a length that does not reach the HTTP version
 * (head_of); target is a copy made then, before libmicrohttpd decodes the
 * path in place.
 */
struct request {
	const char *raw;
	size_t raw_len;
	char *target;
	bool checked;                  /* the head passed; the next call answers */
};

/*
 * A connection waiting for a complete request head, with when it started
 * waiting: libmicrohttpd's own timeout counts inactivity, so a client that
 * sends a byte every few seconds would hold its slot for ever.  The
 * watchdog thread shuts down the socket of one that has waited
 * SERVER_HEAD_TIMEOUT seconds; libmicrohttpd then closes it.
 */
struct pending {
	struct pending *next;
	struct MHD_Connection *conn;
	int fd;
	bool waiting;                  /* for a request head (not answering one) */
	double since;                  /* CLOCK_MONOTONIC seconds */
};

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

static double mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *log_target(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct request *rq = xcalloc(1, sizeof(*rq));

	(void)cls;
	(void)conn;
	rq->raw = uri;
	rq->raw_len = uri ? strlen(uri) : 0;
	rq->target = uri ? xstrndup(uri, rq->raw_len) : NULL;
	return rq;
}

static void request_done(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *s = cls;
	struct pending *p;

	struct request *rq = *req_cls;

	(void)toe;
	if (rq)
		free(rq->target);
	free(rq);
	*req_cls = NULL;
	/* A kept-alive connection now waits for its next request head. */
	pthread_mutex_lock(&s->lock);
	for (p = s->pending; p; p = p->next)
		if (p->conn == conn) {
			p->waiting = true;
			p->since = mono_now();
		}
	pthread_mutex_unlock(&s->lock);
}

/* The head has arrived: conn is no longer timed by the watchdog. */
static void head_arrived(struct server *s, struct MHD_Connection *conn)
{
	struct pending *p;

	pthread_mutex_lock(&s->lock);
	for (p = s->pending; p; p = p->next)
		if (p->conn == conn)
			p->waiting = false;
	pthread_mutex_unlock(&s->lock);
}

static void connection_event(void *cls, struct MHD_Connection *conn, void **socket_cls,
			     enum MHD_ConnectionNotificationCode code)
{
	struct server *s = cls;
	struct pending *p, **pp;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		p = xcalloc(1, sizeof(*p));
		p->conn = conn;
		p->fd = ci ? ci->connect_fd : -1;
		p->waiting = true;
		p->since = mono_now();
		pthread_mutex_lock(&s->lock);
		p->next = s->pending;
		s->pending = p;
		pthread_mutex_unlock(&s->lock);
		*socket_cls = p;
		return;
	}
	/* MHD_CONNECTION_NOTIFY_CLOSED comes before libmicrohttpd closes the
	 * socket: once the entry is gone (under the lock) the watchdog can no
	 * longer shut down a descriptor number that was reused. */
	pthread_mutex_lock(&s->lock);
	for (pp = &s->pending; *pp; pp = &(*pp)->next)
		if (*pp == *socket_cls) {
			p = *pp;
			*pp = p->next;
			free(p);
			break;
		}
	pthread_mutex_unlock(&s->lock);
	*socket_cls = NULL;
}

/* Close what has waited too long for a request head (see struct pending). */
static void *watchdog(void *cls)
{
	struct server *s = cls;
	struct timespec deadline;
	struct pending *p;

	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		double t = mono_now();

		for (p = s->pending; p; p = p->next)
			if (p->waiting && p->fd >= 0 && t - p->since >= SERVER_HEAD_TIMEOUT) {
				shutdown(p->fd, SHUT_RDWR);
				p->waiting = false;    /* once is enough */
			}
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_nsec += 250 * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->changed, &s->lock, &deadline);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* True when the n bytes at p are all NUL. */
static bool all_nul(const char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* True when the n bytes at p are one NUL and then spaces or tabs. */
static bool separator(const char *p, size_t n)
{
	if (n == 0 || *p)
		return false;
	while (--n)
		if (*++p != ' ' && *p != '\t')
			return false;
	return true;
}

struct fields {
	struct request_field f[REQUEST_FIELDS_MAX + 1];
	size_t n;
};

static enum MHD_Result add_field(void *cls, enum MHD_ValueKind kind, const char *key,
				 size_t key_size, const char *value, size_t value_size)
{
	struct fields *fs = cls;

	(void)kind;
	if (fs->n > REQUEST_FIELDS_MAX)
		return MHD_NO;
	fs->f[fs->n].name = key;
	fs->f[fs->n].name_len = key_size;
	fs->f[fs->n].value = value ? value : "";
	fs->f[fs->n].value_len = value ? value_size : 0;
	fs->n++;
	return MHD_YES;
}

/*
 * The request head as it was received, into h (fields in fs), from what
 * libmicrohttpd 0.9.75 leaves of it: the head is one block of memory that
 * starts at method and is MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE long, in
 * which every line end (CR LF or LF), the space after the method, the one
 * before the version and each field's colon were overwritten with NUL, and
 * the strings it hands out (method, target, names, values) are measured
 * with strlen().  A NUL that the client sent inside one of them therefore
 * shows as a string that ends before the next part begins, i.e. as bytes
 * between them other than the expected NULs, spaces and tabs; any such byte
 * makes this return false (400).  So does a layout other than expected (a
 * folded header line, which RFC 9112 lets a server refuse): then there is
 * no telling what was hidden.  One case cannot be told apart: a NUL right
 * before a line's LF looks like the CR of a CR LF; it hides nothing, the
 * line ends there either way.
 */
static bool head_of(struct MHD_Connection *conn, const struct request *rq, const char *method,
		    const char *version, struct request_head *h, struct fields *fs)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	const char *start = method, *end, *at;
	size_t i, mlen = strlen(method);

	fs->n = 0;
	if (!ci || !rq || !rq->raw || !rq->target || !version)
		return false;
	end = start + ci->header_size;
	/* method, one NUL and spaces, the target, one NUL, "HTTP/1.x" */
	if (!(rq->raw > method + mlen && rq->raw < end && version == rq->raw + rq->raw_len + 1 &&
	      version + 8 <= end && strlen(version) == 8))
		return false;
	if (!separator(method + mlen, (size_t)(rq->raw - (method + mlen))))
		return false;
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, add_field, fs);
	if (fs->n > REQUEST_FIELDS_MAX)
		return false;
	at = version + 8;          /* where the current line's text ends */
	for (i = 0; i < fs->n; i++) {
		const struct request_field *f = &fs->f[i];

		/* this line: name, NUL (the colon), spaces or tabs, value */
		if (f->name < at || f->name > end || f->value < f->name + f->name_len ||
		    f->value + f->value_len > end || f->value_len != strlen(f->value) ||
		    f->name_len != strlen(f->name))
			return false;
		/* between the previous line and this one: its line end only */
		if (f->name - at > 2 || !all_nul(at, (size_t)(f->name - at)))
			return false;
		if (!separator(f->name + f->name_len,
			       (size_t)(f->value - (f->name + f->name_len))))
			return false;
		at = f->value + f->value_len;
	}
	/* the last line's end and the empty line's */
	if (end - at > 4 || end - at < 1 || !all_nul(at, (size_t)(end - at)))
		return false;
	h->method = method;
	h->method_len = mlen;
	h->target = rq->target;
	h->target_len = rq->raw_len;
	h->fields = fs->f;
	h->nfields = fs->n;
	return true;
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
		const struct buf *data = fileset_data(snap->files, f);
		struct MHD_Response *r = snapshot_response(snap, data->ptr, data->len);
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
	struct request *rq = *req_cls;
	struct buf path = BUF_INIT;
	bool head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	enum MHD_Result ret;

	(void)upload_data;
	/* The head is checked at the first call, before any request body is
	 * read, and a refusal is answered then (libmicrohttpd then closes the
	 * connection, which is right for them).  Everything else is answered
	 * at the second call, once the request is whole, so the connection can
	 * be kept alive. */
	if (!rq || !rq->checked) {
		struct request_head h;
		struct fields fs;
		unsigned status = 400;

		head_arrived(s, conn);
		if (rq && head_of(conn, rq, method, version, &h, &fs))
			status = request_check_head(&h, s->bind, s->port);
		switch (status) {
		case 0:
			break;
		case 403:
			return reply_text(conn, MHD_HTTP_FORBIDDEN, "Forbidden: this preview "
				"answers only to its own address.\n");
		case 405: {
			static const char text[] = "Only GET and HEAD are allowed.\n";
			struct MHD_Response *r = static_response(text, sizeof(text) - 1);
			if (r)
				MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
			return queue(conn, MHD_HTTP_METHOD_NOT_ALLOWED, r,
				     "text/plain; charset=utf-8");
		}
		default:
			return reply_text(conn, MHD_HTTP_BAD_REQUEST,
					  "Bad request: malformed request.\n");
		}
		rq->checked = true;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;     /* a body with a GET: ignored */
		return MHD_YES;
	}
	if (!request_map_path(url, &path)) {
		buf_release(&path);
		return reply_text(conn, MHD_HTTP_BAD_REQUEST,
				  "Bad request: not a path in this site.\n");
	}
	if (strcmp(url, SERVER_EVENTS_PATH) == 0) {
		/* The event stream stays open on purpose: it is fed every
		 * SERVER_KEEPALIVE seconds, so only a dead peer times it out. */
		MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
					  (unsigned)SERVER_EVENTS_TIMEOUT);
		ret = reply_events(s, conn, head);
	} else if (strcmp(path.ptr, PDF_NAME) == 0) {
		ret = reply_pdf(s, conn);
	} else {
		ret = reply_file(s, conn, path.ptr);
	}
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
		*err = xasprintf(_("--bind takes localhost or a numeric address such as 127.0.0.1 "
				 "or ::1, not '%s'"), addr);
		return -1;
	}
	*family = ss.ss_family;
	inet_ntop(ss.ss_family, ss.ss_family == AF_INET ? (void *)&in4->sin_addr
							: (void *)&in6->sin6_addr,
		  s->bind, sizeof(s->bind));
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		*err = xasprintf(_("cannot open a socket: %s"), strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0) {
		int e = errno;

		if (e == EADDRINUSE)
			*err = xasprintf(_("port %u on %s is in use (--port 0 picks a free one)"),
					 port, addr);
		else
			*err = xasprintf(_("cannot listen on %s port %u: %s"), addr, port,
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
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVER_MAX_PER_CLIENT,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVER_TIMEOUT,
		MHD_OPTION_URI_LOG_CALLBACK, log_target, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
		MHD_OPTION_NOTIFY_CONNECTION, connection_event, s,
		MHD_OPTION_END);
	if (!s->daemon) {
		close(fd);
		*err = xasprintf(_("cannot start the HTTP server on %s port %u"), s->bind, s->port);
		goto fail;
	}
	if (pthread_create(&s->watchdog, NULL, watchdog, s) != 0) {
		*err = xasprintf(_("cannot start a thread: %s"), strerror(errno));
		goto fail;
	}
	s->watchdog_started = true;
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
	if (s->watchdog_started)
		pthread_join(s->watchdog, NULL);
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	while (s->pending) {           /* none: every connection was closed */
		struct pending *p = s->pending;

		s->pending = p->next;
		free(p);
	}
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

#include "links.h"

#include <cmark.h>
#include <string.h>
#include <strings.h>

#include "../util/alloc.h"

bool links_url_allowed(const char *url)
{
	const char *p = url;

	while (*p == ' ' || *p == '\t')
		p++;
	/* A scheme: a letter, then letters, digits, '+', '-', '.', then ':'. */
	if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') {
		const char *q = p + 1;
		while (((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') || (*q >= '0' && *q <= '9') ||
		       *q == '+' || *q == '-' || *q == '.')
			q++;
		if (*q == ':')
			return (q - p == 4 && !strncasecmp(p, "http", 4)) ||
			       (q - p == 5 && !strncasecmp(p, "https", 5)) ||
			       (q - p == 6 && !strncasecmp(p, "mailto", 6));
	}
	/* No scheme: relative (a path, ?query or #fragment).  A ':' later on,
	 * after a '/', '?' or '#', is part of the path. */
	return true;
}

char *links_first_refused_in(const char *md, size_t len, struct cmark_node *doc)
{
	cmark_node *n;
	cmark_iter *it;
	cmark_event_type ev;
	char *bad = NULL;

	if (!memchr(md, ':', len))
		return NULL;   /* no scheme anywhere: nothing to look for */
	it = cmark_iter_new(doc);
	while (!bad && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && (cmark_node_get_type(n) == CMARK_NODE_LINK ||
						cmark_node_get_type(n) == CMARK_NODE_IMAGE)) {
			const char *url = cmark_node_get_url(n);
			if (url && !links_url_allowed(url))
				bad = xstrdup(url);
		}
	}
	cmark_iter_free(it);
	return bad;
}

char *links_first_refused(const char *md, size_t len)
{
	cmark_node *doc;
	char *bad;

	if (!memchr(md, ':', len))
		return NULL;   /* no scheme anywhere: nothing to parse for */
	doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	bad = links_first_refused_in(md, len, doc);
	cmark_node_free(doc);
	return bad;
}

#include "markdown.h"

#include <cmark.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/alloc.h"

static bool unsafe_url(const char *url)
{
	if (!url)
		return false;
	while (*url == ' ' || *url == '\t')
		url++;
	/* The same schemes cmark's safe mode blanks (html.c: _scan_dangerous_url). */
	if (!strncasecmp(url, "javascript:", 11) || !strncasecmp(url, "vbscript:", 9) ||
	    !strncasecmp(url, "file:", 5))
		return true;
	if (!strncasecmp(url, "data:", 5))
		return !(strncasecmp(url + 5, "image/png", 9) == 0 ||
			 strncasecmp(url + 5, "image/gif", 9) == 0 ||
			 strncasecmp(url + 5, "image/jpeg", 10) == 0 ||
			 strncasecmp(url + 5, "image/webp", 10) == 0);
	return false;
}

/* Shift headings and (for Markdown output) remove raw HTML and unsafe
 * links; a removed link keeps its text.  Nodes are removed after the walk:
 * unlinking the iterator's current node would end the walk early. */
static void clean_tree(cmark_node *doc, int min_heading, bool strip)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *n, **dead = NULL;
	size_t ndead = 0, cap = 0, k;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HEADING: {
			int level = cmark_node_get_heading_level(n) + min_heading - 1;
			cmark_node_set_heading_level(n, level > 6 ? 6 : level);
			break;
		}
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			if (strip) {
				dead = xgrow(dead, sizeof(*dead), ndead + 1, &cap);
				dead[ndead++] = n;
			}
			break;
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			if (strip && unsafe_url(cmark_node_get_url(n)))
				cmark_node_set_url(n, "");
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	for (k = 0; k < ndead; k++)
		cmark_node_free(dead[k]);   /* unlinks too */
	free(dead);
}

/* The UTF-8 length of a bidirectional control at p (embeddings, overrides,
 * isolates, marks: U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C), or 0.
 * Validation warns about them in prose; here they are dropped, so a stray
 * override cannot reverse the rest of a page or of a Markdown file. */
static size_t bidi_control(const unsigned char *p, size_t left)
{
	if (left >= 2 && p[0] == 0xd8 && p[1] == 0x9c)
		return 2;
	if (left < 3 || p[0] != 0xe2)
		return 0;
	if (p[1] == 0x80 && ((p[2] >= 0xaa && p[2] <= 0xae) || p[2] == 0x8e || p[2] == 0x8f))
		return 3;
	if (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
		return 3;
	return 0;
}

/* Remove bidirectional controls from what was appended to b after start. */
static void drop_bidi_controls(struct buf *b, size_t start)
{
	size_t r = start, w = start, k;

	while (r < b->len) {
		k = bidi_control((const unsigned char *)b->ptr + r, b->len - r);
		if (k) {
			r += k;
			continue;
		}
		b->ptr[w++] = b->ptr[r++];
	}
	b->len = w;
	b->ptr[w] = '\0';
}

void markdown_render(const char *src, size_t len, int min_heading, struct buf *html,
		     struct buf *md)
{
	cmark_node *doc = cmark_parse_document(src, len, CMARK_OPT_DEFAULT);
	size_t html_start = html ? html->len : 0;
	char *s;

	if (html) {
		clean_tree(doc, min_heading, false);
		/* CMARK_OPT_DEFAULT is safe in cmark 0.30: no raw HTML, no
		 * dangerous URLs (CMARK_OPT_UNSAFE is not given). */
		s = cmark_render_html(doc, CMARK_OPT_DEFAULT);
		buf_adds(html, s);
		free(s);
		drop_bidi_controls(html, html_start);
		min_heading = 1;   /* already shifted */
	}
	if (md) {
		size_t start = md->len;
		clean_tree(doc, min_heading, true);
		s = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
		buf_adds(md, s);
		free(s);
		drop_bidi_controls(md, start);
		while (md->len > start && md->ptr[md->len - 1] == '\n')
			md->ptr[--md->len] = '\0';
	}
	cmark_node_free(doc);
}

void markdown_html(const char *src, size_t len, int min_heading, struct buf *out)
{
	markdown_render(src, len, min_heading, out, NULL);
}

void markdown_commonmark(const char *src, size_t len, int min_heading, struct buf *out)
{
	markdown_render(src, len, min_heading, NULL, out);
}

void markdown_escape(const char *s, size_t len, struct buf *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (strchr("\\`*_[]<>#|~!&", s[i]) && s[i])
			buf_addc(out, '\\');
		buf_addc(out, s[i]);
	}
}

void markdown_link_destination(const char *url, size_t len, struct buf *out)
{
	size_t i;
	bool plain = len > 0;

	for (i = 0; i < len && plain; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= ' ' || c == 0x7F || strchr("()<>\\", c))
			plain = false;
	}
	if (plain) {
		buf_add(out, url, len);
		return;
	}
	/* <...>: parentheses are then text; what would end or break the
	 * pointy form is percent-encoded, a backslash escaped. */
	buf_addc(out, '<');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= ' ' || c == 0x7F || c == '<' || c == '>')
			buf_addf(out, "%%%02X", c);
		else if (c == '\\')
			buf_adds(out, "\\\\");
		else
			buf_addc(out, (char)c);
	}
	buf_addc(out, '>');
}

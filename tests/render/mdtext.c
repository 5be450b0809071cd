/*
 * mdtext: does a Markdown file say the same as an HTML page?
 *
 *   mdtext FILE.md FILE.html
 *
 * Renders FILE.md with cmark, extracts the words of both documents (text
 * outside tags, entities decoded, punctuation and table pipes dropped; the
 * HTML's <head>, <script>, <svg> and <caption> are left out, since they
 * have no counterpart in Markdown) and compares the two word sequences.
 * Prints the first difference with context and exits 1, or exits 0.
 *
 *   mdtext --links FILE.md
 *
 * Prints every link of FILE.md as cmark reads it: "TEXT -> DESTINATION",
 * one a line, so a test sees whether a link stayed whole.
 */
#include <cmark.h>
#include <ctype.h>
#include <stdbool.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct words {
	char **w;
	size_t n, cap;
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		perror(path);
		exit(2);
	}
	p = malloc((size_t)n + 1);
	if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(2);
	}
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void push(struct words *ws, const char *s, size_t n)
{
	char *w = malloc(n + 1);
	size_t i, k = 0;

	/* Keep letters and digits (and any non-ASCII byte: æøå, ő, ș ...). */
	for (i = 0; i < n; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			w[k++] = s[i];
	w[k] = '\0';
	/* Drop typographic dashes and the like that are only punctuation. */
	if (!k || !strcmp(w, "\xe2\x80\x93") || !strcmp(w, "\xc2\xb7") || !strcmp(w, "\xe2\x80\xa6")) {
		free(w);
		return;
	}
	if (ws->n == ws->cap) {
		ws->cap = ws->cap ? ws->cap * 2 : 256;
		ws->w = realloc(ws->w, ws->cap * sizeof(*ws->w));
	}
	ws->w[ws->n++] = w;
}

static void add_text(struct words *ws, const char *s, size_t n)
{
	size_t i = 0, start;

	while (i < n) {
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		start = i;
		while (i < n && !isspace((unsigned char)s[i]))
			i++;
		if (i > start)
			push(ws, s + start, i - start);
	}
}

/* Decode the few entities cmark and briefgen write. */
static size_t decode(const char *s, size_t n, char *out)
{
	size_t i = 0, k = 0;

	while (i < n) {
		if (s[i] == '&') {
			static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
							     {"&quot;", "\""}, {"&#39;", "'"}};
			size_t e;
			for (e = 0; e < 5; e++) {
				size_t l = strlen(ent[e][0]);
				if (i + l <= n && !strncmp(s + i, ent[e][0], l)) {
					out[k++] = ent[e][1][0];
					i += l;
					break;
				}
			}
			if (e < 5)
				continue;
		}
		out[k++] = s[i++];
	}
	return k;
}

static bool tag_is(const char *tag, size_t len, const char *name)
{
	size_t l = strlen(name);
	return len >= l && !strncasecmp(tag, name, l) &&
	       (len == l || !isalnum((unsigned char)tag[l]));
}

static void html_words(const char *s, size_t n, struct words *ws)
{
	static const char *const skipped[] = {"head", "script", "svg", "caption", "style"};
	const char *p = s, *end = s + n;
	char *buf = malloc(n + 1);

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		const char *gt;
		size_t k;

		if (!lt)
			lt = end;
		k = decode(p, (size_t)(lt - p), buf);
		add_text(ws, buf, k);
		if (lt == end)
			break;
		gt = memchr(lt, '>', (size_t)(end - lt));
		if (!gt)
			break;
		for (k = 0; k < sizeof(skipped) / sizeof(*skipped); k++) {
			if (tag_is(lt + 1, (size_t)(gt - lt - 1), skipped[k])) {
				char close[16];
				const char *c;
				snprintf(close, sizeof(close), "</%s", skipped[k]);
				c = strstr(gt, close);
				gt = c ? strchr(c, '>') : end - 1;
				break;
			}
		}
		p = gt + 1;
	}
	free(buf);
}

static void words_free(struct words *ws)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		free(ws->w[i]);
	free(ws->w);
}

/* The text of a link: its literal children, joined. */
static void link_text(cmark_node *link)
{
	cmark_iter *it = cmark_iter_new(link);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_literal(n) &&
		    cmark_node_get_type(n) != CMARK_NODE_LINK)
			fputs(cmark_node_get_literal(n), stdout);
	}
	cmark_iter_free(it);
}

static int print_links(const char *path)
{
	size_t len;
	char *md = slurp(path, &len);
	cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_LINK) {
			link_text(n);
			printf(" -> %s\n", cmark_node_get_url(n));
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	free(md);
	return 0;
}

int main(int argc, char **argv)
{
	size_t mlen, hlen, i, k;
	int status;
	char *md, *html, *rendered;
	struct words a = {0}, b = {0};

	if (argc == 3 && !strcmp(argv[1], "--links"))
		return print_links(argv[2]);
	if (argc != 3) {
		fprintf(stderr, "usage: mdtext FILE.md FILE.html | mdtext --links FILE.md\n");
		return 2;
	}
	md = slurp(argv[1], &mlen);
	html = slurp(argv[2], &hlen);
	rendered = cmark_markdown_to_html(md, mlen, CMARK_OPT_DEFAULT);
	html_words(rendered, strlen(rendered), &a);
	html_words(html, hlen, &b);
	for (i = 0; i < a.n && i < b.n; i++)
		if (strcmp(a.w[i], b.w[i]))
			break;
	if (i == a.n && i == b.n) {
		printf("%s and %s: same text (%zu words)\n", argv[1], argv[2], a.n);
		status = 0;
		goto out;
	}
	printf("%s and %s differ at word %zu\n  md:   ", argv[1], argv[2], i);
	for (k = i > 8 ? i - 8 : 0; k < i + 8 && k < a.n; k++)
		printf("%s%s%s ", k == i ? "[" : "", a.w[k], k == i ? "]" : "");
	printf("\n  html: ");
	for (k = i > 8 ? i - 8 : 0; k < i + 8 && k < b.n; k++)
		printf("%s%s%s ", k == i ? "[" : "", b.w[k], k == i ? "]" : "");
	printf("\n");
	status = 1;
out:
	words_free(&a);
	words_free(&b);
	free(rendered);
	free(md);
	free(html);
	return status;
}

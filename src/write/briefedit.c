#include "briefedit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../load/loader.h"
#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/intl.h"
#include "../validate/decode.h"
#include "../validate/record.h"
#include "../validate/schema.h"

struct edit {
	const char *text;
	size_t len;
	const char *nl;      /* the file's line end: "\n" or "\r\n" */
	size_t at;           /* where the insertion goes */
	struct buf ins;      /* what is inserted */
};

/* ---- places in the text -------------------------------------------------- */

static bool has_bom(const struct edit *e)
{
	return e->len >= 3 && memcmp(e->text, "\xEF\xBB\xBF", 3) == 0;
}

/* The byte where 1-based line starts (len past the last line). */
static size_t line_offset(const struct edit *e, int line)
{
	size_t off = has_bom(e) ? 3 : 0;

	while (--line > 0) {
		const char *nl = memchr(e->text + off, '\n', e->len - off);
		if (!nl)
			return e->len;
		off = (size_t)(nl - e->text) + 1;
	}
	return off;
}

/* The byte a node starts at: its line, then col - 1 characters. */
static size_t node_offset(const struct edit *e, const struct node *n)
{
	size_t off = line_offset(e, n->line);
	int col;

	for (col = 1; col < n->col && off < e->len && e->text[off] != '\n'; col++) {
		off++;
		while (off < e->len && ((unsigned char)e->text[off] & 0xC0) == 0x80)
			off++;
	}
	return off;
}

/* The start of the line after the one off is on (len at the end). */
static size_t next_line(const struct edit *e, size_t off)
{
	const char *nl = memchr(e->text + off, '\n', e->len - off);

	return nl ? (size_t)(nl - e->text) + 1 : e->len;
}

/* The start of the line before the one that starts at off (off > 0). */
static size_t prev_line(const struct edit *e, size_t off)
{
	off--;
	while (off > 0 && e->text[off - 1] != '\n')
		off--;
	return off;
}

/* Is the line at off blank, or a comment at column 1? */
static bool loose_line(const struct edit *e, size_t off)
{
	if (off < e->len && e->text[off] == '#')
		return true;
	for (; off < e->len && e->text[off] != '\n'; off++)
		if (e->text[off] != ' ' && e->text[off] != '\r' && e->text[off] != '\t')
			return false;
	return true;
}

/* Where the value of top-level key number k ends: before the next key and
 * the blank and comment lines in front of it, never before from. */
static size_t section_end(const struct edit *e, const struct node *root, size_t k, size_t from)
{
	size_t end = k + 1 < root->n ? line_offset(e, root->pairs[k + 1].key->line) : e->len;

	while (end > from && end > 0) {
		size_t prev = prev_line(e, end);
		if (prev <= from || !loose_line(e, prev))
			break;
		end = prev;
	}
	return end;
}

/* Insert at a line start: first end the last line when the file does not. */
static void at_line_start(struct edit *e, size_t at)
{
	e->at = at;
	if (at == e->len && at > 0 && e->text[at - 1] != '\n')
		buf_adds(&e->ins, e->nl);
}

static void add_line(struct edit *e, int indent, const char *s)
{
	buf_addf(&e->ins, "%*s%s%s", indent, "", s, e->nl);
}

/* "text:" (a folded block naming the partner), "candidates:" and the item. */
static void add_section_body(struct edit *e, int indent, const char *slug, const char *name)
{
	char *line;

	add_line(e, indent, "text: >-");
	line = xasprintf("Det undersøges, om der skal etableres et samarbejde med %s.", name);
	add_line(e, indent + 2, line);
	free(line);
	add_line(e, indent, "candidates:");
	line = xasprintf("- %s", slug);
	add_line(e, indent + 2, line);
	free(line);
}

/* ---- the cases ----------------------------------------------------------- */

static int add_section(struct edit *e, const char *slug, const char *name)
{
	at_line_start(e, e->len);
	if (e->len)
		buf_adds(&e->ins, e->nl);
	add_line(e, 0, "# Nye samarbejder under overvejelse (briefgen new --partner).");
	add_line(e, 0, "new_partnerships:");
	add_section_body(e, 2, slug, name);
	return 0;
}

/* A block list: a line like its last item's, after it. */
static int add_to_block_list(struct edit *e, const struct node *list, const char *slug,
			     char **err)
{
	size_t off = node_offset(e, list->items[list->n - 1]), start = off, i;

	while (start > 0 && e->text[start - 1] != '\n')
		start--;
	for (i = start; i < off && e->text[i] == ' '; i++)
		;
	if (i >= off || e->text[i] != '-' || strspn(e->text + i + 1, " ") != off - i - 1) {
		*err = xasprintf(_("the last item of new_partnerships.candidates does not stand on "
				   "a line of its own"));
		return -1;
	}
	at_line_start(e, next_line(e, off));
	buf_add(&e->ins, e->text + start, off - start);
	buf_addf(&e->ins, "%s%s", slug, e->nl);
	return 0;
}

/* A flow list [a, b]: ", slug" after the last item, or "slug" into []. */
static int add_to_flow_list(struct edit *e, const struct node *list, const char *slug,
			    char **err)
{
	size_t open = node_offset(e, list), close, last;
	const char *p;

	p = memchr(e->text + open, ']', e->len - open);
	if (e->text[open] != '[' || !p) {
		*err = xasprintf(_("cannot find the '[' and ']' of new_partnerships.candidates"));
		return -1;
	}
	close = (size_t)(p - e->text);
	for (last = close; last > open + 1 && strchr(" \t\r\n", e->text[last - 1]); last--)
		;
	e->at = list->n ? last : open + 1;
	buf_addf(&e->ins, "%s%s", list->n ? ", " : "", slug);
	return 0;
}

static int add_candidate(struct edit *e, const struct node *np, size_t k, const char *slug,
			 char **err)
{
	const struct node *key = np->pairs[k].key, *val = np->pairs[k].value;
	char *item;

	if (val->kind == NODE_SEQ)
		return val->n && e->text[node_offset(e, val)] != '['
			       ? add_to_block_list(e, val, slug, err)
			       : add_to_flow_list(e, val, slug, err);
	if (val->kind != NODE_SCALAR || val->len || !val->plain) {
		*err = xasprintf(_("new_partnerships.candidates is not a list"));
		return -1;
	}
	at_line_start(e, next_line(e, node_offset(e, key)));
	item = xasprintf("- %s", slug);
	add_line(e, key->col - 1 + 2, item);
	free(item);
	return 0;
}

static int edit_section(struct edit *e, const struct node *root, size_t k, const char *slug,
			const char *name, char **err)
{
	const struct node *key = root->pairs[k].key, *np = root->pairs[k].value;
	char *item;
	size_t i;

	if (np->kind == NODE_SCALAR && !np->len && np->plain) {
		at_line_start(e, next_line(e, node_offset(e, key)));
		add_section_body(e, 2, slug, name);
		return 0;
	}
	if (np->kind != NODE_MAP || !np->n || e->text[node_offset(e, np)] == '{') {
		*err = xasprintf(_("new_partnerships is not written as `key: value` lines"));
		return -1;
	}
	for (i = 0; i < np->n; i++)
		if (strcmp(np->pairs[i].key->value, "candidates") == 0)
			return add_candidate(e, np, i, slug, err);
	at_line_start(e, section_end(e, root, k, node_offset(e, key)));
	add_line(e, np->pairs[0].key->col - 1, "candidates:");
	item = xasprintf("- %s", slug);
	add_line(e, np->pairs[0].key->col - 1 + 2, item);
	free(item);
	return 0;
}

/* ---- reading the result again -------------------------------------------- */

/* Load text and decode it as a briefing: the root, or NULL; *errors
 * counts the errors found. */
static struct node *reread(const char *text, size_t len, struct arena *arena, size_t *errors)
{
	struct diags diags;
	struct node *root;
	struct briefing *b;

	diags_init(&diags);
	/* The caller read the text under briefing.yaml's limit, which grows
	 * with the partner files (load/loader.h); this is the edited text. */
	root = load_text_limit("briefing.yaml", text, len, LOAD_MAX_BRIEFING, arena, &diags);
	if (root) {
		b = arena_alloc(arena, sizeof(*b));
		decode_record(&schema_briefing, root, b, arena, &diags);
	}
	*errors = diags.errors;
	diags_release(&diags);
	return root;
}

static bool names_candidate(const struct node *root, const char *slug)
{
	const struct node *np = node_get(root, "new_partnerships");
	const struct node *c = np && np->kind == NODE_MAP ? node_get(np, "candidates") : NULL;
	size_t i;

	for (i = 0; c && c->kind == NODE_SEQ && i < c->n; i++)
		if (c->items[i]->kind == NODE_SCALAR && strcmp(c->items[i]->value, slug) == 0)
			return true;
	return false;
}

static char *checked(const struct edit *e, const char *slug, size_t before, size_t *out_len,
		     char **err)
{
	struct buf out = BUF_INIT;
	struct arena arena;
	struct node *root;
	size_t after;
	bool ok;

	buf_add(&out, e->text, e->at);
	buf_add(&out, e->ins.ptr, e->ins.len);
	buf_add(&out, e->text + e->at, e->len - e->at);
	arena_init(&arena);
	root = reread(out.ptr, out.len, &arena, &after);
	ok = root && after <= before && names_candidate(root, slug);
	arena_release(&arena);
	if (!ok) {
		buf_release(&out);
		*err = xasprintf(_("briefing.yaml could not be edited safely (the edited file did "
				   "not read back as expected)"));
		return NULL;
	}
	return buf_detach(&out, out_len);
}

char *briefedit_add_candidate(const char *text, size_t len, const char *slug, const char *name,
			      size_t *out_len, char **err)
{
	struct edit e = {text, len, "\n", 0, BUF_INIT};
	struct arena arena;
	struct node *root;
	size_t before, k;
	char *out = NULL;
	int rc = 0;

	if (memmem(text, len, "\r\n", 2))
		e.nl = "\r\n";
	arena_init(&arena);
	root = reread(text, len, &arena, &before);
	if (!root) {
		*err = xasprintf(_("briefing.yaml does not load: fix it first (briefgen check)"));
		rc = -1;
	} else if (text[node_offset(&e, root)] == '{') {
		*err = xasprintf(_("briefing.yaml is not written as `key: value` lines"));
		rc = -1;
	} else {
		for (k = 0; k < root->n && strcmp(root->pairs[k].key->value, "new_partnerships"); k++)
			;
		rc = k < root->n ? edit_section(&e, root, k, slug, name, err)
				 : add_section(&e, slug, name);
	}
	arena_release(&arena);
	if (rc == 0)
		out = checked(&e, slug, before, out_len, err);
	buf_release(&e.ins);
	return out;
}

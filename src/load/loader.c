#include "loader.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../util/alloc.h"
#include "../util/buf.h"

#define LOAD_SIZE_HINT \
	"a content file is normally a few KB; check that nothing else was pasted into it"

struct loader {
	const char *display;   /* in the arena */
	struct arena *arena;
	struct diags *diags;
	yaml_parser_t parser;
	const char *text;      /* the whole input, len bytes */
	size_t len;
	size_t chars;          /* characters in the text (libyaml's mark.index), BOM not counted */
	int depth;
	bool failed;
};

/* libyaml marks are 0-based; diagnostics are 1-based. */
static void place(struct node *n, const struct loader *ld, yaml_mark_t m)
{
	n->file = ld->display;
	n->line = (int)m.line + 1;
	n->col = (int)m.column + 1;
}

static size_t fail_at(struct loader *ld, yaml_mark_t m, const char *hint, const char *msg)
{
	ld->failed = true;
	return diags_add(ld->diags, SEV_ERROR, ld->display, (int)m.line + 1, (int)m.column + 1,
			 hint, "%s", msg);
}

/* Find the first invalid UTF-8 sequence or NUL byte; report its place. */
static bool check_utf8(const char *display, const unsigned char *s, size_t len, struct diags *d)
{
	size_t i = 0;
	int line = 1, col = 1;

	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len) {
		unsigned char c = s[i];
		size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
			 : (c & 0xF8) == 0xF0 ? 4 : 0;
		size_t k;
		unsigned cp;

		if (c == 0) {
			diags_add(d, SEV_ERROR, display, line, col, "remove it; a YAML file is text",
				  "NUL byte in file");
			return false;
		}
		if (n == 0 || i + n > len)
			goto bad;
		cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			goto bad;
		if (c == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i += n;
	}
	return true;
bad:
	diags_add(d, SEV_ERROR, display, line, col,
		  "save the file as UTF-8 (most editors: \"Save with encoding\" > UTF-8)",
		  "invalid UTF-8 byte 0x%02X", s[i]);
	return false;
}

/* Characters as libyaml counts them in mark.index: code points after a BOM. */
static size_t count_chars(const unsigned char *s, size_t len)
{
	size_t i = 0, n = 0;

	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static struct node *parse_node(struct loader *ld, yaml_event_t *ev);

/* Does line (0-based) of the text begin with white space holding a tab? */
static bool tab_indented(const struct loader *ld, size_t line)
{
	const char *p = ld->text, *end = ld->text + ld->len;

	while (line > 0 && p < end) {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return false;
		p++;
		line--;
	}
	for (; p < end && (*p == ' ' || *p == '\t'); p++)
		if (*p == '\t')
			return true;
	return false;
}

/* What to do about a libyaml error, in the user's words. */
static const char *syntax_hint(const struct loader *ld, const yaml_parser_t *p, yaml_mark_t m)
{
	const char *problem = p->problem ? p->problem : "", *context = p->context ? p->context : "";

	if (strstr(problem, "tab") || tab_indented(ld, m.line))
		return "indent with spaces; YAML does not allow tabs for indentation";
	if (strstr(context, "quoted scalar"))
		return "close the quotation marks, or write a quotation mark inside as \\\" "
		       "(in \"...\") or '' (in '...')";
	if (strstr(context, "flow sequence"))
		return "close the list with ']', and separate its items with ','";
	if (strstr(context, "flow mapping"))
		return "close the mapping with '}', and separate its pairs with ','";
	return "check the indentation and quoting near this place";
}

static bool next_event(struct loader *ld, yaml_event_t *ev)
{
	if (yaml_parser_parse(&ld->parser, ev))
		return true;
	{
		yaml_parser_t *p = &ld->parser;
		struct buf msg = BUF_INIT;
		yaml_mark_t m = p->problem_mark;
		size_t seq;

		buf_adds(&msg, p->problem ? p->problem : "syntax error");
		if (p->context)
			buf_addf(&msg, " %s", p->context);
		/* A scanner error reports its place in problem_mark; the parser
		 * sometimes leaves it zero and uses context_mark. */
		if (!m.line && !m.column && p->context)
			m = p->context_mark;
		seq = fail_at(ld, m, syntax_hint(ld, p, m), msg.ptr);
		/* At the end of the file the place says nothing: show where the
		 * unfinished quote or bracket began. */
		if (p->context && m.index >= ld->chars && p->context_mark.index < ld->chars) {
			struct node at;

			memset(&at, 0, sizeof(at));
			place(&at, ld, p->context_mark);
			diags_note(ld->diags, seq, &at, "the unfinished part begins here");
		}
		buf_release(&msg);
	}
	return false;
}

static bool refuse_anchor_tag(struct loader *ld, yaml_event_t *ev, const yaml_char_t *anchor,
			      const yaml_char_t *tag, int implicit)
{
	if (anchor) {
		fail_at(ld, ev->start_mark, "write the value out in full where it is needed",
			"anchors and aliases are not supported");
		return true;
	}
	if (tag && !implicit) {
		fail_at(ld, ev->start_mark, "remove the tag; briefgen types values by field",
			"YAML tags are not supported");
		return true;
	}
	return false;
}

static struct node *new_node(struct loader *ld, enum node_kind kind, yaml_event_t *ev)
{
	struct node *n = arena_alloc(ld->arena, sizeof(*n));
	n->kind = kind;
	place(n, ld, ev->start_mark);
	return n;
}

static struct node *parse_scalar(struct loader *ld, yaml_event_t *ev)
{
	struct node *n;

	if (refuse_anchor_tag(ld, ev, ev->data.scalar.anchor, ev->data.scalar.tag,
			      ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit))
		return NULL;
	n = new_node(ld, NODE_SCALAR, ev);
	n->value = arena_strndup(ld->arena, (const char *)ev->data.scalar.value,
				 ev->data.scalar.length);
	n->len = ev->data.scalar.length;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	return n;
}

/* Collect children into a growing array, then copy it into the arena. */
struct growing {
	void *items;
	size_t n, cap;
};

static struct node *parse_sequence(struct loader *ld, yaml_event_t *ev)
{
	struct node *n, *child;
	struct growing g = {0};
	yaml_event_t cev;

	if (refuse_anchor_tag(ld, ev, ev->data.sequence_start.anchor, ev->data.sequence_start.tag,
			      ev->data.sequence_start.implicit))
		return NULL;
	n = new_node(ld, NODE_SEQ, ev);
	for (;;) {
		if (!next_event(ld, &cev))
			goto fail;
		if (cev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&cev);
			break;
		}
		child = parse_node(ld, &cev);
		yaml_event_delete(&cev);
		if (!child)
			goto fail;
		g.items = xgrow(g.items, sizeof(child), g.n + 1, &g.cap);
		((struct node **)g.items)[g.n++] = child;
	}
	n->n = g.n;
	n->items = arena_alloc(ld->arena, g.n * sizeof(child));
	if (g.n)
		memcpy(n->items, g.items, g.n * sizeof(child));
	free(g.items);
	return n;
fail:
	free(g.items);
	return NULL;
}

static bool check_key(struct loader *ld, struct node *map_pairs_owner, struct node_pair *pairs,
		      size_t npairs, struct node *key)
{
	size_t i;

	if (key->kind != NODE_SCALAR) {
		diags_at(ld->diags, SEV_ERROR, key, "write a plain name before the colon",
			 "a key must be a scalar, not %s", node_kind_name(key->kind));
		ld->failed = true;
		return false;
	}
	for (i = 0; i < npairs; i++) {
		if (strcmp(pairs[i].key->value, key->value) == 0) {
			size_t seq = diags_at(ld->diags, SEV_ERROR, key,
					      "remove one of them or merge their values",
					      "duplicate key '%s'", key->value);
			diags_note(ld->diags, seq, pairs[i].key, "'%s' first given here",
				   key->value);
			ld->failed = true;
			return false;
		}
	}
	(void)map_pairs_owner;
	return true;
}

static struct node *parse_mapping(struct loader *ld, yaml_event_t *ev)
{
	struct node *n, *key, *value;
	struct growing g = {0};
	yaml_event_t kev, vev;

	if (refuse_anchor_tag(ld, ev, ev->data.mapping_start.anchor, ev->data.mapping_start.tag,
			      ev->data.mapping_start.implicit))
		return NULL;
	n = new_node(ld, NODE_MAP, ev);
	for (;;) {
		if (!next_event(ld, &kev))
			goto fail;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			break;
		}
		key = parse_node(ld, &kev);
		yaml_event_delete(&kev);
		if (!key)
			goto fail;
		if (!next_event(ld, &vev))
			goto fail;
		value = parse_node(ld, &vev);
		yaml_event_delete(&vev);
		if (!value)
			goto fail;
		if (g.n >= LOAD_MAX_KEYS) {
			char msg[80];
			snprintf(msg, sizeof(msg), "more than %d keys in one mapping", LOAD_MAX_KEYS);
			diags_at(ld->diags, SEV_ERROR, key,
				 "no briefgen mapping has this many fields; check the indentation",
				 "%s", msg);
			ld->failed = true;
			goto fail;
		}
		if (!check_key(ld, n, g.items, g.n, key))
			continue;   /* keep going: report every duplicate */
		g.items = xgrow(g.items, sizeof(struct node_pair), g.n + 1, &g.cap);
		((struct node_pair *)g.items)[g.n].key = key;
		((struct node_pair *)g.items)[g.n].value = value;
		g.n++;
	}
	n->n = g.n;
	n->pairs = arena_alloc(ld->arena, g.n * sizeof(struct node_pair));
	if (g.n)
		memcpy(n->pairs, g.items, g.n * sizeof(struct node_pair));
	free(g.items);
	return n;
fail:
	free(g.items);
	return NULL;
}

static struct node *parse_node(struct loader *ld, yaml_event_t *ev)
{
	struct node *n = NULL;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return parse_scalar(ld, ev);
	case YAML_ALIAS_EVENT:
		fail_at(ld, ev->start_mark, "write the value out in full where it is needed",
			"anchors and aliases are not supported");
		return NULL;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (ld->depth >= LOAD_MAX_DEPTH) {
			char msg[80];
			snprintf(msg, sizeof(msg), "nesting deeper than %d levels", LOAD_MAX_DEPTH);
			fail_at(ld, ev->start_mark, "flatten the structure; no briefgen field nests this deep", msg);
			return NULL;
		}
		ld->depth++;
		n = ev->type == YAML_MAPPING_START_EVENT ? parse_mapping(ld, ev) : parse_sequence(ld, ev);
		ld->depth--;
		return n;
	default:
		fail_at(ld, ev->start_mark, NULL, "unexpected YAML event");
		return NULL;
	}
}

static struct node *parse_stream(struct loader *ld)
{
	yaml_event_t ev;
	struct node *root = NULL;

	if (!next_event(ld, &ev))
		return NULL;
	yaml_event_delete(&ev);   /* STREAM-START */
	if (!next_event(ld, &ev))
		return NULL;
	if (ev.type == YAML_STREAM_END_EVENT) {
		fail_at(ld, ev.start_mark, "write the fields as `key: value` lines", "the file is empty");
		yaml_event_delete(&ev);
		return NULL;
	}
	yaml_event_delete(&ev);   /* DOCUMENT-START */
	if (!next_event(ld, &ev))
		return NULL;
	root = parse_node(ld, &ev);
	if (root && root->kind != NODE_MAP) {
		fail_at(ld, ev.start_mark, "write the fields as `key: value` lines",
			root->kind == NODE_SEQ ? "the top level must be a mapping, not a list"
					       : "the top level must be a mapping, not a scalar");
		root = NULL;
	}
	yaml_event_delete(&ev);
	if (!root)
		return NULL;
	if (!next_event(ld, &ev))
		return NULL;
	yaml_event_delete(&ev);   /* DOCUMENT-END */
	if (!next_event(ld, &ev))
		return NULL;
	if (ev.type != YAML_STREAM_END_EVENT) {
		fail_at(ld, ev.start_mark, "put each partner in its own file; remove the '---' line",
			"more than one document in the file");
		root = NULL;
	}
	yaml_event_delete(&ev);
	return root;
}

struct node *load_text(const char *display, const char *text, size_t len, struct arena *arena,
		       struct diags *diags)
{
	struct loader ld;
	struct node *root;

	memset(&ld, 0, sizeof(ld));
	ld.display = arena_strdup(arena, display);
	ld.arena = arena;
	ld.diags = diags;
	if (len > LOAD_MAX_FILE) {
		diags_add(diags, SEV_ERROR, ld.display, 0, 0, LOAD_SIZE_HINT,
			  "file is %zu bytes, larger than the limit of %d bytes (256 KiB)", len,
			  LOAD_MAX_FILE);
		return NULL;
	}
	if (!check_utf8(ld.display, (const unsigned char *)text, len, diags))
		return NULL;
	ld.text = text;
	ld.len = len;
	ld.chars = count_chars((const unsigned char *)text, len);
	yaml_parser_initialize(&ld.parser);
	yaml_parser_set_input_string(&ld.parser, (const unsigned char *)text, len);
	root = parse_stream(&ld);
	yaml_parser_delete(&ld.parser);
	if (ld.failed)
		root = NULL;
	return root;
}

char *load_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[16384];
	size_t n;
	int saved;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > max) {
			fclose(f);
			buf_release(&b);
			errno = EFBIG;
			return NULL;
		}
		buf_add(&b, chunk, n);
	}
	if (ferror(f)) {
		saved = errno;
		fclose(f);
		buf_release(&b);
		errno = saved ? saved : EIO;
		return NULL;
	}
	fclose(f);
	return buf_detach(&b, len);
}

struct node *load_file(const char *path, struct arena *arena, struct diags *diags, int *io_error)
{
	size_t len;
	char *text = load_read_file(path, LOAD_MAX_FILE, &len);
	struct node *root;

	if (!text) {
		if (errno == EFBIG) {
			diags_add(diags, SEV_ERROR, path, 0, 0, LOAD_SIZE_HINT,
				  "file is larger than the limit of %d bytes (256 KiB)",
				  LOAD_MAX_FILE);
		} else {
			diags_add(diags, SEV_ERROR, path, 0, 0, NULL, "cannot read file: %s",
				  strerror(errno));
			if (io_error)
				*io_error = 1;
		}
		return NULL;
	}
	root = load_text(path, text, len, arena, diags);
	free(text);
	return root;
}

#include "jsonschema.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../load/loader.h"
#include "../util/alloc.h"
#include "../util/arena.h"
#include "../util/buf.h"

/* ---- a small JSON writer: two-space indents, flat arrays on one line ---- */

#define JW_MAX_DEPTH 30

struct jw {
	struct buf *b;
	int depth;
	bool fresh;                      /* a container was just opened */
	bool after_key;                  /* a key was written: its value follows */
	bool flat[JW_MAX_DEPTH + 1];     /* the container at this depth is on one line */
};

static void jw_newline(struct jw *w, int depth)
{
	buf_addc(w->b, '\n');
	for (int i = 0; i < depth; i++)
		buf_adds(w->b, "  ");
}

/* What goes before a key or a value. */
static void jw_sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (!w->fresh)
		buf_addc(w->b, ',');
	if (w->flat[w->depth]) {
		if (!w->fresh)
			buf_addc(w->b, ' ');
	} else {
		jw_newline(w, w->depth);
	}
	w->fresh = false;
}

static void jw_quote(struct jw *w, const char *s)
{
	buf_addc(w->b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_addf(w->b, "\\%c", c);
		else if (c == '\n')
			buf_adds(w->b, "\\n");
		else if (c == '\t')
			buf_adds(w->b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_addf(w->b, "\\u%04x", c);
		else
			buf_addc(w->b, (char)c);
	}
	buf_addc(w->b, '"');
}

static void jw_open(struct jw *w, char c, bool flat)
{
	jw_sep(w);
	buf_addc(w->b, c);
	if (w->depth < JW_MAX_DEPTH)
		w->depth++;
	w->flat[w->depth] = flat;
	w->fresh = true;
}

static void jw_close(struct jw *w, char c)
{
	if (!w->fresh && !w->flat[w->depth])
		jw_newline(w, w->depth - 1);
	w->depth--;
	buf_addc(w->b, c);
	w->fresh = false;
}

static void jw_key(struct jw *w, const char *key)
{
	jw_sep(w);
	jw_quote(w, key);
	buf_adds(w->b, ": ");
	w->after_key = true;
}

static void jw_str(struct jw *w, const char *s)
{
	jw_sep(w);
	jw_quote(w, s);
}

/* A number, true, false or null, written as is. */
static void jw_raw(struct jw *w, const char *s)
{
	jw_sep(w);
	buf_adds(w->b, s);
}

static void jw_key_str(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

static void jw_key_int(struct jw *w, const char *key, long long v)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", v);
	jw_key(w, key);
	jw_raw(w, num);
}

/* ---- examples: the table's YAML, read as the field's type ---------------- */

static bool is_number(const struct node *n)
{
	const char *p = n->value;

	if (n->kind != NODE_SCALAR || !n->plain || !*p || (p[0] == '0' && p[1]))
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

static const struct field *sub_field(const struct schema *s, const char *name)
{
	const struct field *f;

	for (f = s->fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static bool fits(const struct field *f, const struct node *n);

static bool fits_record(const struct schema *s, const struct node *n)
{
	const struct field *f;

	if (n->kind != NODE_MAP)
		return false;
	for (size_t i = 0; i < n->n; i++) {
		f = sub_field(s, n->pairs[i].key->value);
		if (!f || !fits(f, n->pairs[i].value))
			return false;
	}
	return true;
}

static bool fits_list(const struct field *f, const struct node *n)
{
	if (n->kind != NODE_SEQ)
		return false;
	for (size_t i = 0; i < n->n; i++) {
		const struct node *item = n->items[i];
		if (f->type == FT_MAPS ? !fits_record(f->sub, item)
				       : item->kind != NODE_SCALAR || node_is_null(item))
			return false;
	}
	return true;
}

/* Can node n be written as a JSON value of field f's type? */
static bool fits(const struct field *f, const struct node *n)
{
	switch (f->type) {
	case FT_INT:
	case FT_YEAR:
		return is_number(n);
	case FT_AMOUNT:
		return is_number(n) || ((f->flags & F_NULLABLE) && node_is_null(n));
	case FT_BOOL:
		return n->kind == NODE_SCALAR && n->plain &&
		       (!strcmp(n->value, "true") || !strcmp(n->value, "false"));
	case FT_MAP:
		return fits_record(f->sub, n);
	case FT_STRINGS:
	case FT_SLUGS:
	case FT_PROSE:
	case FT_MAPS:
		return fits_list(f, n);
	default:
		return n->kind == NODE_SCALAR && !node_is_null(n);
	}
}

static void put_value(struct jw *w, const struct field *f, const struct node *n);

static void put_record(struct jw *w, const struct schema *s, const struct node *n)
{
	jw_open(w, '{', true);
	for (size_t i = 0; i < n->n; i++) {
		jw_key(w, n->pairs[i].key->value);
		put_value(w, sub_field(s, n->pairs[i].key->value), n->pairs[i].value);
	}
	jw_close(w, '}');
}

/* Write n, which fits f. */
static void put_value(struct jw *w, const struct field *f, const struct node *n)
{
	size_t i;

	if (n->kind == NODE_SEQ) {
		jw_open(w, '[', true);
		for (i = 0; i < n->n; i++) {
			if (f->type == FT_MAPS)
				put_record(w, f->sub, n->items[i]);
			else
				jw_str(w, n->items[i]->value);
		}
		jw_close(w, ']');
	} else if (n->kind == NODE_MAP) {
		put_record(w, f->sub, n);
	} else if (node_is_null(n)) {
		jw_raw(w, "null");
	} else if (f->type == FT_INT || f->type == FT_YEAR || f->type == FT_AMOUNT ||
		   f->type == FT_BOOL) {
		jw_raw(w, n->value);
	} else {
		jw_str(w, n->value);
	}
}

/* The example read as YAML: "key: EXAMPLE", or "key:" and the example on
 * the lines below when it is a block list ("- at ..."). */
static const struct node *read_example(const struct field *f, struct arena *arena)
{
	struct diags diags;
	struct node *root;
	char *text;

	diags_init(&diags);
	text = xasprintf("x:%s%s\n", f->example[0] == '-' ? "\n" : " ", f->example);
	root = load_text("example", text, strlen(text), arena, &diags);
	free(text);
	diags_release(&diags);
	return root && root->n == 1 ? root->pairs[0].value : NULL;
}

static void put_example(struct jw *w, const struct field *f)
{
	struct arena arena;
	const struct node *n;

	if (!f->example || !f->example[0])
		return;
	arena_init(&arena);
	n = read_example(f, &arena);
	jw_key(w, "examples");
	jw_open(w, '[', true);
	if (n && fits(f, n))
		put_value(w, f, n);
	else
		jw_str(w, f->example);
	jw_close(w, ']');
	arena_release(&arena);
}

/* ---- the schema ---------------------------------------------------------- */

static void put_record_schema(struct jw *w, const struct schema *s);

static void put_enum(struct jw *w, const char *const *values)
{
	jw_key(w, "enum");
	jw_open(w, '[', true);
	for (; *values; values++)
		jw_str(w, *values);
	jw_close(w, ']');
}

static void put_countries(struct jw *w)
{
	const char *p = schema_country_codes();
	char code[3];

	jw_key(w, "enum");
	jw_open(w, '[', true);
	for (; p[0] && p[1]; p += p[2] ? 3 : 2) {
		code[0] = p[0];
		code[1] = p[1];
		code[2] = '\0';
		jw_str(w, code);
	}
	jw_close(w, ']');
}

static void put_string(struct jw *w, const char *pattern)
{
	jw_key_str(w, "type", "string");
	if (pattern)
		jw_key_str(w, "pattern", pattern);
}

static void put_whole(struct jw *w, long long min, long long max)
{
	jw_key_str(w, "type", "integer");
	jw_key_int(w, "minimum", min);
	jw_key_int(w, "maximum", max);
}

static void put_amount(struct jw *w, const struct field *f)
{
	jw_key(w, "type");
	if (f->flags & F_NULLABLE) {
		jw_open(w, '[', true);
		jw_str(w, "integer");
		jw_str(w, "null");
		jw_close(w, ']');
	} else {
		jw_str(w, "integer");
	}
	jw_key_int(w, "minimum", 0);
	jw_key_int(w, "exclusiveMaximum", SCHEMA_MAX_AMOUNT);
}

/* items of a list of one-line texts or slugs */
static void put_string_items(struct jw *w, const char *pattern)
{
	jw_key_str(w, "type", "array");
	jw_key(w, "items");
	jw_open(w, '{', false);
	put_string(w, pattern);
	jw_close(w, '}');
}

/* A list of Markdown items: text, or {text, internal}. */
static void put_prose(struct jw *w)
{
	jw_key_str(w, "type", "array");
	jw_key(w, "items");
	jw_open(w, '{', false);
	jw_key(w, "anyOf");
	jw_open(w, '[', false);
	jw_open(w, '{', false);
	jw_key_str(w, "type", "string");
	jw_key_int(w, "minLength", 1);
	jw_close(w, '}');
	jw_open(w, '{', false);
	jw_key_str(w, "type", "object");
	jw_key(w, "properties");
	jw_open(w, '{', false);
	jw_key(w, "text");
	jw_open(w, '{', false);
	jw_key_str(w, "description", "The item's text (Markdown).");
	jw_key_str(w, "type", "string");
	jw_key_int(w, "minLength", 1);
	jw_close(w, '}');
	jw_key(w, "internal");
	jw_open(w, '{', false);
	jw_key_str(w, "description", "true: left out of built pages unless --include-internal.");
	jw_key_str(w, "type", "boolean");
	jw_close(w, '}');
	jw_close(w, '}');
	jw_key(w, "required");
	jw_open(w, '[', true);
	jw_str(w, "text");
	jw_close(w, ']');
	jw_key(w, "additionalProperties");
	jw_raw(w, "false");
	jw_close(w, '}');
	jw_close(w, ']');
	jw_close(w, '}');
}

/* The type, values and bounds of field f (keys of its schema object). */
static void put_type(struct jw *w, const struct field *f)
{
	bool required = f->flags & F_REQUIRED;

	switch (f->type) {
	case FT_STRING:
		put_string(w, required ? SCHEMA_FILLED_LINE_PATTERN : SCHEMA_LINE_PATTERN);
		break;
	case FT_MARKDOWN:
		put_string(w, required ? SCHEMA_FILLED_PATTERN : NULL);
		break;
	case FT_INT:
		put_whole(w, 0, SCHEMA_MAX_INT);
		break;
	case FT_YEAR:
		put_whole(w, SCHEMA_MIN_YEAR, SCHEMA_MAX_YEAR);
		break;
	case FT_DATE:
		put_string(w, SCHEMA_DATE_PATTERN);
		break;
	case FT_ENUM:
		put_string(w, NULL);
		put_enum(w, f->values);
		break;
	case FT_BOOL:
		jw_key_str(w, "type", "boolean");
		break;
	case FT_COUNTRY:
		put_string(w, NULL);
		put_countries(w);
		break;
	case FT_AMOUNT:
		put_amount(w, f);
		break;
	case FT_SLUG:
		put_string(w, SCHEMA_SLUG_PATTERN);
		break;
	case FT_STRINGS:
		put_string_items(w, SCHEMA_LINE_PATTERN);
		break;
	case FT_SLUGS:
		put_string_items(w, SCHEMA_SLUG_PATTERN);
		break;
	case FT_PROSE:
		put_prose(w);
		break;
	case FT_MAP:
		put_record_schema(w, f->sub);
		break;
	case FT_MAPS:
		jw_key_str(w, "type", "array");
		jw_key(w, "items");
		jw_open(w, '{', false);
		jw_key_str(w, "description", f->sub->doc);
		put_record_schema(w, f->sub);
		jw_close(w, '}');
		break;
	}
}

static void put_field(struct jw *w, const struct field *f)
{
	jw_key(w, f->name);
	jw_open(w, '{', false);
	jw_key_str(w, "description", f->doc);
	put_type(w, f);
	put_example(w, f);
	jw_close(w, '}');
}

/* type, properties, required and additionalProperties of a record. */
static void put_record_schema(struct jw *w, const struct schema *s)
{
	const struct field *f;

	jw_key_str(w, "type", "object");
	jw_key(w, "properties");
	jw_open(w, '{', false);
	for (f = s->fields; f->name; f++)
		put_field(w, f);
	jw_close(w, '}');
	jw_key(w, "required");
	jw_open(w, '[', true);
	for (f = s->fields; f->name; f++)
		if (f->flags & F_REQUIRED)
			jw_str(w, f->name);
	jw_close(w, ']');
	jw_key(w, "additionalProperties");
	jw_raw(w, "false");
}

char *jsonschema_text(const struct schema *s, size_t *len)
{
	struct buf b = BUF_INIT;
	struct jw w;
	char *title, *comment;

	memset(&w, 0, sizeof(w));
	w.b = &b;
	title = xasprintf("briefgen %s", s->name);
	comment = xasprintf("Generated by `briefgen schema --format json-schema %s` from the "
			    "tables briefgen check uses; do not edit.", s->name);
	jw_open(&w, '{', false);
	jw_key_str(&w, "$schema", "http://json-schema.org/draft-07/schema#");
	jw_key_str(&w, "$comment", comment);
	jw_key_str(&w, "title", title);
	jw_key_str(&w, "description", s->doc);
	put_record_schema(&w, s);
	jw_close(&w, '}');
	buf_addc(&b, '\n');
	free(title);
	free(comment);
	return buf_detach(&b, len);
}

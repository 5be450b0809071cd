/*
 * spec_runner: run the official Mustache spec against render/mustache.
 *
 * usage: mustache_spec_runner SPECDIR
 *
 * SPECDIR holds the spec's YAML files, read unmodified (tests/mustache/spec/
 * is a byte-for-byte copy of mustache/spec's specs/, checked by the test
 * mustache_spec_upstream_identical).  Each test's data becomes a view tree
 * the way the loader would build it from JSON: plain true/false are
 * booleans, plain null/~/empty are null, plain numbers are numbers printed
 * as JSON would print them (1.210 as "1.21"), everything else is a string;
 * !code (lambda) entries are left out.  Prints one line per file and a
 * total, and the template, expected and actual output of each failure.
 * Exits 0 when every test of every file that is run passes, 1 otherwise
 * (also when a file is missing or is not valid YAML).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "render/mustache.h"
#include "render/view.h"
#include "util/arena.h"
#include "util/buf.h"

struct spec_file {
	const char *name;
	const char *skip;   /* why the file is not run, or NULL */
};

static const struct spec_file spec_files[] = {
	{ "comments.yml", NULL },
	{ "delimiters.yml", NULL },
	{ "interpolation.yml", NULL },
	{ "inverted.yml", NULL },
	{ "partials.yml", NULL },
	{ "sections.yml", NULL },
	{ "~inheritance.yml", NULL },
	{ "~dynamic-names.yml", "dynamic names are not supported" },
	{ "~lambdas.yml", "lambdas are not supported" },
};

struct totals {
	unsigned passed, failed, skipped;
	bool broken;   /* a file could not be read */
};

/* The value of key in a YAML mapping, or NULL. */
static yaml_node_t *yaml_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(key) &&
		    !memcmp(k->data.scalar.value, key, k->data.scalar.length))
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static const char *yaml_text(yaml_node_t *n, size_t *len)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	*len = n->data.scalar.length;
	return (const char *)n->data.scalar.value;
}

static bool yaml_is_lambda(const yaml_node_t *n)
{
	return n->tag && !strcmp((const char *)n->tag, "!code");
}

/* [-+]?(digits[.digits?]|.digits)([eE][-+]?digits)? */
static bool is_decimal(const char *s)
{
	size_t digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* d as JSON prints it: integers without a fraction, others in the fewest
 * digits that read back as the same double. */
static void number_text(double d, char *out, size_t size)
{
	int prec;

	if (d > -1e15 && d < 1e15 && d == (double)(long long)d) {
		snprintf(out, size, "%lld", (long long)d);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(out, size, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			return;
	}
}

static struct view *scalar_to_view(struct arena *a, const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;
	char num[64];

	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
			return view_bool(a, true);
		if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
			return view_bool(a, false);
		if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
		    !strcmp(s, "NULL"))
			return view_null(a);
		if (is_decimal(s)) {
			double d = strtod(s, NULL);
			number_text(d, num, sizeof(num));
			return view_number(a, d, num);
		}
	}
	return view_stringn(a, s, n->data.scalar.length);
}

static struct view *yaml_to_view(struct arena *a, yaml_document_t *doc, yaml_node_t *n)
{
	struct view *v;
	yaml_node_item_t *it;
	yaml_node_pair_t *p;

	switch (n->type) {
	case YAML_SEQUENCE_NODE:
		v = view_list(a);
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			yaml_node_t *item = yaml_document_get_node(doc, *it);
			if (!yaml_is_lambda(item))
				view_push(a, v, yaml_to_view(a, doc, item));
		}
		return v;
	case YAML_MAPPING_NODE:
		v = view_map(a);
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(doc, p->key);
			yaml_node_t *val = yaml_document_get_node(doc, p->value);
			if (k->type == YAML_SCALAR_NODE && !yaml_is_lambda(val))
				view_set(a, v, (const char *)k->data.scalar.value,
					 yaml_to_view(a, doc, val));
		}
		return v;
	case YAML_SCALAR_NODE:
		return scalar_to_view(a, n);
	default:
		return view_null(a);
	}
}

/* The loader: partials come from the test's "partials" mapping. */
struct partials {
	yaml_document_t *doc;
	yaml_node_t *map;
};

static const char *partials_load(void *ud, const char *name, size_t *len)
{
	struct partials *p = ud;

	return yaml_text(yaml_get(p->doc, p->map, name), len);
}

static void print_quoted(const char *label, const char *s, size_t n)
{
	size_t i;

	printf("  %-9s \"", label);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		switch (ch) {
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '"': fputs("\\\"", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default:
			if (ch < 0x20 || ch == 0x7f)
				printf("\\x%02x", ch);
			else
				putchar(ch);
		}
	}
	puts("\"");
}

/* Run one test; returns true when it passes. */
static bool run_test(const char *file, yaml_document_t *doc, yaml_node_t *test)
{
	struct partials parts = { doc, yaml_get(doc, test, "partials") };
	struct mustache_loader loader = { partials_load, &parts };
	const char *name, *tmpl, *expected;
	size_t namelen = 0, tmpllen = 0, explen = 0;
	yaml_node_t *data = yaml_get(doc, test, "data");
	struct arena a;
	struct buf out = BUF_INIT;
	struct mustache_env *env = NULL;
	struct mustache *m = NULL;
	char *err = NULL;
	bool ok = false;

	arena_init(&a);
	name = yaml_text(yaml_get(doc, test, "name"), &namelen);
	tmpl = yaml_text(yaml_get(doc, test, "template"), &tmpllen);
	expected = yaml_text(yaml_get(doc, test, "expected"), &explen);
	if (!name || !tmpl || !expected) {
		printf("FAIL %s: a test lacks a name, template or expected output\n", file);
		goto out;
	}
	m = mustache_compile("template", tmpl, tmpllen, &err);
	env = mustache_env_new(&loader);
	if (m && mustache_render(env, m, data ? yaml_to_view(&a, doc, data) : NULL, &out, &err) == 0)
		ok = out.len == explen && !memcmp(out.ptr, expected, explen);
	if (!ok) {
		printf("FAIL %s: %.*s\n", file, (int)namelen, name);
		print_quoted("template:", tmpl, tmpllen);
		print_quoted("expected:", expected, explen);
		if (err)
			printf("  error:    %s\n", err);
		else
			print_quoted("actual:", out.ptr, out.len);
	}
out:
	free(err);
	mustache_free(m);
	mustache_env_free(env);
	buf_release(&out);
	arena_release(&a);
	return ok;
}

static void run_file(const char *dir, const struct spec_file *sf, struct totals *tot)
{
	char *path = NULL;
	FILE *f = NULL;
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *tests;
	yaml_node_item_t *it;
	unsigned passed = 0, failed = 0;
	size_t plen = strlen(dir) + strlen(sf->name) + 2;

	path = malloc(plen);
	if (!path)
		abort();
	snprintf(path, plen, "%s/%s", dir, sf->name);
	f = fopen(path, "rb");
	if (!f) {
		printf("%s: cannot open: %s\n", path, strerror(errno));
		tot->broken = true;
		free(path);
		return;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		printf("%s:%zu:%zu: invalid YAML: %s\n", path, parser.problem_mark.line + 1,
		       parser.problem_mark.column + 1, parser.problem ? parser.problem : "?");
		tot->broken = true;
		goto out_parser;
	}
	tests = yaml_get(&doc, yaml_document_get_root_node(&doc), "tests");
	if (!tests || tests->type != YAML_SEQUENCE_NODE) {
		printf("%s: no 'tests' list\n", path);
		tot->broken = true;
		goto out_doc;
	}
	if (sf->skip) {
		size_t n = (size_t)(tests->data.sequence.items.top - tests->data.sequence.items.start);
		printf("%s: %zu skipped (%s)\n", sf->name, n, sf->skip);
		tot->skipped += (unsigned)n;
		goto out_doc;
	}
	for (it = tests->data.sequence.items.start; it < tests->data.sequence.items.top; it++) {
		if (run_test(sf->name, &doc, yaml_document_get_node(&doc, *it)))
			passed++;
		else
			failed++;
	}
	printf("%s: %u passed, %u failed\n", sf->name, passed, failed);
	tot->passed += passed;
	tot->failed += failed;
out_doc:
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&parser);
	fclose(f);
	free(path);
}

int main(int argc, char **argv)
{
	struct totals tot = { 0, 0, 0, false };
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SPECDIR\n", argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(spec_files) / sizeof(spec_files[0]); i++)
		run_file(argv[1], &spec_files[i], &tot);
	printf("total: %u passed, %u failed, %u skipped%s\n", tot.passed, tot.failed, tot.skipped,
	       tot.broken ? "; some spec files could not be read" : "");
	return tot.failed || tot.broken ? 1 : 0;
}

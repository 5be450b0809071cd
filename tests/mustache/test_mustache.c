/*
 * Unit tests for render/mustache beyond the spec: escaping, errors with
 * their positions, limits, the partial cache and briefgen's own choices
 * (how booleans and lists print, strict standalone lines).
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/markdown.h"
#include "render/mustache.h"
#include "render/view.h"
#include "util/arena.h"
#include "util/buf.h"

/* Partials as NULL-terminated {name, source} pairs; counts the loads. */
struct partial_table {
	const char *const *pairs;
	int loads;
};

static const char *table_load(void *ud, const char *name, size_t *len)
{
	struct partial_table *t = ud;
	size_t i;

	t->loads++;
	for (i = 0; t->pairs && t->pairs[i]; i += 2)
		if (!strcmp(t->pairs[i], name)) {
			*len = strlen(t->pairs[i + 1]);
			return t->pairs[i + 1];
		}
	return NULL;
}

/* Render src against ctx with partials; returns the output or the error
 * (malloc'd), *rc being the render's result (or -2 for a compile error). */
static char *render(const char *src, const struct view *ctx, const char *const *partials, int *rc)
{
	struct partial_table table = { partials, 0 };
	struct mustache_loader loader = { table_load, &table };
	struct mustache_env *env = mustache_env_new(&loader);
	struct buf out = BUF_INIT;
	char *err = NULL;
	struct mustache *m = mustache_compile("t.mustache", src, strlen(src), &err);
	int r = -2;

	if (m)
		r = mustache_render(env, m, ctx, &out, &err);
	mustache_free(m);
	mustache_env_free(env);
	if (rc)
		*rc = r;
	if (r < 0) {
		buf_release(&out);
		return err;
	}
	return buf_detach(&out, NULL);
}

static void check_render(const char *src, const struct view *ctx, const char *const *partials,
			 const char *want)
{
	int rc;
	char *got = render(src, ctx, partials, &rc);

	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(got, want);
	free(got);
}

static void check_error(const char *src, const char *const *partials, const char *want_prefix)
{
	int rc;
	char *got = render(src, NULL, partials, &rc);

	ck_assert_int_lt(rc, 0);
	ck_assert_msg(!strncmp(got, want_prefix, strlen(want_prefix)), "error '%s' does not start "
		      "with '%s'", got, want_prefix);
	free(got);
}

START_TEST(test_html_escaping)
{
	struct arena a;
	struct view *v;

	arena_init(&a);
	v = view_map(&a);
	view_set_str(&a, v, "x", "<a href=\"x\">Tom & Jerry's</a>");
	check_render("{{x}}", v, NULL, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
	check_render("{{{x}}}|{{&x}}", v, NULL,
		     "<a href=\"x\">Tom & Jerry's</a>|<a href=\"x\">Tom & Jerry's</a>");
	arena_release(&a);
}
END_TEST

START_TEST(test_data_is_not_evaluated)
{
	struct arena a;
	struct view *v;

	arena_init(&a);
	v = view_map(&a);
	view_set_str(&a, v, "x", "{{y}} {{#y}}{{/y}} {{>p}} {{");
	view_set_str(&a, v, "y", "no");
	check_render("{{{x}}}", v, NULL, "{{y}} {{#y}}{{/y}} {{>p}} {{");
	arena_release(&a);
}
END_TEST

START_TEST(test_values_print)
{
	struct arena a;
	struct view *v, *list;

	arena_init(&a);
	v = view_map(&a);
	view_set(&a, v, "n", view_number(&a, 2.5, "2.5"));
	view_set_bool(&a, v, "t", true);
	view_set_bool(&a, v, "f", false);
	view_set(&a, v, "z", view_null(&a));
	list = view_set(&a, v, "l", view_list(&a));
	view_push(&a, list, view_string(&a, "a"));
	view_push(&a, list, view_string(&a, "b"));
	check_render("{{n}} {{t}} {{f}} [{{z}}] [{{l}}] [{{missing}}] [{{#l}}{{.}}{{/l}}]", v, NULL,
		     "2.5 true false [] [] [] [ab]");
	/* A map (big enough for an index), an empty string and a list made
	 * on demand print nothing either, raw or escaped. */
	{
		struct view *m = view_set(&a, v, "m", view_map_sized(&a, 40));
		static const struct view_source none = { NULL, NULL, NULL, NULL };

		view_set_str(&a, m, "k", "x");
		view_set_str(&a, v, "e", "");
		view_set(&a, v, "lazy", view_lazy_list(&a, 3, &none));
		check_render("[{{m}}{{{m}}}{{&m}}][{{e}}{{{e}}}][{{lazy}}{{{lazy}}}][{{m.k}}]", v,
			     NULL, "[][][][x]");
	}
	/* no context at all */
	check_render("[{{x}}{{#x}}y{{/x}}{{^x}}n{{/x}}]", NULL, NULL, "[n]");
	arena_release(&a);
}
END_TEST

START_TEST(test_errors_have_positions)
{
	check_error("ab\ncd {{x", NULL, "t.mustache:2:4: error: unclosed tag '{{'");
	check_error("é{{{x}}", NULL, "t.mustache:1:2: error: unclosed tag '{{{'");
	check_error("{{x\n{{y}}", NULL, "t.mustache:1:1: error: unclosed tag");
	check_error("\n {{#a}}\n", NULL, "t.mustache:2:2: error: section 'a' is never closed");
	check_error("{{#a}}{{/b}}", NULL, "t.mustache:1:7: error: '{{/b}}' does not match");
	check_error("x{{/a}}", NULL, "t.mustache:1:2: error: '{{/a}}' closes nothing");
	check_error("{{ }}", NULL, "t.mustache:1:1: error: tag '{{ }}' has no name");
	check_error("{{a b}}", NULL, "t.mustache:1:1: error: name 'a b' contains whitespace");
	check_error("{{a..b}}", NULL, "t.mustache:1:1: error: name 'a..b' is malformed");
	check_error("{{=<%>=}}", NULL, "t.mustache:1:1: error: set-delimiter tag needs two");
	check_error("{{=<% %>=}}\n<%x", NULL, "t.mustache:2:1: error: unclosed tag '<%': add '%>'");
}
END_TEST

START_TEST(test_partial_errors)
{
	static const char *const bad[] = { "p", "ok\n{{#x}}", NULL };
	static const char *const loop[] = { "r", "{{>r}}", NULL };
	static const char *const parent_loop[] = { "r", "{{<r}}{{/r}}", NULL };

	check_error("{{>p}}", bad, "p:2:1: error: section 'x' is never closed");
	check_error("{{>r}}", loop, "r:1:1: error: partial 'r' nests deeper than 64 levels");
	check_error("{{<r}}{{/r}}", parent_loop,
		    "r:1:1: error: parent 'r' nests deeper than 64 levels");
}
END_TEST

START_TEST(test_recursion_within_limit)
{
	static const char *const node[] = { "node", "{{name}}({{#kids}}{{>node}}{{/kids}})", NULL };
	struct arena a;
	struct view *root, *v;
	int i;
	char name[2] = "a";

	arena_init(&a);
	root = v = view_map(&a);
	for (i = 0; i < 10; i++) {
		struct view *kids = view_set(&a, v, "kids", view_list(&a));
		name[0] = (char)('a' + i);
		view_set_str(&a, v, "name", name);
		v = view_push(&a, kids, view_map(&a));
	}
	view_set_str(&a, v, "name", "k");
	/* without its own (empty) kids, the leaf would find its parent's */
	view_set(&a, v, "kids", view_list(&a));
	check_render("{{>node}}", root, node, "a(b(c(d(e(f(g(h(i(j(k()))))))))))");
	arena_release(&a);
}
END_TEST

START_TEST(test_nesting_limit)
{
	struct buf src = BUF_INIT;
	struct arena a;
	struct view *v;
	int i, rc;
	char *got;

	arena_init(&a);
	v = view_map(&a);
	view_set_bool(&a, v, "a", true);
	for (i = 0; i < MUSTACHE_MAX_NESTING + 10; i++)
		buf_adds(&src, "{{#a}}");
	for (i = 0; i < MUSTACHE_MAX_NESTING + 10; i++)
		buf_adds(&src, "{{/a}}");
	got = render(src.ptr, v, NULL, &rc);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(got, "error: section 'a' nests deeper than 1024 levels"));
	free(got);
	buf_release(&src);
	arena_release(&a);
}
END_TEST

START_TEST(test_env_caches_partials)
{
	static const char *const parts[] = { "p", "<{{x}}>", NULL };
	struct partial_table table = { parts, 0 };
	struct mustache_loader loader = { table_load, &table };
	struct mustache_env *env = mustache_env_new(&loader);
	struct buf out = BUF_INIT;
	char *err = NULL;
	const char *src = "{{>p}}{{>p}}{{>missing}}{{>missing}}";
	struct mustache *m = mustache_compile("t", src, strlen(src), &err);
	int i;

	ck_assert_ptr_nonnull(m);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(mustache_render(env, m, NULL, &out, &err), 0);
	ck_assert_str_eq(out.ptr, "<><><><><><>");
	ck_assert_int_eq(table.loads, 2);
	ck_assert_str_eq(mustache_name(m), "t");
	buf_release(&out);
	mustache_free(m);
	mustache_env_free(env);
	mustache_free(NULL);
	mustache_env_free(NULL);
}
END_TEST

START_TEST(test_no_env)
{
	struct buf out = BUF_INIT;
	char *err = NULL;
	struct mustache *m = mustache_compile("t", "a{{>p}}b{{<q}}{{/q}}c", 21, &err);

	ck_assert_int_eq(mustache_render(NULL, m, NULL, &out, &err), 0);
	ck_assert_str_eq(out.ptr, "abc");
	buf_release(&out);
	mustache_free(m);
}
END_TEST

START_TEST(test_standalone_is_strict)
{
	struct arena a;
	struct view *v;

	arena_init(&a);
	v = view_map(&a);
	view_set_bool(&a, v, "a", true);
	/* alone on its line: the line goes; with another tag: it stays */
	check_render("x\n  {{#a}}\ny\n  {{/a}}\nz\n", v, NULL, "x\ny\nz\n");
	check_render("x\n{{#a}}{{/a}}\nz\n", v, NULL, "x\n\nz\n");
	check_render("x\r\n{{! c }}\r\nz", v, NULL, "x\r\nz");
	arena_release(&a);
}
END_TEST

START_TEST(test_partial_indentation_nests)
{
	static const char *const parts[] = {
		"outer", "<ul>\n  {{>inner}}\n</ul>\n",
		"inner", "<li>1</li>\n<li>2</li>\n",
		NULL
	};

	check_render("<body>\n  {{>outer}}\n</body>\n", NULL, parts,
		     "<body>\n  <ul>\n    <li>1</li>\n    <li>2</li>\n  </ul>\n</body>\n");
}
END_TEST

/* Examples from mustache/spec#131 and #135 (block reindentation). */
START_TEST(test_block_reindentation)
{
	static const char *const p1[] = {
		"parent", "I say,\n  {{$block}}\n  Hi there!\n  {{/block}}", NULL
	};
	static const char *const p2[] = { "parent", "{{$block}}x{{/block}}", NULL };

	check_render("{{<parent}}\n        {{$block}}\n        Hello\n        {{/block}}\n{{/parent}}",
		     NULL, p1, "I say,\n  Hello\n");
	check_render("I say,\n  {{$block}}\n  Hi there!\n  {{/block}}", NULL, NULL,
		     "I say,\n  Hi there!\n");
	check_render("* a\n* b\n* {{<parent}}{{$block}}\n                {{! big indent }}\n"
		     "                c{{/block}}{{/parent}}\n* d\n* e",
		     NULL, p2, "* a\n* b\n* c\n* d\n* e");
}
END_TEST

/* ---- kept fragments (mustache_env_keep_fragments) ---- */

/* A list made on demand of maps {name}, counting the items made. */
struct lazy_items {
	const char *names[4];
	uint64_t stamps[4];
	size_t n;
	int made;
};

static struct view *lazy_item(void *ud, size_t i, struct arena *scratch)
{
	struct lazy_items *li = ud;
	struct view *v = view_map(scratch);

	li->made++;
	view_set_str(scratch, v, "name", li->names[i]);
	return v;
}

static uint64_t lazy_stamp(void *ud, size_t i)
{
	struct lazy_items *li = ud;
	return li->stamps[i];
}

static const char lazy_id;

static struct view *lazy_view(struct arena *a, struct lazy_items *li)
{
	struct view_source src = { lazy_item, li, &lazy_id, lazy_stamp };
	return view_lazy_list(a, li->n, &src);
}

/* Render m against ctx through env (which keeps fragments) and through a
 * fresh environment without; both must agree.  Returns the output. */
static char *render_both(struct mustache_env *env, const struct mustache_loader *loader,
			 const struct mustache *m, const struct view *ctx, struct lazy_items *li)
{
	struct mustache_env *plain = mustache_env_new(loader);
	struct buf out = BUF_INIT, want = BUF_INIT;
	char *err = NULL;
	int made;

	ck_assert_int_eq(mustache_render(plain, m, ctx, &want, &err), 0);
	made = li->made;
	ck_assert_int_eq(mustache_render(env, m, ctx, &out, &err), 0);
	li->made = li->made - made;   /* the kept render's items only */
	ck_assert_str_eq(out.ptr, want.ptr);
	buf_release(&want);
	mustache_env_free(plain);
	return buf_detach(&out, NULL);
}

START_TEST(test_fragments_reused_and_checked)
{
	static const char *const parts[] = { "row", "<{{name}}:{{outer}}:{{t.x}}{{^missing}}!{{/missing}}>",
					     NULL };
	struct partial_table table = { parts, 0 };
	struct mustache_loader loader = { table_load, &table };
	struct mustache_env *env = mustache_env_new(&loader);
	struct lazy_items li = { { "a", "b", "c" }, { 1, 2, 3 }, 3, 0 };
	const char *src = "{{#list}}{{>row}}{{/list}}";
	char *err = NULL, *got;
	struct mustache *m = mustache_compile("t", src, strlen(src), &err);
	struct arena a;
	struct view *ctx, *t;
	int round;

	ck_assert_ptr_nonnull(m);
	mustache_env_keep_fragments(env, true);
	for (round = 0; round < 7; round++) {
		arena_init(&a);
		ctx = view_map(&a);
		t = view_map(&a);
		/* Each round makes its views afresh: strings compare by bytes. */
		view_set_str(&a, t, "x", round >= 3 ? "X2" : "X");
		view_set(&a, ctx, "t", t);
		view_set_str(&a, ctx, "outer", round >= 2 ? "o2" : "o");
		if (round >= 5)
			view_set_bool(&a, ctx, "missing", true);
		if (round == 4) {
			li.names[1] = "B";
			li.stamps[1] = 7;
		}
		view_set(&a, ctx, "list", lazy_view(&a, &li));
		got = render_both(env, &loader, m, ctx, &li);
		switch (round) {
		case 0:   /* all made and kept */
			ck_assert_str_eq(got, "<a:o:X!><b:o:X!><c:o:X!>");
			ck_assert_int_eq(li.made, 3);
			break;
		case 1:   /* nothing changed: none made */
			ck_assert_str_eq(got, "<a:o:X!><b:o:X!><c:o:X!>");
			ck_assert_int_eq(li.made, 0);
			break;
		case 2:   /* an outer value changed: all again */
			ck_assert_str_eq(got, "<a:o2:X!><b:o2:X!><c:o2:X!>");
			ck_assert_int_eq(li.made, 3);
			break;
		case 3:   /* a dotted name's value changed */
			ck_assert_str_eq(got, "<a:o2:X2!><b:o2:X2!><c:o2:X2!>");
			ck_assert_int_eq(li.made, 3);
			break;
		case 4:   /* one item's data changed: that one only */
			ck_assert_str_eq(got, "<a:o2:X2!><B:o2:X2!><c:o2:X2!>");
			ck_assert_int_eq(li.made, 1);
			break;
		case 5:   /* a name that was missing is there now */
			ck_assert_str_eq(got, "<a:o2:X2><B:o2:X2><c:o2:X2>");
			ck_assert_int_eq(li.made, 3);
			break;
		case 6:
			ck_assert_str_eq(got, "<a:o2:X2><B:o2:X2><c:o2:X2>");
			ck_assert_int_eq(li.made, 0);
			break;
		}
		free(got);
		arena_release(&a);
	}
	ck_assert_int_eq(mustache_env_fragments_used(env), 3 + 2 + 3);
	mustache_env_keep_fragments(env, false);
	ck_assert_int_eq(mustache_env_fragments_used(env), 0);
	mustache_free(m);
	mustache_env_free(env);
}
END_TEST

START_TEST(test_fragments_outer_maps)
{
	struct mustache_loader loader = { table_load, NULL };
	struct partial_table table = { NULL, 0 };
	struct mustache_env *env;
	struct lazy_items li = { { "a", "b" }, { 1, 2 }, 2, 0 };
	const char *src = "{{#list}}{{name}}{{#cfg}}={{v}}{{/cfg}};{{/list}}";
	char *err = NULL, *got;
	struct mustache *m = mustache_compile("t", src, strlen(src), &err);
	struct arena keep, a;
	struct view *cfg, *ctx;
	int round;

	loader.ud = &table;
	env = mustache_env_new(&loader);
	mustache_env_keep_fragments(env, true);
	ck_assert_ptr_nonnull(m);
	/* A map made for each render: an item that pushes it is never kept
	 * (its address may come back with other contents). */
	for (round = 0; round < 3; round++) {
		arena_init(&a);
		ctx = view_map(&a);
		cfg = view_map(&a);
		view_set_str(&a, cfg, "v", round == 2 ? "2" : "1");
		view_set(&a, ctx, "cfg", cfg);
		view_set(&a, ctx, "list", lazy_view(&a, &li));
		got = render_both(env, &loader, m, ctx, &li);
		ck_assert_str_eq(got, round == 2 ? "a=2;b=2;" : "a=1;b=1;");
		ck_assert_int_eq(li.made, 2);
		free(got);
		arena_release(&a);
	}
	/* A kept map compares by identity. */
	arena_init(&keep);
	cfg = view_map(&keep);
	view_set_str(&keep, cfg, "v", "k");
	view_keep(cfg);
	for (round = 0; round < 2; round++) {
		arena_init(&a);
		ctx = view_map(&a);
		view_set(&a, ctx, "cfg", cfg);
		view_set(&a, ctx, "list", lazy_view(&a, &li));
		got = render_both(env, &loader, m, ctx, &li);
		ck_assert_str_eq(got, "a=k;b=k;");
		ck_assert_int_eq(li.made, round == 0 ? 2 : 0);
		free(got);
		arena_release(&a);
	}
	mustache_free(m);
	mustache_env_free(env);
	arena_release(&keep);
}
END_TEST

/* The same list in a template that overrides another's block, and in
 * partials at two indentations: the kept items follow where they stand. */
START_TEST(test_fragments_follow_overrides)
{
	static const char *const parts[] = {
		"base", "{{#list}}{{$item}}-{{name}}{{/item}}{{/list}}|",
		"rows", "{{#list}}\n{{name}}\n{{/list}}\n",
		NULL };
	struct partial_table table = { parts, 0 };
	struct mustache_loader loader = { table_load, &table };
	struct mustache_env *env = mustache_env_new(&loader);
	struct lazy_items li = { { "a", "b" }, { 1, 2 }, 2, 0 };
	static const char *const srcs[] = {
		"{{<base}}{{$item}}[{{name}}]{{/item}}{{/base}}",
		"{{<base}}{{$item}}({{name}}){{/item}}{{/base}}{{>base}}",
		"  {{>rows}}\n{{>rows}}\n    {{>rows}}\n",
	};
	static const char *const want[] = {
		"[a][b]|", "(a)(b)|-a-b|", "  a\n  b\na\nb\n    a\n    b\n",
	};
	struct mustache *m[3];
	char *err = NULL, *got;
	struct arena a;
	struct view *ctx;
	int round, k;

	mustache_env_keep_fragments(env, true);
	for (k = 0; k < 3; k++) {
		m[k] = mustache_compile("t", srcs[k], strlen(srcs[k]), &err);
		ck_assert_ptr_nonnull(m[k]);
	}
	for (round = 0; round < 3; round++)
		for (k = 0; k < 3; k++) {
			arena_init(&a);
			ctx = view_map(&a);
			view_set(&a, ctx, "list", lazy_view(&a, &li));
			got = render_both(env, &loader, m[k], ctx, &li);
			ck_assert_str_eq(got, want[k]);
			if (round > 0 && k < 2)
				ck_assert_int_eq(li.made, 0);
			free(got);
			arena_release(&a);
		}
	for (k = 0; k < 3; k++)
		mustache_free(m[k]);
	mustache_env_free(env);
}
END_TEST

/* Nothing is kept without fragments turned on, nor for a list without a
 * stamp; output flushed between items is the same. */
START_TEST(test_fragments_off_and_flush)
{
	struct mustache_env *env = mustache_env_new(NULL);
	struct lazy_items li = { { "a", "b", "c" }, { 1, 0, 3 }, 3, 0 };
	const char *src = "{{#list}}<{{name}}>{{/list}}";
	char *err = NULL;
	struct mustache *m = mustache_compile("t", src, strlen(src), &err);
	struct buf out = BUF_INIT;
	struct arena a;
	struct view *ctx;
	int round;

	arena_init(&a);
	ctx = view_map(&a);
	view_set(&a, ctx, "list", lazy_view(&a, &li));
	ck_assert_int_eq(mustache_render(env, m, ctx, &out, &err), 0);
	ck_assert_int_eq(mustache_render(env, m, ctx, &out, &err), 0);
	ck_assert_int_eq(li.made, 6);
	ck_assert_int_eq(mustache_env_fragments_made(env), 0);
	mustache_env_keep_fragments(env, true);
	for (round = 0; round < 2; round++) {
		li.made = 0;
		buf_reset(&out);
		ck_assert_int_eq(mustache_render(env, m, ctx, &out, &err), 0);
		ck_assert_str_eq(out.ptr, "<a><b><c>");
		/* b has no stamp: made each time */
		ck_assert_int_eq(li.made, round == 0 ? 3 : 1);
	}
	ck_assert_int_eq(mustache_env_fragments_made(env), 2);
	buf_release(&out);
	arena_release(&a);
	mustache_free(m);
	mustache_env_free(env);
}
END_TEST

/* A flush that hands the bytes to a buffer (mustache_env_set_flush). */
static int flush_to(void *ud, struct buf *out)
{
	buf_add(ud, out->ptr, out->len);
	buf_reset(out);
	return 0;
}

/* The output limit stops a render at the node whose output passes it (text
 * after a tag at the text), whatever was flushed before and wherever out
 * began: tried at every limit, with and without flushing after each item
 * of a list made on demand. */
START_TEST(test_output_limit_node)
{
	/* Each node that adds output: the length of all output after it, and
	 * where the node is. */
	static const struct {
		size_t after;
		const char *at;
	} adds[] = {
		{ 2, "1:1" }, { 3, "1:12" }, { 4, "1:13" }, { 5, "1:21" }, { 6, "1:12" },
		{ 7, "1:13" }, { 8, "1:21" }, { 9, "1:12" }, { 10, "1:13" }, { 11, "1:21" },
		{ 12, "1:31" }, { 14, "1:32" }, { 15, "1:37" },
	};
	const char *src = "ab{{#list}}<{{name}}>{{/list}}-{{x}}!";
	struct lazy_items li = { { "a", "b", "c" }, { 0, 0, 0 }, 3, 0 };
	char *err = NULL;
	struct mustache *m = mustache_compile("t", src, strlen(src), &err);
	struct mustache_env *env = mustache_env_new(NULL);
	struct buf out = BUF_INIT, flushed = BUF_INIT;
	struct arena a;
	struct view *ctx;
	size_t limit, k;
	int flush;

	arena_init(&a);
	ctx = view_map(&a);
	view_set(&a, ctx, "list", lazy_view(&a, &li));
	view_set_str(&a, ctx, "x", "XY");
	for (flush = 0; flush < 2; flush++) {
		mustache_env_set_flush(env, flush ? flush_to : NULL, &flushed, 1);
		for (limit = 1; limit <= 16; limit++) {
			char want[64];
			int rc;

			buf_reset(&out);
			buf_reset(&flushed);
			buf_adds(&out, "zz");   /* before this render's output */
			mustache_env_set_limit(env, limit);
			rc = mustache_render(env, m, ctx, &out, &err);
			for (k = 0; k < sizeof(adds) / sizeof(adds[0]) && adds[k].after <= limit; k++)
				;
			if (k == sizeof(adds) / sizeof(adds[0])) {
				ck_assert_int_eq(rc, 0);
				ck_assert(!mustache_env_limit_hit(env));
				buf_add(&flushed, out.ptr, out.len);
				ck_assert_str_eq(flushed.ptr, "zzab<a><b><c>-XY!");
				continue;
			}
			snprintf(want, sizeof(want), "t:%s: error: output passes the limit of %zu bytes",
				 adds[k].at, limit);
			ck_assert_int_eq(rc, -1);
			ck_assert(mustache_env_limit_hit(env));
			ck_assert_str_eq(err, want);
			free(err);
			err = NULL;
		}
	}
	buf_release(&out);
	buf_release(&flushed);
	arena_release(&a);
	mustache_free(m);
	mustache_env_free(env);
}
END_TEST

/* Every node is a step, text after a tag too (it is kept with the tag):
 * "{{#list}}{{x}}y{{/list}}" takes 2 + 3 steps an item, so 6 666 666 items
 * take exactly MUSTACHE_MAX_STEPS; with a "z" before it the last step, the
 * last item's "y", is one too many. */
START_TEST(test_steps_count_text_after_tags)
{
	const char *src = "z{{#list}}{{x}}y{{/list}}";
	char *err = NULL;
	struct mustache *m = mustache_compile("t", src + 1, strlen(src + 1), &err);
	struct mustache *mz = mustache_compile("t", src, strlen(src), &err);
	size_t n = (MUSTACHE_MAX_STEPS - 2) / 3, k;
	struct buf out = BUF_INIT;
	struct arena a;
	struct view *ctx, *list, *item;

	ck_assert_uint_eq(2 + 3 * n, MUSTACHE_MAX_STEPS);
	arena_init(&a);
	ctx = view_map(&a);
	item = view_map(&a);
	view_set_str(&a, item, "x", "a");
	list = view_set(&a, ctx, "list", view_list(&a));
	for (k = 0; k < n; k++)
		view_push(&a, list, item);
	ck_assert_int_eq(mustache_render(NULL, m, ctx, &out, &err), 0);
	ck_assert_uint_eq(out.len, 2 * n);
	ck_assert(!memcmp(out.ptr + out.len - 4, "ayay", 4));
	buf_reset(&out);
	ck_assert_int_eq(mustache_render(NULL, mz, ctx, &out, &err), -1);
	ck_assert_str_eq(err, "t: error: rendering takes more than 20000000 steps (are sections "
			 "over lists nested in each other?)");
	/* It stops at that "y": the last "a" is out. */
	ck_assert_uint_eq(out.len, 2 * n);
	ck_assert(!memcmp(out.ptr + out.len - 3, "aya", 3));
	free(err);
	buf_release(&out);
	arena_release(&a);
	mustache_free(m);
	mustache_free(mz);
}
END_TEST

/* A name is looked up in each frame of the stack from the top: in a map
 * by key, in a list (an item of a list of lists) by index, past a scalar
 * that a section pushed, down to the bottom. */
START_TEST(test_lookup_walks_every_kind_of_frame)
{
	struct arena a;
	struct view *v, *lists, *l;

	arena_init(&a);
	v = view_map(&a);
	view_set_str(&a, v, "1", "X");
	view_set_str(&a, v, "s", "str");
	lists = view_set(&a, v, "lists", view_list(&a));
	l = view_push(&a, lists, view_list(&a));
	view_push(&a, l, view_string(&a, "a"));
	view_push(&a, l, view_string(&a, "b"));
	l = view_push(&a, lists, view_list(&a));
	view_push(&a, l, view_string(&a, "c"));
	check_render("{{#lists}}[{{0}}{{1}}]{{/lists}}", v, NULL, "[ab][cX]");
	check_render("{{#s}}{{#lists}}{{#s}}<{{1}}{{s}}{{.}}>{{/s}}{{/lists}}{{/s}}", v, NULL,
		     "<bstrstr><Xstrstr>");
	arena_release(&a);
}
END_TEST

/* Sections and inverted sections follow view_truthy() for every kind of
 * value (the render answers the common cases itself). */
START_TEST(test_sections_follow_view_truthy)
{
	struct arena a;
	struct view *vals[12], *ctx;
	size_t k, n = 0;

	arena_init(&a);
	vals[n++] = view_null(&a);
	vals[n++] = view_bool(&a, false);
	vals[n++] = view_bool(&a, true);
	vals[n++] = view_number(&a, 0, "0");
	vals[n++] = view_number(&a, 2, "2");
	vals[n++] = view_string(&a, "");
	vals[n++] = view_string(&a, "s");
	vals[n++] = view_list(&a);
	vals[n] = view_list(&a);
	view_push(&a, vals[n++], view_string(&a, "i"));
	vals[n++] = view_map(&a);
	for (k = 0; k <= n; k++) {
		/* k == n: the name is missing */
		ctx = view_map(&a);
		if (k < n)
			view_set(&a, ctx, "v", vals[k]);
		check_render("{{#v}}T{{/v}}{{^v}}F{{/v}}", ctx, NULL,
			     k < n && view_truthy(vals[k]) ? "T" : "F");
	}
	arena_release(&a);
}
END_TEST

static struct view *null_item(void *ud, size_t i, struct arena *scratch)
{
	return NULL;
}

/* An item that is NULL (made so, or pushed so) is nothing: "." finds
 * nothing, and names are looked up past it. */
START_TEST(test_null_items)
{
	struct view_source src = { null_item, NULL, NULL, NULL };
	const char *tmpl = "{{#list}}[{{.}}{{x}}{{#.}}y{{/.}}{{^.}}n{{/.}}]{{/list}}";
	struct arena a;
	struct view *ctx, *list;

	arena_init(&a);
	ctx = view_map(&a);
	view_set_str(&a, ctx, "x", "X");
	view_set(&a, ctx, "list", view_lazy_list(&a, 2, &src));
	check_render(tmpl, ctx, NULL, "[Xn][Xn]");
	list = view_set(&a, ctx, "list", view_list(&a));
	view_push(&a, list, NULL);
	check_render(tmpl, ctx, NULL, "[Xn]");
	arena_release(&a);
}
END_TEST

/* An escape that changes bytes but not the length: a render must call it
 * every time, never take its output for the text unchanged. */
static void upper_escape(const char *s, size_t len, struct buf *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf_addc(out, (char)toupper((unsigned char)s[i]));
}

/* A render remembers in a string (view.plain) that the HTML escape or
 * markdown_escape copied it unchanged, each for itself, and then copies
 * it: a string one escape leaves as it is and the other does not is
 * escaped by the other still; one that needs escaping is escaped every
 * time; any other escape function is called every time.  The same tree,
 * rendered in turns through each, gives each time what the first render
 * through each gave. */
START_TEST(test_escapes_remembered_per_escape)
{
	static const char tmpl[] = "{{star}}|{{quote}}|{{amp}}|{{word}}|{{n}}|{{yes}}|{{{star}}}";
	static const char *const want[3] = {
		"a*b|say &quot;hi&quot;|Tom &amp; Jerry|word|7|true|a*b",
		"a\\*b|say \"hi\"|Tom \\& Jerry|word|7|true|a*b",
		"A*B|SAY \"HI\"|TOM & JERRY|WORD|7|TRUE|a*b",
	};
	struct arena a;
	struct view *ctx, *star, *quote, *amp, *word;
	struct mustache_env *env[3];
	struct mustache *m;
	char *err = NULL;
	int round, k;

	arena_init(&a);
	ctx = view_map(&a);
	star = view_set_str(&a, ctx, "star", "a*b");                /* HTML: plain */
	quote = view_set_str(&a, ctx, "quote", "say \"hi\"");       /* Markdown: plain */
	amp = view_set_str(&a, ctx, "amp", "Tom & Jerry");          /* neither */
	word = view_set_str(&a, ctx, "word", "word");               /* both */
	view_set(&a, ctx, "n", view_number(&a, 7, "7"));
	view_set_bool(&a, ctx, "yes", true);
	m = mustache_compile("t.mustache", tmpl, strlen(tmpl), &err);
	ck_assert_ptr_nonnull(m);
	for (k = 0; k < 3; k++)
		env[k] = mustache_env_new(NULL);
	mustache_env_set_escape(env[1], markdown_escape);
	mustache_env_set_escape(env[2], upper_escape);
	for (round = 0; round < 3; round++)
		for (k = 0; k < 3; k++) {
			/* Round 1 starts with Markdown, round 2 with the other. */
			int e = (k + round) % 3;
			struct buf out = BUF_INIT;

			ck_assert_int_eq(mustache_render(env[e], m, ctx, &out, &err), 0);
			ck_assert_str_eq(out.ptr, want[e]);
			buf_release(&out);
		}
	ck_assert_uint_eq(star->plain, VIEW_PLAIN_HTML);
	ck_assert_uint_eq(quote->plain, VIEW_PLAIN_MD);
	ck_assert_uint_eq(amp->plain, 0);
	ck_assert_uint_eq(word->plain, VIEW_PLAIN_HTML | VIEW_PLAIN_MD);
	/* A bit set says the text is copied: it is what the render reads. */
	star->plain = VIEW_PLAIN_HTML | VIEW_PLAIN_MD;
	{
		struct buf out = BUF_INIT;

		ck_assert_int_eq(mustache_render(env[1], m, ctx, &out, &err), 0);
		ck_assert(!strncmp(out.ptr, "a*b|", 4));
		buf_release(&out);
	}
	for (k = 0; k < 3; k++)
		mustache_env_free(env[k]);
	mustache_free(m);
	arena_release(&a);
}
END_TEST

static Suite *mustache_suite(void)
{
	Suite *s = suite_create("mustache");
	TCase *tc = tcase_create("core"), *steps;

	tcase_add_test(tc, test_html_escaping);
	tcase_add_test(tc, test_data_is_not_evaluated);
	tcase_add_test(tc, test_values_print);
	tcase_add_test(tc, test_errors_have_positions);
	tcase_add_test(tc, test_partial_errors);
	tcase_add_test(tc, test_recursion_within_limit);
	tcase_add_test(tc, test_nesting_limit);
	tcase_add_test(tc, test_env_caches_partials);
	tcase_add_test(tc, test_no_env);
	tcase_add_test(tc, test_standalone_is_strict);
	tcase_add_test(tc, test_partial_indentation_nests);
	tcase_add_test(tc, test_block_reindentation);
	tcase_add_test(tc, test_fragments_reused_and_checked);
	tcase_add_test(tc, test_fragments_outer_maps);
	tcase_add_test(tc, test_fragments_follow_overrides);
	tcase_add_test(tc, test_fragments_off_and_flush);
	tcase_add_test(tc, test_output_limit_node);
	tcase_add_test(tc, test_lookup_walks_every_kind_of_frame);
	tcase_add_test(tc, test_sections_follow_view_truthy);
	tcase_add_test(tc, test_null_items);
	tcase_add_test(tc, test_escapes_remembered_per_escape);
	suite_add_tcase(s, tc);
	/* Twenty million steps: a second optimised, several with sanitizers. */
	steps = tcase_create("steps");
	tcase_set_timeout(steps, 60);
	tcase_add_test(steps, test_steps_count_text_after_tags);
	suite_add_tcase(s, steps);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mustache_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

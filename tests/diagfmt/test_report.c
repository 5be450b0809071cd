/* Unit tests of src/diag/rules and src/diag/report: the rule tables, JSON
 * escaping, end columns found in the source, notes, --strict, SARIF URIs. */
#include "../unit/unit.h"
#include "diag/report.h"
#include "diag/rules.h"
#include "load/node.h"
#include "util/tempdir.h"

static struct diags diags;

static void setup(void)
{
	diags_init(&diags);
}

static void teardown(void)
{
	diags_release(&diags);
}

/* What report_json (sarif: report_sarif) writes for diags, sorted first. */
static char *report(bool sarif)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	ck_assert_ptr_nonnull(f);
	diags_sort(&diags);
	ck_assert(sarif ? report_sarif(&diags, "/srv/a b", f) : report_json(&diags, f));
	fclose(f);
	return s;
}

/* check's messages are short: the report goes to stderr. */
#define ck_assert_has(hay, needle)                                                                 \
	do {                                                                                       \
		if (!strstr((hay), (needle)))                                                      \
			fprintf(stderr, "in the report:\n%s\n", (hay));                            \
		ck_assert_msg(strstr((hay), (needle)) != NULL, "no\n  %s", (needle));             \
	} while (0)

START_TEST(tables_sorted_and_consistent)
{
	const struct diag_rule *r;
	const struct diag_rule_format *f;

	for (r = diag_rules; r->id; r++) {
		if (r > diag_rules)
			ck_assert_msg(strcmp(r[-1].id, r->id) < 0, "diag_rules: '%s' must come before '%s'",
				      r->id, r[-1].id);
		ck_assert_ptr_eq(diag_rule_find(r->id), r);
		ck_assert_msg(r->description[strlen(r->description) - 1] == '.',
			      "description of %s is not a sentence", r->id);
	}
	for (f = diag_rule_formats; f->format; f++) {
		if (f > diag_rule_formats)
			ck_assert_msg(strcmp(f[-1].format, f->format) < 0,
				      "diag_rule_formats: \"%s\" must come before \"%s\"", f->format,
				      f[-1].format);
		ck_assert_msg(diag_rule_find(f->rule) != NULL, "\"%s\" has the unknown rule '%s'",
			      f->format, f->rule);
		ck_assert_str_eq(diag_rule_for(f->format), f->rule);
	}
	ck_assert_ptr_null(diag_rule_find("no-such-rule"));
}
END_TEST

START_TEST(rule_from_untranslated_format)
{
	diags_add(&diags, SEV_ERROR, "a.yaml", 1, 1, NULL, "unknown key '%s' (did you mean '%s'?)",
		  "ammount", "amount");
	diags_add(&diags, SEV_ERROR, "a.yaml", 2, 1, NULL, "a format no table knows");
	ck_assert_str_eq(diags.items[0].rule, "unknown-key");
	ck_assert_str_eq(diags.items[1].rule, "other");
}
END_TEST

START_TEST(json_escapes_every_string)
{
	char *s;

	diags_add(&diags, SEV_ERROR, "content/p\xffr.yaml", 3, 2, "write \"a\\b\"\nthen\tgo",
		  "text without a key: '%s'", "bad \x1b[31m and \xe2\x80\xae and \xc3\xa6");
	s = report(false);
	ck_assert_str_eq(s, "[\n{\"file\": \"content/p\\\\xffr.yaml\", \"line\": 3, \"column\": 2, "
			    "\"endColumn\": null, \"severity\": \"error\", \"rule\": \"yaml-syntax\", "
			    "\"message\": \"text without a key: 'bad \\\\x1b[31m and \\\\u202e and \xc3\xa6'\", "
			    "\"hint\": \"write \\\"a\\\\b\\\"\\\\x0athen\\\\tgo\", \"notes\": []}\n]\n");
	free(s);
}
END_TEST

START_TEST(json_empty_is_an_array)
{
	char *s = report(false);

	ck_assert_str_eq(s, "[]\n");
	free(s);
}
END_TEST

START_TEST(notes_nested_and_strict_severity)
{
	size_t seq;
	char *s;

	diags.strict = true;
	seq = diags_add(&diags, SEV_WARNING, "b.yaml", 5, 3, NULL, "'until' on a one-off cost has no effect");
	diags_add(&diags, SEV_ERROR, "a.yaml", 9, 1, NULL, "partner '%s' is named twice", "x");
	{
		struct node at;

		memset(&at, 0, sizeof(at));
		at.file = "a.yaml";
		at.line = 2;
		at.col = 4;
		diags_note(&diags, seq, &at, "'%s' first named here", "x");
	}
	s = report(false);
	ck_assert_has(s, "{\"file\": \"a.yaml\", \"line\": 9, \"column\": 1, \"endColumn\": null, "
			 "\"severity\": \"error\", \"rule\": \"partner-named-twice\"");
	ck_assert_has(s, "\"severity\": \"error\", \"rule\": \"until-on-one-off\", \"message\": "
			 "\"'until' on a one-off cost has no effect\", \"hint\": null, \"notes\": "
			 "[{\"file\": \"a.yaml\", \"line\": 2, \"column\": 4, \"endColumn\": null, "
			 "\"message\": \"'x' first named here\"}]}");
	free(s);
}
END_TEST

/* The end columns of values in a real file, found in its source. */
START_TEST(end_columns_from_the_source)
{
	static const char text[] =
		"name: Brasov Amt\n"
		"origin: \"Ring\\u00f8bing\"\n"
		"label: 'it''s'\n"
		"note: |-\n"
		"  one line\n"
		"country: R\xc3\xb8\n"
		"summary: two\n"
		"  lines\n";
	struct arena arena;
	struct node *root;
	char *dir, *path, *err = NULL, *s;
	FILE *f;
	const char *keys[] = {"name", "origin", "label", "note", "country", "summary"};
	size_t i;

	dir = tempdir_create("report", &err);
	ck_assert_ptr_nonnull(dir);
	path = xasprintf("%s/p.yaml", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	arena_init(&arena);
	root = load_text(path, text, strlen(text), &arena, &diags);
	ck_assert_ptr_nonnull(root);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		diags_at(&diags, SEV_ERROR, node_get(root, keys[i]), NULL, "'%s' is empty", keys[i]);
	diags_at(&diags, SEV_ERROR, root->pairs[0].key, NULL, "duplicate key '%s'", "name");
	s = report(false);
	ck_assert_has(s, "\"line\": 1, \"column\": 1, \"endColumn\": 5, ");       /* the key */
	ck_assert_has(s, "\"line\": 1, \"column\": 7, \"endColumn\": 17, ");      /* Brasov Amt */
	ck_assert_has(s, "\"line\": 2, \"column\": 9, \"endColumn\": 25, ");      /* with its escape */
	ck_assert_has(s, "\"line\": 3, \"column\": 8, \"endColumn\": 15, ");      /* 'it''s' */
	ck_assert_has(s, "\"line\": 4, \"column\": 7, \"endColumn\": null, ");    /* a block scalar */
	ck_assert_has(s, "\"line\": 6, \"column\": 10, \"endColumn\": 12, ");     /* characters */
	ck_assert_has(s, "\"line\": 7, \"column\": 10, \"endColumn\": null, ");   /* two lines */
	free(s);
	arena_release(&arena);
	tempdir_remove(dir);
	free(path);
	free(dir);
}
END_TEST

START_TEST(sarif_uris_rules_and_hints)
{
	const struct diag_rule *r = diag_rule_find("yml-extension");
	char *s, *want;

	diags_add(&diags, SEV_ERROR, "./content/partners/Sk\xc3\xa5ne.yml", 0, 0, "rename it",
		  "partner files end in .yaml, not .yml");
	diags_add(&diags, SEV_WARNING, "/abs/x y.yaml", 2, 3, NULL, "not a partner file; ignored");
	s = report(true);
	ck_assert_has(s, "\"version\": \"2.1.0\"");
	ck_assert_has(s, "\"originalUriBaseIds\": {\"%SRCROOT%\": {\"uri\": \"file:///srv/a%20b/\"}}");
	want = xasprintf("{\"ruleId\": \"yml-extension\", \"ruleIndex\": %zu, \"level\": \"error\", "
			 "\"message\": {\"text\": \"partner files end in .yaml, not .yml\\nhint: "
			 "rename it\"}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": "
			 "{\"uri\": \"content/partners/Sk%%C3%%A5ne.yml\", \"uriBaseId\": \"%%SRCROOT%%\", "
			 "\"index\": 0}, \"region\": {\"startLine\": 1}}}], "
			 "\"properties\": {\"hint\": \"rename it\"}}",
			 (size_t)(r - diag_rules));
	ck_assert_has(s, want);
	ck_assert_has(s, "{\"uri\": \"file:///abs/x%20y.yaml\", \"index\": 1}, \"region\": "
			 "{\"startLine\": 2, \"startColumn\": 3}");
	ck_assert_has(s, "\"level\": \"warning\"");
	free(want);
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, tables_sorted_and_consistent);
	tcase_add_test(tc, rule_from_untranslated_format);
	tcase_add_test(tc, json_escapes_every_string);
	tcase_add_test(tc, json_empty_is_an_array);
	tcase_add_test(tc, notes_nested_and_strict_severity);
	tcase_add_test(tc, end_columns_from_the_source);
	tcase_add_test(tc, sarif_uris_rules_and_hints);
	suite_add_tcase(s, tc);
	return run_suite(s);
}

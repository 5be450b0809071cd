/* Unit tests of src/validate/diag: sorting, notes, strict mode, printing. */
#include <unistd.h>

#include "unit.h"

static struct diags diags;

static void setup(void)
{
	diags_init(&diags);
}

static void teardown(void)
{
	diags_release(&diags);
}

static struct node at(const char *file, int line, int col)
{
	struct node n;

	memset(&n, 0, sizeof(n));
	n.file = file;
	n.line = line;
	n.col = col;
	return n;
}

/* The messages in their current order, joined with '|'. */
static char *order(void)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < diags.n; i++)
		buf_addf(&b, "%s%s", i ? "|" : "", diags.items[i].message);
	return buf_detach(&b, NULL);
}

START_TEST(sorts_by_file_line_col)
{
	char *got;

	diags_add(&diags, SEV_ERROR, "content/partners/shanghai.yaml", 2, 1, NULL, "s2");
	diags_add(&diags, SEV_ERROR, "content/partners/brasov.yaml", 10, 5, NULL, "b10.5");
	diags_add(&diags, SEV_WARNING, "content/partners/brasov.yaml", 10, 1, NULL, "b10.1");
	diags_add(&diags, SEV_ERROR, "content/briefing.yaml", 30, 1, NULL, "f30");
	diags_add(&diags, SEV_ERROR, "content/partners/brasov.yaml", 9, 20, NULL, "b9");
	diags_add(&diags, SEV_ERROR, "content/briefing.yaml", 4, 1, NULL, "f4");
	diags_sort(&diags);
	got = order();
	ck_assert_str_eq(got, "f4|f30|b9|b10.1|b10.5|s2");
	free(got);
}
END_TEST

START_TEST(same_place_keeps_insertion_order)
{
	char *got;
	int i;

	for (i = 0; i < 20; i++)
		diags_add(&diags, SEV_ERROR, "a.yaml", 1, 1, NULL, "%c", 'a' + i);
	diags_add(&diags, SEV_ERROR, "a.yaml", 0, 0, NULL, "file");
	diags_sort(&diags);
	got = order();
	/* A diagnostic without a line (the file as a whole) comes first. */
	ck_assert_str_eq(got, "file|a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p|q|r|s|t");
	free(got);
}
END_TEST

START_TEST(notes_follow_their_parent)
{
	struct node early = at("a.yaml", 1, 1), other = at("z.yaml", 1, 1),
		    late = at("a.yaml", 50, 1);
	size_t e1, e2;
	char *got;

	diags_add(&diags, SEV_ERROR, "a.yaml", 20, 1, NULL, "before");
	e1 = diags_add(&diags, SEV_ERROR, "a.yaml", 30, 1, NULL, "dup");
	diags_note(&diags, e1, &early, "dup first here");
	e2 = diags_add(&diags, SEV_ERROR, "m.yaml", 5, 1, NULL, "status");
	diags_note(&diags, e2, &other, "decision here");
	diags_note(&diags, e2, &late, "also here");
	diags_add(&diags, SEV_ERROR, "a.yaml", 40, 1, NULL, "after");
	diags_sort(&diags);
	got = order();
	/* A note sorts with its parent, whatever its own place: notes in the
	 * order they were given. */
	ck_assert_str_eq(got, "before|dup|dup first here|after|status|decision here|also here");
	free(got);
	/* Notes count neither as errors nor as warnings. */
	ck_assert_uint_eq(diags.errors, 4);
	ck_assert_uint_eq(diags.warnings, 0);
}
END_TEST

START_TEST(note_without_place)
{
	size_t e = diags_add(&diags, SEV_ERROR, "a.yaml", 3, 1, NULL, "err");
	char *out;

	diags_note(&diags, e, NULL, "somewhere");
	diags_sort(&diags);
	out = print_to_string(&diags, false);
	ck_assert_str_eq(out, "a.yaml:3:1: error: err\nbriefgen: note: somewhere\n1 error\n");
	free(out);
}
END_TEST

START_TEST(counts_and_strict)
{
	diags_add(&diags, SEV_WARNING, "a.yaml", 1, 1, NULL, "w1");
	ck_assert(!diags_failed(&diags));
	diags.strict = true;
	ck_assert(diags_failed(&diags));
	diags.strict = false;
	diags_add(&diags, SEV_ERROR, "a.yaml", 2, 1, NULL, "e1");
	ck_assert(diags_failed(&diags));
	ck_assert_uint_eq(diags.errors, 1);
	ck_assert_uint_eq(diags.warnings, 1);
}
END_TEST

static void expect_summary(const char *want)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	diags_print_summary(&diags, f);
	fclose(f);
	ck_assert_str_eq(s, want);
	free(s);
}

START_TEST(summary_line)
{
	expect_summary("");
	diags_add(&diags, SEV_WARNING, "a.yaml", 1, 1, NULL, "w");
	expect_summary("1 warning\n");
	diags_add(&diags, SEV_WARNING, "a.yaml", 1, 1, NULL, "w");
	expect_summary("2 warnings\n");
	diags_add(&diags, SEV_ERROR, "a.yaml", 1, 1, NULL, "e");
	expect_summary("1 error, 2 warnings\n");
	diags_add(&diags, SEV_ERROR, "a.yaml", 1, 1, NULL, "e");
	expect_summary("2 errors, 2 warnings\n");
	diags.strict = true;
	expect_summary("4 errors\n");
	diags_release(&diags);
	diags_add(&diags, SEV_WARNING, "a.yaml", 1, 1, NULL, "w");
	expect_summary("1 warning\n");
	diags_add(&diags, SEV_NOTE, "a.yaml", 1, 1, NULL, "n");
	expect_summary("1 warning\n");
}
END_TEST

START_TEST(print_forms)
{
	char *out;

	diags_add(&diags, SEV_ERROR, "c/p.yaml", 14, 5, "write 50000", "unknown key '%s'",
		  "ammount");
	diags_add(&diags, SEV_WARNING, "c/q.yaml", 0, 0, NULL, "not a partner file; ignored");
	diags_add(&diags, SEV_ERROR, NULL, 0, 0, NULL, "no folder");
	diags_sort(&diags);
	out = print_to_string(&diags, true);
	ck_assert_str_eq(out, "briefgen: error: no folder\n"
			      "c/p.yaml:14:5: error: unknown key 'ammount'\n"
			      "    hint: write 50000\n"
			      "c/q.yaml: warning: not a partner file; ignored\n"
			      "2 errors, 1 warning\n");
	free(out);
	diags.strict = true;
	out = print_to_string(&diags, false);
	ck_assert_ptr_nonnull(strstr(out, "c/q.yaml: error: not a partner file; ignored\n"));
	ck_assert_ptr_nonnull(strstr(out, "3 errors\n"));
	free(out);
}
END_TEST

static char tmpfile_path[64];

static void write_tmp(const char *text)
{
	int fd;

	strcpy(tmpfile_path, "/tmp/briefgen-diag-XXXXXX");
	fd = mkstemp(tmpfile_path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

START_TEST(source_line_and_caret)
{
	struct node n;
	size_t e;
	char *out, *want;

	write_tmp("\xEF\xBB\xBFname: X\r\ncosts:\n  - label: Århus\n\tbad: x\n  - Ringk\xF8"
		  "bing\n");
	diags_add(&diags, SEV_ERROR, tmpfile_path, 1, 7, NULL, "bom");
	diags_add(&diags, SEV_ERROR, tmpfile_path, 3, 12, NULL, "after utf8");
	diags_add(&diags, SEV_ERROR, tmpfile_path, 4, 2, NULL, "tab");
	diags_add(&diags, SEV_ERROR, tmpfile_path, 5, 10, NULL, "latin1");
	e = diags_add(&diags, SEV_ERROR, tmpfile_path, 7, 1, "h", "past the end");
	n = at(tmpfile_path, 2, 1);
	diags_note(&diags, e, &n, "note with source");
	diags_sort(&diags);
	out = print_to_string(&diags, true);
	want = xasprintf("%1$s:1:7: error: bom\n"
			 "    name: X\n"
			 "          ^\n"
			 "%1$s:3:12: error: after utf8\n"
			 "      - label: Århus\n"
			 "               ^\n"
			 "%1$s:4:2: error: tab\n"
			 "    \tbad: x\n"
			 "    \t^\n"
			 "%1$s:5:10: error: latin1\n"
			 "      - Ringk?bing\n"
			 "             ^\n"
			 "%1$s:7:1: error: past the end\n"
			 "    hint: h\n"
			 "%1$s:2:1: note: note with source\n"
			 "    costs:\n"
			 "    ^\n"
			 "5 errors\n",
			 tmpfile_path);
	ck_assert_str_eq(out, want);
	free(want);
	free(out);
	/* --no-source */
	out = print_to_string(&diags, false);
	ck_assert_ptr_null(strstr(out, "    ^"));
	free(out);
	unlink(tmpfile_path);
}
END_TEST

START_TEST(source_of_vanished_file)
{
	char *out;

	diags_add(&diags, SEV_ERROR, "/nonexistent/briefgen.yaml", 3, 1, NULL, "gone");
	out = print_to_string(&diags, true);
	ck_assert_str_eq(out, "/nonexistent/briefgen.yaml:3:1: error: gone\n1 error\n");
	free(out);
}
END_TEST

START_TEST(many_diagnostics_in_one_file)
{
	/* 20000 diagnostics in one file print quickly: the file is read once. */
	struct buf text = BUF_INIT;
	char *out;
	int i;

	for (i = 0; i < 20000; i++)
		buf_addf(&text, "k%d: 1\n", i);
	write_tmp(text.ptr);
	for (i = 20000; i > 0; i--)
		diags_add(&diags, SEV_ERROR, tmpfile_path, i, 1, NULL, "unknown key");
	diags_sort(&diags);
	ck_assert_int_eq(diags.items[0].line, 1);
	out = print_to_string(&diags, true);
	ck_assert_ptr_nonnull(strstr(out, ":20000:1: error: unknown key\n    k19999: 1\n    ^\n"));
	free(out);
	buf_release(&text);
	unlink(tmpfile_path);
}
END_TEST

static Suite *diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *t = tcase_create("diag");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, sorts_by_file_line_col);
	tcase_add_test(t, same_place_keeps_insertion_order);
	tcase_add_test(t, notes_follow_their_parent);
	tcase_add_test(t, note_without_place);
	tcase_add_test(t, counts_and_strict);
	tcase_add_test(t, summary_line);
	tcase_add_test(t, print_forms);
	tcase_add_test(t, source_line_and_caret);
	tcase_add_test(t, source_of_vanished_file);
	tcase_add_test(t, many_diagnostics_in_one_file);
	tcase_set_timeout(t, 20);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return run_suite(diag_suite());
}

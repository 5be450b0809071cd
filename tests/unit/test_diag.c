/* Unit tests of src/validate/diag: sorting, notes, strict mode, printing. */
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util/tempdir.h"
#include "serve/errorpage.h"

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
	/* 20000 diagnostics in one file print quickly: the file is read once,
	 * the first DIAGS_PER_FILE are printed and one line counts the rest. */
	struct buf text = BUF_INIT;
	char *out, *want;
	int i;

	for (i = 0; i < 20000; i++)
		buf_addf(&text, "k%d: 1\n", i);
	write_tmp(text.ptr);
	for (i = 20000; i > 0; i--)
		diags_add(&diags, SEV_ERROR, tmpfile_path, i, 1, NULL, "unknown key");
	diags_sort(&diags);
	ck_assert_int_eq(diags.items[0].line, 1);
	out = print_to_string(&diags, true);
	ck_assert_ptr_nonnull(strstr(out, ":20:1: error: unknown key\n    k19: 1\n    ^\n"));
	ck_assert_ptr_null(strstr(out, ":21:1: error"));
	want = xasprintf("%s: note: 19980 more diagnostics in this file not shown (the first 20 are)\n"
			 "20000 errors\n", tmpfile_path);
	ck_assert_ptr_nonnull(strstr(out, want));
	free(want);
	free(out);
	buf_release(&text);
	unlink(tmpfile_path);
}
END_TEST

static size_t count_lines(const char *s, const char *needle)
{
	size_t n = 0;

	for (; (s = strstr(s, needle)) != NULL; s++)
		n++;
	return n;
}

START_TEST(run_limit)
{
	/* 30 files of 15 errors: 200 printed in full (13 files and 5 of the
	 * 14th), then one line for the other 250; the exit status's count is
	 * all 450. */
	char *out;
	bool *shown;
	int f, i;

	for (f = 0; f < 30; f++)
		for (i = 1; i <= 15; i++) {
			char name[32];
			snprintf(name, sizeof(name), "f%02d.yaml", f);
			diags_add(&diags, SEV_ERROR, name, i, 1, NULL, "e%d", i);
		}
	diags_sort(&diags);
	out = print_to_string(&diags, false);
	ck_assert_uint_eq(count_lines(out, ": error: "), 200);
	ck_assert_ptr_nonnull(strstr(out, "f13.yaml:5:1: error: e5\n"
					  "briefgen: note: 250 more diagnostics not shown (at most 200 are)\n"
					  "450 errors\n"));
	ck_assert(diags_failed(&diags));
	shown = xcalloc(diags.n, sizeof(*shown));
	ck_assert_uint_eq(diags_select(&diags, shown), 250);
	ck_assert(shown[199] && !shown[200]);
	free(shown);
	free(out);
}
END_TEST

START_TEST(notes_go_with_their_parent)
{
	/* A note of a diagnostic left out is left out too; notes do not count. */
	size_t e;
	char *out;
	int i;

	for (i = 1; i <= 25; i++) {
		e = diags_add(&diags, SEV_ERROR, "a.yaml", i, 1, NULL, "e%d", i);
		diags_add(&diags, SEV_NOTE, "a.yaml", i, 2, NULL, "n%d", i);
		diags.items[diags.n - 1].parent = e + 1;
	}
	diags_sort(&diags);
	out = print_to_string(&diags, false);
	ck_assert_ptr_nonnull(strstr(out, "a.yaml:20:1: error: e20\na.yaml:20:2: note: n20\n"
					  "a.yaml: note: 5 more diagnostics in this file not shown"));
	ck_assert_ptr_null(strstr(out, "n21"));
	free(out);
}
END_TEST

START_TEST(source_line_once)
{
	char *out, *want;

	write_tmp("focus: [[], [], []]\n");
	diags_add(&diags, SEV_ERROR, tmpfile_path, 1, 9, NULL, "item");
	diags_add(&diags, SEV_ERROR, tmpfile_path, 1, 13, NULL, "item");
	diags_add(&diags, SEV_ERROR, tmpfile_path, 1, 17, "h", "item");
	diags_sort(&diags);
	out = print_to_string(&diags, true);
	want = xasprintf("%1$s:1:9: error: item\n"
			 "    focus: [[], [], []]\n"
			 "            ^\n"
			 "%1$s:1:13: error: item\n"
			 "%1$s:1:17: error: item\n"
			 "    hint: h\n"
			 "3 errors\n",
			 tmpfile_path);
	ck_assert_str_eq(out, want);
	free(want);
	free(out);
	unlink(tmpfile_path);
}
END_TEST

/* No byte of out is a control character other than newline and tab, and
 * no format character (U+200B-U+200F, U+2028-U+202E, U+2060-U+206F, U+FEFF,
 * C1) is in it. */
static void assert_clean(const char *out)
{
	const unsigned char *p;

	for (p = (const unsigned char *)out; *p; p++) {
		ck_assert_msg(*p >= 0x20 || *p == '\n' || *p == '\t', "raw control 0x%02x", *p);
		ck_assert_msg(*p != 0x7F, "raw DEL");
		if (p[0] == 0xC2)
			ck_assert_msg(p[1] < 0x80 || p[1] > 0x9F, "raw C1 control");
		if (p[0] == 0xE2 && p[1] == 0x80)
			ck_assert_msg(!(p[2] >= 0x8B && p[2] <= 0x8F) && !(p[2] >= 0xA8 && p[2] <= 0xAE),
				      "raw format character");
		if (p[0] == 0xE2 && p[1] == 0x81)
			ck_assert_msg(!(p[2] >= 0xA0 && p[2] <= 0xAF), "raw format character");
		ck_assert_msg(!(p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF), "raw BOM");
	}
}

START_TEST(controls_are_escaped)
{
	char *out, *want;

	write_tmp("name: \"Bra\x1b[31msov\a\"\norigin: a\xE2\x80\xAE" "b\xC2\x85" "c\x7f\n");
	diags_add(&diags, SEV_ERROR, tmpfile_path, 1, 11, "write \x1b[0m", "bad 'Bra\x1b[31msov\a'");
	diags_add(&diags, SEV_WARNING, tmpfile_path, 2, 12, NULL,
		  "format character in 'a\xE2\x80\xAE" "b\xC2\x85\xff'");
	diags_add(&diags, SEV_ERROR, "evil\x1b]0;title\a.yaml", 0, 0, NULL, "x\ty");
	diags_sort(&diags);
	out = print_to_string(&diags, true);
	assert_clean(out);
	want = xasprintf("%1$s:1:11: error: bad 'Bra\\x1b[31msov\\x07'\n"
			 "    name: \"Bra\\x1b[31msov\\x07\"\n"
			 "              ^\n"
			 "    hint: write \\x1b[0m\n"
			 "%1$s:2:12: warning: format character in 'a\\u202eb\\u0085\\xff'\n"
			 "    origin: a\\u202eb\\u0085c\\x7f\n"
			 "                    ^\n",
			 tmpfile_path);
	ck_assert_ptr_nonnull(strstr(out, "evil\\x1b]0;title\\x07.yaml: error: x\\ty\n"));
	ck_assert_ptr_nonnull(strstr(out, want));
	free(want);
	free(out);
	unlink(tmpfile_path);
}
END_TEST

START_TEST(long_line_is_a_window)
{
	/* An 80 000-character line with a diagnostic at column 40 000: a
	 * window of DIAG_WINDOW characters around the caret, cut ends marked. */
	struct buf text = BUF_INIT, line = BUF_INIT, copy = BUF_INIT;
	char *out;
	size_t at, len, caret;
	int i;

	buf_adds(&text, "focus: [");
	for (i = 0; i < 20000; i++)
		buf_addf(&text, "%s%03d", i ? ", " : "", i % 1000);
	buf_adds(&text, "]\n");
	write_tmp(text.ptr);
	diags_add(&diags, SEV_ERROR, tmpfile_path, 1, 40000, NULL, "here");
	diags_add(&diags, SEV_ERROR, tmpfile_path, 2, 1, NULL, "short");
	out = print_to_string(&diags, true);
	ck_assert_uint_lt(strlen(out), 3 * DIAG_WINDOW + 200);
	/* (A copy: GCC takes print_to_string's result for a dangling pointer.) */
	buf_adds(&copy, out);
	ck_assert_ptr_nonnull(strstr(copy.ptr, "\n    ..."));
	/* The caret sits under the character at column 40 000. */
	at = (size_t)(strstr(copy.ptr, "\n    ...") - copy.ptr) + 1;
	len = strcspn(copy.ptr + at, "\n");
	buf_add(&line, copy.ptr + at, len);
	caret = strcspn(copy.ptr + at + len + 1, "^");
	ck_assert_uint_eq(caret, strlen("    ...") + DIAG_WINDOW / 3);
	ck_assert_uint_eq(line.len, strlen("    ......") + DIAG_WINDOW);
	ck_assert(line.ptr[caret] == text.ptr[39999]);
	buf_release(&line);
	buf_release(&copy);
	buf_release(&text);
	free(out);
	unlink(tmpfile_path);
}
END_TEST

START_TEST(fifo_source_is_not_read)
{
	/* A FIFO where a content file was: the report is printed at once,
	 * without its line. */
	char *err = NULL, *path = tempdir_create("diag-fifo", &err);
	char *out;

	ck_assert_ptr_nonnull(path);
	{
		char *fifo = xasprintf("%s/p.yaml", path);
		ck_assert_int_eq(mkfifo(fifo, 0600), 0);
		diags_add(&diags, SEV_ERROR, fifo, 1, 1, NULL, "not a regular file");
		out = print_to_string(&diags, true);
		ck_assert_ptr_null(strstr(out, "    ^"));
		unlink(fifo);
		free(fifo);
	}
	ck_assert_int_eq(tempdir_remove(path), 0);
	free(path);
	free(out);
}
END_TEST

START_TEST(error_page_bounded_and_escaped)
{
	/* serve's error page lists what the terminal prints in full, no more,
	 * with control and format characters escaped, then says how many
	 * more there are; the count in its heading is all of them. */
	struct buf page = BUF_INIT;
	const unsigned char *p;
	int i;

	for (i = 1; i <= 30; i++)
		diags_add(&diags, SEV_ERROR, "c/evil\x1b[2J.yaml", i, 1, "write \xE2\x80\xAE",
			  "bad 'Bra\x1b[31msov\a' %d", i);
	diags_sort(&diags);
	errorpage_render(&page, &diags, "c\x1b]0;x\a");
	for (p = (const unsigned char *)page.ptr; *p; p++) {
		ck_assert_msg(*p >= 0x20 || *p == '\n' || *p == '\t', "raw control 0x%02x", *p);
		ck_assert_msg(!(p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xAE), "raw U+202E");
	}
	ck_assert_ptr_nonnull(strstr(page.ptr, "class=\"error\">30 errors</h2>"));
	ck_assert_ptr_nonnull(strstr(page.ptr, "Bra\\x1b[31msov\\x07"));
	ck_assert_ptr_nonnull(strstr(page.ptr, "\\u202e"));
	ck_assert_uint_eq(count_lines(page.ptr, "<li class=\"diagnostic\">"), 20);
	ck_assert_ptr_nonnull(strstr(page.ptr, "10 more diagnostics not listed"));
	buf_release(&page);
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
	tcase_add_test(t, run_limit);
	tcase_add_test(t, notes_go_with_their_parent);
	tcase_add_test(t, source_line_once);
	tcase_add_test(t, controls_are_escaped);
	tcase_add_test(t, long_line_is_a_window);
	tcase_add_test(t, fifo_source_is_not_read);
	tcase_add_test(t, error_page_bounded_and_escaped);
	tcase_set_timeout(t, 20);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return run_suite(diag_suite());
}

/*
 * test_template_replay: the template fuzz harness (tests/fuzz/fuzz_template.c,
 * compiled here as an ordinary function) on every seed of
 * tests/fuzz/corpus-template and every kept crash tests/fuzz/regressions/
 * template-*, so they are replayed on every run -- under ASan, UBSan and
 * LeakSanitizer in the sanitizer builds -- without clang or libFuzzer.
 */
#include <check.h>
#include <dirent.h>

#define LLVMFuzzerTestOneInput fuzz_template_one
#include "../fuzz/fuzz_template.c"
#undef LLVMFuzzerTestOneInput

#include "load/loader.h"

static size_t replay(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d))) {
		char *path, *text;
		size_t len;

		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
		    strstr(de->d_name, ".md"))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		text = load_read_file(path, 4 * LOAD_MAX_FILE, &len);
		ck_assert_msg(text != NULL, "cannot read %s", path);
		ck_assert_int_eq(fuzz_template_one((const uint8_t *)text, len), 0);
		/* The seeds that are the bundled templates build the whole site;
		 * the exploding one is refused at the harness's 1 MiB bound. */
		if (!strcmp(de->d_name, "index-bundled") || !strcmp(de->d_name, "index-and-summary") ||
		    !strcmp(de->d_name, "i18n-bundled"))
			ck_assert_msg(fuzz_tpl_last > 10, "%s built %d files", de->d_name, fuzz_tpl_last);
		if (!strcmp(de->d_name, "exploding") || !strcmp(de->d_name, "i18n-broken") ||
		    !strcmp(de->d_name, "unclosed"))
			ck_assert_msg(fuzz_tpl_last == -1, "%s was not refused", de->d_name);
		free(text);
		free(path);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(replay_template_corpus)
{
	ck_assert_uint_ge(replay("tests/fuzz/corpus-template", ""), 10);
	replay("tests/fuzz/regressions", "template-");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("template replay");
	TCase *t = tcase_create("replay");
	SRunner *sr;
	int failed;

	tcase_add_test(t, replay_template_corpus);
	tcase_set_timeout(t, 120);
	suite_add_tcase(s, t);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * test_fuzz_replay: run the fuzz harness (tests/fuzz/fuzz_load.c, compiled
 * here as an ordinary function) on every seed of tests/fuzz/corpus and every
 * kept crash of tests/fuzz/regressions, so they are replayed on every test
 * run -- under AddressSanitizer and UBSan in the debug preset -- without
 * clang or libFuzzer.
 */
#include <dirent.h>

#include "../fuzz/fuzz_load.c"
#include "unit.h"

static size_t replay_folder(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d))) {
		char *path;
		char *text;
		size_t len;

		if (de->d_name[0] == '.' || strstr(de->d_name, ".md"))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		/* Read past the loader's limit, so over-long inputs are replayed too. */
		text = load_read_file(path, 4 * LOAD_MAX_FILE, &len);
		ck_assert_msg(text != NULL, "cannot read %s", path);
		ck_assert_int_eq(LLVMFuzzerTestOneInput((const uint8_t *)text, len), 0);
		free(text);
		free(path);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(replay_corpus)
{
	ck_assert_uint_gt(replay_folder("tests/fuzz/corpus"), 10);
}
END_TEST

START_TEST(replay_regressions)
{
	replay_folder("tests/fuzz/regressions");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fuzz_replay");
	TCase *t = tcase_create("replay");

	tcase_add_test(t, replay_corpus);
	tcase_add_test(t, replay_regressions);
	tcase_set_timeout(t, 60);
	suite_add_tcase(s, t);
	return run_suite(s);
}

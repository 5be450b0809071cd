/*
 * test_fuzz_replay: run the fuzz harnesses (tests/fuzz/fuzz_load.c and
 * fuzz_content.c, compiled here as ordinary functions) on every seed of
 * their corpora and every kept crash of tests/fuzz/regressions, so they are
 * replayed on every test run -- under AddressSanitizer and UBSan in the
 * debug preset -- without clang or libFuzzer.
 */
#include <dirent.h>

#include "unit.h"

/* Each harness defines LLVMFuzzerTestOneInput: give them their own names. */
#define LLVMFuzzerTestOneInput fuzz_load_one
#include "../fuzz/fuzz_load.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_content_one
#include "../fuzz/fuzz_content.c"
#undef LLVMFuzzerTestOneInput

typedef int (*harness_fn)(const uint8_t *data, size_t size);

/* Replay the files of dir whose names start with prefix ("" for all). */
static size_t replay_folder(const char *dir, const char *prefix, harness_fn run)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	ck_assert_msg(d != NULL, "cannot open %s", dir);
	while ((de = readdir(d))) {
		char *path;
		char *text;
		uint8_t *exact;
		size_t len;

		if (de->d_name[0] == '.' || strstr(de->d_name, ".md") ||
		    strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		/* Read past the loader's limit, so over-long inputs are replayed too. */
		text = load_read_file(path, 4 * LOAD_MAX_FILE, &len);
		ck_assert_msg(text != NULL, "cannot read %s", path);
		/* In a buffer of exactly its size, as libFuzzer passes it: no
		 * NUL after it hides a read past its end from AddressSanitizer. */
		exact = xmalloc(len ? len : 1);
		memcpy(exact, text, len);
		free(text);
		ck_assert_int_eq(run(exact, len), 0);
		free(exact);
		free(path);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(replay_load_corpus)
{
	ck_assert_uint_gt(replay_folder("tests/fuzz/corpus", "", fuzz_load_one), 10);
}
END_TEST

START_TEST(replay_content_corpus)
{
	ck_assert_uint_gt(replay_folder("tests/fuzz/corpus-content", "", fuzz_content_one), 10);
}
END_TEST

START_TEST(replay_regressions)
{
	replay_folder("tests/fuzz/regressions", "load-", fuzz_load_one);
	replay_folder("tests/fuzz/regressions", "content-", fuzz_content_one);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fuzz_replay");
	TCase *t = tcase_create("replay");

	tcase_add_test(t, replay_load_corpus);
	tcase_add_test(t, replay_content_corpus);
	tcase_add_test(t, replay_regressions);
	tcase_set_timeout(t, 120);
	suite_add_tcase(s, t);
	return run_suite(s);
}

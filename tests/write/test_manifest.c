/* Unit tests of write/manifest: SHA256SUMS written, parsed and verified. */
#include "testdir.h"

#include <stdbool.h>

#include "write/manifest.h"

/* SHA-256 of "abc" and of "" (FIPS 180-2 test vectors). */
#define SHA_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void make_tree(const char *dir)
{
	char *sub = td_path(dir, "partners");

	ck_assert_int_eq(mkdir(sub, 0755), 0);
	free(sub);
	td_write(dir, "index.html", "abc");
	td_write(dir, "empty.txt", "");
	td_write(dir, "partners/brasov.html", "brasov\n");
	td_write(dir, ".hidden", "h\n");
}

START_TEST(scan_and_format)
{
	char *dir = td_make(), *err = NULL, *out;
	struct manifest m;
	struct buf text = BUF_INIT;

	make_tree(dir);
	manifest_init(&m);
	ck_assert_msg(manifest_scan(&m, dir, &err) == 0, "%s", err);
	ck_assert_uint_eq(m.n, 4);
	manifest_format(&m, &text);
	ck_assert_ptr_nonnull(strstr(text.ptr, SHA_ABC "  index.html\n"));
	ck_assert_ptr_nonnull(strstr(text.ptr, SHA_EMPTY "  empty.txt\n"));
	/* Sorted by byte order: ".hidden" < "empty.txt" < "index.html" < "partners/...". */
	ck_assert_ptr_eq(strstr(text.ptr, "  .hidden\n"), text.ptr + 64);
	ck_assert(strstr(text.ptr, "empty.txt") < strstr(text.ptr, "index.html"));
	ck_assert(strstr(text.ptr, "index.html") < strstr(text.ptr, "partners/brasov.html"));
	td_write(dir, "SHA256SUMS", text.ptr);
	ck_assert_int_eq(td_sh(dir, "sha256sum -c --strict SHA256SUMS", &out), 0);
	free(out);
	/* A scan leaves SHA256SUMS itself out. */
	manifest_release(&m);
	ck_assert_int_eq(manifest_scan(&m, dir, &err), 0);
	ck_assert_uint_eq(m.n, 4);
	ck_assert_ptr_null(manifest_find(&m, "SHA256SUMS"));
	ck_assert_ptr_nonnull(manifest_find(&m, "partners/brasov.html"));
	manifest_release(&m);
	buf_release(&text);
	td_remove(dir);
	free(dir);
}
END_TEST

START_TEST(scan_refuses_links)
{
	char *dir = td_make(), *link = td_path(dir, "link"), *err = NULL;
	struct manifest m;

	make_tree(dir);
	ck_assert_int_eq(symlink("index.html", link), 0);
	manifest_init(&m);
	ck_assert_int_eq(manifest_scan(&m, dir, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "link: not a regular file"));
	free(err);
	manifest_release(&m);
	td_remove(dir);
	free(link);
	free(dir);
}
END_TEST

START_TEST(parse_round_trip)
{
	const char *text = SHA_ABC "  index.html\n" SHA_EMPTY " *bin/file\n"
			   "\\" SHA_ABC "  back\\\\slash\\nnewline\n" SHA_ABC "  ./dot.html\n";
	struct manifest m;
	char *err = NULL;

	manifest_init(&m);
	ck_assert_msg(manifest_parse(&m, "S", text, strlen(text), &err) == 0, "%s", err);
	ck_assert_uint_eq(m.n, 4);
	ck_assert_ptr_nonnull(manifest_find(&m, "index.html"));
	ck_assert_ptr_nonnull(manifest_find(&m, "bin/file"));
	ck_assert_ptr_nonnull(manifest_find(&m, "back\\slash\nnewline"));
	ck_assert_ptr_nonnull(manifest_find(&m, "dot.html"));
	ck_assert_uint_eq(manifest_find(&m, "index.html")->digest[0], 0xba);
	manifest_release(&m);
	/* No final newline is fine too. */
	ck_assert_int_eq(manifest_parse(&m, "S", SHA_ABC "  a", strlen(SHA_ABC) + 3, &err), 0);
	ck_assert_uint_eq(m.n, 1);
	manifest_release(&m);
}
END_TEST

START_TEST(parse_errors)
{
	static const char *const bad[] = {
		"not a line\n",
		SHA_ABC " index.html\n",                   /* one space */
		SHA_ABC "\n",                              /* no name */
		"zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a\n",
		SHA_ABC "  ../outside\n",
		SHA_ABC "  /etc/passwd\n",
		SHA_ABC "  a/../../b\n",
		SHA_ABC "  a\n" SHA_ABC "  a\n",           /* twice */
		"SHA256 (a) = " SHA_ABC "\n",              /* BSD style: not ours */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct manifest m;
		char *err = NULL;

		manifest_init(&m);
		ck_assert_msg(manifest_parse(&m, "site/SHA256SUMS", bad[i], strlen(bad[i]), &err) == -1,
			      "accepted: %s", bad[i]);
		ck_assert_ptr_nonnull(strstr(err, "site/SHA256SUMS"));
		free(err);
		manifest_release(&m);
	}
}
END_TEST

START_TEST(unsafe_paths)
{
	ck_assert_ptr_null(manifest_unsafe_path("index.html"));
	ck_assert_ptr_null(manifest_unsafe_path("partners/a.html"));
	ck_assert_ptr_null(manifest_unsafe_path(".hidden/..x"));
	ck_assert_ptr_nonnull(manifest_unsafe_path(""));
	ck_assert_ptr_nonnull(manifest_unsafe_path("/a"));
	ck_assert_ptr_nonnull(manifest_unsafe_path("a/"));
	ck_assert_ptr_nonnull(manifest_unsafe_path("a//b"));
	ck_assert_ptr_nonnull(manifest_unsafe_path(".."));
	ck_assert_ptr_nonnull(manifest_unsafe_path("a/./b"));
	ck_assert_ptr_nonnull(manifest_unsafe_path("a\\b"));
	ck_assert_ptr_nonnull(manifest_unsafe_path("a\tb"));
}
END_TEST

/* Every byte inside a name, at its start and at its end: refused exactly
 * when it is a control character, DEL or a backslash (the reason says
 * "backslash", which manifest_parse() tells apart); '/' only splits. */
START_TEST(unsafe_path_every_byte)
{
	unsigned c;

	for (c = 1; c < 256; c++) {
		char mid[] = {'a', (char)c, 'b', '\0'}, first[] = {(char)c, 'b', '\0'},
		     last[] = {'x', '/', 'a', (char)c, '\0'};
		bool bad = c < 0x20 || c == 0x7f || c == '\\';
		const char *why = manifest_unsafe_path(mid);

		ck_assert_msg(bad == (why != NULL), "byte %u", c);
		if (bad) {
			ck_assert_str_eq(why, "backslash or control character in path");
			ck_assert_ptr_nonnull(manifest_unsafe_path(first));
			ck_assert_ptr_nonnull(manifest_unsafe_path(last));
		} else if (c != '/') {
			ck_assert_ptr_null(manifest_unsafe_path(first));
			ck_assert_ptr_null(manifest_unsafe_path(last));
		}
	}
}
END_TEST

/* Each digest byte written as two lowercase hex digits, in order. */
START_TEST(format_every_byte)
{
	struct manifest m;
	struct buf out = BUF_INIT, want = BUF_INIT;
	unsigned char digest[MANIFEST_DIGEST_SIZE];
	size_t i, j;

	manifest_init(&m);
	for (i = 0; i < 256 / MANIFEST_DIGEST_SIZE; i++) {
		char *path = xasprintf("f%zu", i);

		for (j = 0; j < MANIFEST_DIGEST_SIZE; j++)
			digest[j] = (unsigned char)(i * MANIFEST_DIGEST_SIZE + j);
		manifest_add(&m, path, digest);
		for (j = 0; j < MANIFEST_DIGEST_SIZE; j++)
			buf_addf(&want, "%02x", digest[j]);
		buf_addf(&want, "  %s\n", path);
		free(path);
	}
	manifest_format(&m, &out);
	ck_assert_str_eq(out.ptr, want.ptr);
	manifest_release(&m);
	buf_release(&out);
	buf_release(&want);
}
END_TEST

static void write_sums(const char *dir)
{
	char *out;

	ck_assert_int_eq(td_sh(dir, "find . -type f ! -name SHA256SUMS | sed 's|^\\./||' | "
				    "LC_ALL=C sort | xargs sha256sum > SHA256SUMS",
			       &out),
			 0);
	free(out);
}

START_TEST(verify_clean)
{
	char *dir = td_make(), *err = NULL;
	struct manifest_report r = {NULL, 0, 0, 0};

	make_tree(dir);
	write_sums(dir);
	ck_assert_msg(manifest_verify(dir, &r, &err) == 0, "%s", err);
	ck_assert_uint_eq(r.n, 0);
	ck_assert_uint_eq(r.verified, 4);
	manifest_report_release(&r);
	td_remove(dir);
	free(dir);
}
END_TEST

START_TEST(verify_finds_missing_changed_extra)
{
	char *dir = td_make(), *p, *err = NULL;
	struct manifest_report r = {NULL, 0, 0, 0};

	make_tree(dir);
	write_sums(dir);
	p = td_path(dir, "partners/brasov.html");
	ck_assert_int_eq(unlink(p), 0);
	free(p);
	td_write(dir, "index.html", "abd");
	td_write(dir, "partners/new.html", "new\n");
	td_write(dir, "zz.txt", "z\n");
	p = td_path(dir, "link");
	ck_assert_int_eq(symlink("index.html", p), 0);
	free(p);
	p = td_path(dir, "empty.txt");
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(symlink("index.html", p), 0);   /* no longer a regular file */
	free(p);

	ck_assert_msg(manifest_verify(dir, &r, &err) == 0, "%s", err);
	ck_assert_uint_eq(r.verified, 1);   /* .hidden */
	ck_assert_uint_eq(r.n, 6);
	ck_assert_str_eq(r.items[0].path, "empty.txt");
	ck_assert_int_eq(r.items[0].problem, MANIFEST_CHANGED);
	ck_assert_str_eq(r.items[1].path, "index.html");
	ck_assert_int_eq(r.items[1].problem, MANIFEST_CHANGED);
	ck_assert_str_eq(r.items[2].path, "link");
	ck_assert_int_eq(r.items[2].problem, MANIFEST_EXTRA);
	ck_assert_str_eq(r.items[3].path, "partners/brasov.html");
	ck_assert_int_eq(r.items[3].problem, MANIFEST_MISSING);
	ck_assert_str_eq(r.items[4].path, "partners/new.html");
	ck_assert_int_eq(r.items[4].problem, MANIFEST_EXTRA);
	ck_assert_str_eq(r.items[5].path, "zz.txt");
	ck_assert_int_eq(r.items[5].problem, MANIFEST_EXTRA);
	ck_assert_str_eq(manifest_problem_name(MANIFEST_MISSING), "missing");
	ck_assert_str_eq(manifest_problem_name(MANIFEST_CHANGED), "changed");
	ck_assert_str_eq(manifest_problem_name(MANIFEST_EXTRA), "extra");
	manifest_report_release(&r);
	td_remove(dir);
	free(dir);
}
END_TEST

START_TEST(verify_without_sums)
{
	char *dir = td_make(), *err = NULL, *missing;
	struct manifest_report r = {NULL, 0, 0, 0};

	make_tree(dir);
	ck_assert_int_eq(manifest_verify(dir, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "SHA256SUMS"));
	free(err);
	missing = td_path(dir, "nope");
	ck_assert_int_eq(manifest_verify(missing, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "nope"));
	free(err);
	free(missing);
	td_write(dir, "SHA256SUMS", SHA_ABC "  ../../etc/passwd\n");
	ck_assert_int_eq(manifest_verify(dir, &r, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "SHA256SUMS:1:"));
	free(err);
	manifest_report_release(&r);
	td_remove(dir);
	free(dir);
}
END_TEST

static Suite *manifest_suite(void)
{
	Suite *s = suite_create("manifest");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, scan_and_format);
	tcase_add_test(tc, unsafe_path_every_byte);
	tcase_add_test(tc, format_every_byte);
	tcase_add_test(tc, scan_refuses_links);
	tcase_add_test(tc, parse_round_trip);
	tcase_add_test(tc, parse_errors);
	tcase_add_test(tc, unsafe_paths);
	tcase_add_test(tc, verify_clean);
	tcase_add_test(tc, verify_finds_missing_changed_extra);
	tcase_add_test(tc, verify_without_sums);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(manifest_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

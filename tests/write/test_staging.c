/* Unit tests of write/staging: replacing an output folder whole. */
#include "testdir.h"

#include <nettle/sha2.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "model/content.h"
#include "render/site.h"
#include "write/fault.h"
#include "write/manifest.h"
#include "write/staging.h"

/* A version of a site: NULL-terminated pairs of path and content; a path
 * starting with '+' is appended in three pieces, interleaved with the
 * other streams. */
static const char *const v1[] = {
	"index.html", "<h1>v1</h1>\n",
	"partners/brasov.html", "brasov v1\n",
	"partners/shanghai.html", "shanghai v1\n",
	"assets/css/style.css", "body{}\n",
	"+print.html", "print v1 ",
	"+briefing.md", "# v1 ",
	NULL,
};

static const char *const v2[] = {
	"index.html", "<h1>v2</h1>\n",
	"partners/brasov.html", "brasov v2\n",
	"budget.html", "budget v2\n",
	"+print.html", "print v2 ",
	NULL,
};

static int render(struct staging *s, const char *const *files)
{
	struct output o = staging_output(s);
	int round, i;

	for (i = 0; files[i]; i += 2)
		if (files[i][0] != '+' &&
		    output_put(&o, files[i], files[i + 1], strlen(files[i + 1])) < 0)
			return -1;
	for (round = 0; round < 3; round++)
		for (i = 0; files[i]; i += 2)
			if (files[i][0] == '+' &&
			    output_append(&o, files[i] + 1, files[i + 1], strlen(files[i + 1])) < 0)
				return -1;
	return 0;
}

/* Stage files into out and commit; 0 or -1 with *err. */
static int publish(const char *out, unsigned flags, const char *const *files, char **err)
{
	struct staging *s = staging_begin(out, flags, err);

	if (!s)
		return -1;
	if (render(s, files) < 0) {
		*err = xstrdup(staging_error(s));
		staging_abort(s);
		return -1;
	}
	return staging_commit(s, err);
}

static void publish_ok(const char *out, unsigned flags, const char *const *files)
{
	char *err = NULL;

	ck_assert_msg(publish(out, flags, files, &err) == 0, "publish %s: %s", out, err);
	ck_assert_ptr_null(err);
}

/* The expected text of file i of a version. */
static char *expected(const char *const *files, int i)
{
	if (files[i][0] != '+')
		return xstrdup(files[i + 1]);
	return xasprintf("%s%s%s", files[i + 1], files[i + 1], files[i + 1]);
}

static void assert_version(const char *site, const char *const *files)
{
	int i;

	for (i = 0; files[i]; i += 2) {
		const char *rel = files[i][0] == '+' ? files[i] + 1 : files[i];
		char *got = td_read(site, rel), *want = expected(files, i);

		ck_assert_msg(got != NULL, "%s/%s missing", site, rel);
		ck_assert_str_eq(got, want);
		free(got);
		free(want);
	}
}

static void assert_sums_ok(const char *site)
{
	char *out;

	ck_assert_msg(td_sh(site, "sha256sum -c --strict SHA256SUMS", &out) == 0, "%s", out);
	free(out);
}

/* What the shell command got prints in site is what want prints. */
static void assert_sh_same(const char *site, const char *got_cmd, const char *want_cmd)
{
	char *got, *want;

	ck_assert_int_eq(td_sh(site, got_cmd, &got), 0);
	ck_assert_int_eq(td_sh(site, want_cmd, &want), 0);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
}

/* A listing with every file's digest and mode: equal listings, equal trees. */
static char *snapshot(const char *dir)
{
	char *out;

	td_sh(dir, "find . -printf '%p %m %y\\n' | LC_ALL=C sort; "
		   "find . -type f -exec sha256sum {} + | LC_ALL=C sort", &out);
	return out;
}

static void assert_no_leftovers(const char *dir, const char *name)
{
	char *staging = xasprintf(".%s.staging-", name), *old = xasprintf(".%s.old-", name);

	ck_assert_int_eq(td_count_prefix(dir, staging), 0);
	ck_assert_int_eq(td_count_prefix(dir, old), 0);
	free(staging);
	free(old);
}

START_TEST(new_folder)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL, *marker;
	struct staging *s = staging_begin(site, 0, &err);

	ck_assert_msg(s != NULL, "%s", err);
	ck_assert(!staging_replaces(s));
	ck_assert_int_eq(td_count_prefix(dir, ".site.staging-"), 1);
	ck_assert_int_eq(render(s, v1), 0);
	ck_assert_uint_eq(staging_count(s), 7);
	ck_assert_int_eq(staging_commit(s, &err), 0);
	assert_version(site, v1);
	assert_sums_ok(site);
	marker = td_read(site, STAGING_MARKER);
	ck_assert_ptr_nonnull(strstr(marker, "\nSHA256SUMS\nassets/css/style.css\nbriefing.md\n"
					     "index.html\npartners/brasov.html\n"
					     "partners/shanghai.html\nprint.html\n"));
	free(marker);
	assert_no_leftovers(dir, "site");
	ck_assert(!td_exists(dir, ".site.previous"));
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(sums_format)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *sums, *out;

	publish_ok(site, 0, v1);
	sums = td_read(site, "SHA256SUMS");
	/* Every file but SHA256SUMS itself, marker included, sorted. */
	ck_assert_ptr_null(strstr(sums, "  SHA256SUMS\n"));
	ck_assert_ptr_nonnull(strstr(sums, "  .briefgen-files\n"));
	ck_assert_int_eq(td_sh(site, "awk '{print $2}' SHA256SUMS | LC_ALL=C sort -c", &out), 0);
	free(out);
	ck_assert_int_eq(td_sh(site, "wc -l < SHA256SUMS", &out), 0);
	ck_assert_int_eq(atoi(out), 7);
	free(out);
	/* "<64 hex>  <path>": what sha256sum itself writes. */
	ck_assert_int_eq(td_sh(site, "sha256sum index.html", &out), 0);
	ck_assert_ptr_nonnull(strstr(sums, out));
	free(out);
	free(sums);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

/* The marker and SHA256SUMS list the files in byte order, sorted once for
 * both (the sort left out when they were put in order), each with the one
 * name of briefgen's own it lists merged in wherever that falls: before
 * every file, between them, after them, next to names it starts. */
START_TEST(own_names_in_order)
{
	static const char *const sets[][13] = {
		{"!a", "1", "0.html", "2", "A.html", "3", "Z", "4", "a", "5", NULL},   /* in order */
		{"a", "5", "Z", "4", "A.html", "3", "0.html", "2", "!a", "1", NULL},   /* reversed */
		{"!a", "1", NULL},
		{"zz", "1", "partners/b.html", "2", "partners/a.html", "3", NULL},
		{".briefgen", "1", ".briefgen-filesx", "2", "SHA", "3", "SHA256SUMSx", "4", NULL},
		{"SHA256SUMSx", "4", "SHA", "3", ".briefgen-filesx", "2", ".briefgen", "1", NULL},
	};
	size_t k;

	for (k = 0; k < sizeof(sets) / sizeof(*sets); k++) {
		char *dir = td_make(), *site = td_path(dir, "site");

		publish_ok(site, 0, sets[k]);
		assert_version(site, sets[k]);
		assert_sh_same(site, "tail -n +3 .briefgen-files",
			       "find . -type f ! -name .briefgen-files -printf '%P\\n' | LC_ALL=C sort");
		assert_sh_same(site, "cat SHA256SUMS",
			       "find . -type f ! -name SHA256SUMS -printf '%P\\n' | LC_ALL=C sort | "
			       "while read -r f; do sha256sum \"$f\"; done");
		td_remove(dir);
		free(site);
		free(dir);
	}
}
END_TEST

/* Many files, in many folders: each found again by its path after the
 * index of paths has grown several times (a second piece appended to
 * the file, not a new file begun). */
START_TEST(many_paths_found_again)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL, *got;
	struct staging *s = staging_begin(site, 0, &err);
	struct output o;
	int i, round;

	ck_assert_msg(s != NULL, "%s", err);
	o = staging_output(s);
	for (round = 0; round < 2; round++)
		for (i = 0; i < 200; i++) {
			char *path = xasprintf("d%d/f%d.txt", i % 37, i), *text = xasprintf("%d.%d ", i, round);

			ck_assert_int_eq(output_append(&o, path, text, strlen(text)), 0);
			free(path);
			free(text);
		}
	ck_assert_uint_eq(staging_count(s), 200 + 1);   /* and SHA256SUMS */
	ck_assert_int_eq(staging_commit(s, &err), 0);
	for (i = 0; i < 200; i += 9) {
		char *path = xasprintf("d%d/f%d.txt", i % 37, i), *want = xasprintf("%d.0 %d.1 ", i, i);

		got = td_read(site, path);
		ck_assert_str_eq(got, want);
		free(got);
		free(path);
		free(want);
	}
	assert_sums_ok(site);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(replace_removes_stale)
{
	char *dir = td_make(), *site = td_path(dir, "site");

	publish_ok(site, 0, v1);
	publish_ok(site, STAGING_SYNC, v2);
	assert_version(site, v2);
	assert_sums_ok(site);
	ck_assert(!td_exists(site, "partners/shanghai.html"));
	ck_assert(!td_exists(site, "briefing.md"));
	ck_assert(!td_exists(site, "assets"));
	ck_assert(!td_exists(dir, ".site.previous"));
	assert_no_leftovers(dir, "site");
	/* The folder as written without a trailing slash or with one. */
	{
		char *slash = xasprintf("%s/", site);

		publish_ok(slash, 0, v1);
		assert_version(site, v1);
		free(slash);
	}
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(keep_previous)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *prev = td_path(dir, ".site.previous");
	unsigned flags = STAGING_SYNC | STAGING_KEEP_PREVIOUS;

	publish_ok(site, flags, v1);
	ck_assert(!td_exists(dir, ".site.previous"));
	publish_ok(site, flags, v2);
	assert_version(site, v2);
	assert_version(prev, v1);
	publish_ok(site, flags, v1);
	assert_version(site, v1);
	assert_version(prev, v2);
	ck_assert(!td_exists(prev, "partners/shanghai.html"));
	assert_sums_ok(site);
	assert_sums_ok(prev);
	assert_no_leftovers(dir, "site");
	td_remove(dir);
	free(prev);
	free(site);
	free(dir);
}
END_TEST

START_TEST(relative_out)
{
	char *dir = td_make(), *cwd = getcwd(NULL, 0);

	ck_assert_int_eq(chdir(dir), 0);
	publish_ok("site", STAGING_KEEP_PREVIOUS, v1);
	publish_ok("site", STAGING_KEEP_PREVIOUS, v2);
	assert_version("site", v2);
	assert_version(".site.previous", v1);
	ck_assert_int_eq(chdir(cwd), 0);
	td_remove(dir);
	free(cwd);
	free(dir);
}
END_TEST

START_TEST(empty_folder_accepted)
{
	char *dir = td_make(), *site = td_path(dir, "site");

	ck_assert_int_eq(mkdir(site, 0755), 0);
	publish_ok(site, 0, v1);
	assert_version(site, v1);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(foreign_folder_refused)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL, *notes;
	struct staging *s;

	ck_assert_int_eq(mkdir(site, 0755), 0);
	td_write(site, "notes.txt", "mine\n");
	s = staging_begin(site, STAGING_SYNC | STAGING_KEEP_PREVIOUS, &err);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_ptr_nonnull(strstr(err, site));
	ck_assert_ptr_nonnull(strstr(err, "did not create"));
	ck_assert_ptr_nonnull(strstr(err, STAGING_MARKER));
	free(err);
	notes = td_read(site, "notes.txt");
	ck_assert_str_eq(notes, "mine\n");
	free(notes);
	assert_no_leftovers(dir, "site");
	/* Forced, the foreign folder becomes the previous version. */
	publish_ok(site, STAGING_KEEP_PREVIOUS | STAGING_FORCE, v1);
	assert_version(site, v1);
	ck_assert(!td_exists(site, "notes.txt"));
	ck_assert(td_exists(dir, ".site.previous/notes.txt"));
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(foreign_file_inside_refused)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL, *text, *before, *after;
	struct staging *s;

	publish_ok(site, 0, v1);
	td_write(site, "notes.txt", "mine\n");
	td_write(site, "partners/draft.html", "draft\n");
	{
		char *drafts = td_path(site, "drafts");

		ck_assert_int_eq(mkdir(drafts, 0755), 0);
		td_write(drafts, "a.txt", "a\n");
		free(drafts);
	}
	before = snapshot(site);
	s = staging_begin(site, 0, &err);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_ptr_nonnull(strstr(err, "'notes.txt'"));
	ck_assert_ptr_nonnull(strstr(err, "'partners/draft.html'"));
	ck_assert_ptr_nonnull(strstr(err, "'drafts/'"));
	ck_assert_ptr_nonnull(strstr(err, "3 files"));
	ck_assert_ptr_nonnull(strstr(err, "lost"));
	free(err);
	after = snapshot(site);
	ck_assert_str_eq(before, after);
	text = td_read(site, "notes.txt");
	ck_assert_str_eq(text, "mine\n");
	free(text);
	assert_no_leftovers(dir, "site");
	/* Forced: replaced, and gone without KEEP_PREVIOUS. */
	publish_ok(site, STAGING_FORCE, v2);
	assert_version(site, v2);
	ck_assert(!td_exists(site, "notes.txt"));
	assert_no_leftovers(dir, "site");
	free(before);
	free(after);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(not_a_folder_refused)
{
	char *dir = td_make(), *file = td_path(dir, "file"), *link = td_path(dir, "link"),
	     *err = NULL;

	td_write(dir, "file", "x");
	ck_assert_ptr_null(staging_begin(file, STAGING_FORCE, &err));
	ck_assert_int_ne(errno, EEXIST);
	ck_assert_ptr_nonnull(strstr(err, "not a folder"));
	free(err);
	ck_assert_int_eq(symlink(".", link), 0);
	ck_assert_ptr_null(staging_begin(link, STAGING_FORCE, &err));
	ck_assert_ptr_nonnull(strstr(err, "symbolic link"));
	free(err);
	ck_assert_ptr_null(staging_begin("/", 0, &err));
	free(err);
	ck_assert_ptr_null(staging_begin(".", 0, &err));
	free(err);
	ck_assert_ptr_null(staging_begin("..", 0, &err));
	free(err);
	{
		char *missing = td_path(dir, "no/such/site");

		ck_assert_ptr_null(staging_begin(missing, 0, &err));
		ck_assert_ptr_nonnull(strstr(err, "No such file"));
		free(err);
		free(missing);
	}
	assert_no_leftovers(dir, "file");
	assert_no_leftovers(dir, "link");
	td_remove(dir);
	free(file);
	free(link);
	free(dir);
}
END_TEST

START_TEST(modes_whatever_the_umask)
{
	/* 077 and 0 take away and add bits, which a fchmod must set right;
	 * under 022 and 002 files are created 0644 and it is left out. */
	static const mode_t masks[] = {077, 0, 022, 002};
	size_t k;

	for (k = 0; k < sizeof(masks) / sizeof(*masks); k++) {
		char *dir = td_make(), *site = td_path(dir, "site");
		char *prev = td_path(dir, ".site.previous");
		mode_t old = umask(masks[k]);

		publish_ok(site, STAGING_KEEP_PREVIOUS, v1);
		publish_ok(site, STAGING_KEEP_PREVIOUS, v1);
		umask(old);
		ck_assert_uint_eq(td_mode(dir, "site"), 0755);
		ck_assert_uint_eq(td_mode(site, "partners"), 0755);
		ck_assert_uint_eq(td_mode(site, "assets/css"), 0755);
		ck_assert_uint_eq(td_mode(site, "index.html"), 0644);
		ck_assert_uint_eq(td_mode(site, "partners/brasov.html"), 0644);
		ck_assert_uint_eq(td_mode(site, "print.html"), 0644);
		ck_assert_uint_eq(td_mode(site, "briefing.md"), 0644);
		ck_assert_uint_eq(td_mode(site, "assets/css/style.css"), 0644);
		ck_assert_uint_eq(td_mode(site, "SHA256SUMS"), 0644);
		ck_assert_uint_eq(td_mode(site, STAGING_MARKER), 0644);
		ck_assert_uint_eq(td_mode(prev, "index.html"), 0644);
		td_remove(dir);
		free(prev);
		free(site);
		free(dir);
	}
}
END_TEST

/* Appended pieces of every size, small ones gathered before they are
 * written, larger ones than the gathering buffer, two files interleaved:
 * each file holds its pieces in order and SHA256SUMS agrees. */
START_TEST(appends_in_pieces_of_any_size)
{
	static const size_t sizes[] = {1, 0, 100, 65535, 1, 65536, 3, 70000, 200000, 64 * 1024 - 7,
				       8, 131072, 5};
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL, *text;
	struct staging *s = staging_begin(site, 0, &err);
	struct output o = staging_output(s);
	struct buf want_a = BUF_INIT, want_b = BUF_INIT, piece = BUF_INIT;
	size_t i, k;

	ck_assert_msg(s != NULL, "%s", err);
	for (i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		buf_reset(&piece);
		for (k = 0; k < sizes[i]; k++)
			buf_addc(&piece, (char)('a' + (i * 7 + k) % 26));
		ck_assert_int_eq(output_append(&o, "a.html", piece.ptr, piece.len), 0);
		buf_add(&want_a, piece.ptr, piece.len);
		/* b gets the pieces in the other order */
		buf_reset(&piece);
		for (k = 0; k < sizes[sizeof(sizes) / sizeof(*sizes) - 1 - i]; k++)
			buf_addc(&piece, (char)('A' + (i + k) % 26));
		ck_assert_int_eq(output_append(&o, "b.md", piece.ptr, piece.len), 0);
		buf_add(&want_b, piece.ptr, piece.len);
	}
	ck_assert_int_eq(staging_commit(s, &err), 0);
	text = td_read(site, "a.html");
	ck_assert_uint_eq(strlen(text), want_a.len);
	ck_assert(!strcmp(text, want_a.ptr));
	free(text);
	text = td_read(site, "b.md");
	ck_assert_uint_eq(strlen(text), want_b.len);
	ck_assert(!strcmp(text, want_b.ptr));
	free(text);
	assert_sums_ok(site);
	buf_release(&want_a);
	buf_release(&want_b);
	buf_release(&piece);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

/* A digest handed with the data (output.h, put_digest: computed by the
 * thread that rendered the page) is the one SHA256SUMS lists: it is not
 * computed again.  Here it is deliberately not the data's, which only this
 * test may do; every build's SHA256SUMS is checked against its files. */
START_TEST(digest_given_is_listed)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL, *sums;
	struct staging *s = staging_begin(site, 0, &err);
	struct output o = staging_output(s);
	unsigned char digest[OUTPUT_DIGEST_SIZE];
	size_t i;

	ck_assert_msg(s != NULL, "%s", err);
	ck_assert_ptr_nonnull(o.put_digest);
	for (i = 0; i < sizeof(digest); i++)
		digest[i] = (unsigned char)(0xa0 + i);
	ck_assert_int_eq(output_put_digest(&o, "given.html", "hello\n", 6, digest), 0);
	ck_assert_int_eq(output_put(&o, "computed.html", "hello\n", 6), 0);
	ck_assert_int_eq(staging_commit(s, &err), 0);
	sums = td_read(site, "SHA256SUMS");
	ck_assert_msg(strstr(sums, "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
				   "  given.html\n") != NULL, "%s", sums);
	/* sha256sum of "hello\n" */
	ck_assert_msg(strstr(sums, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
				   "  computed.html\n") != NULL, "%s", sums);
	free(sums);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

/* A failed write of gathered pieces fails the commit, naming the file,
 * and leaves nothing behind. */
START_TEST(gathered_write_failure)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL;
	struct staging *s;
	struct output o;

	setenv("BRIEFGEN_FAULT", "write:1", 1);
	fault_reset();
	s = staging_begin(site, 0, &err);
	ck_assert_msg(s != NULL, "%s", err);
	o = staging_output(s);
	/* Small pieces: gathered, so nothing fails yet. */
	ck_assert_int_eq(output_append(&o, "print.html", "abc", 3), 0);
	ck_assert_int_eq(output_append(&o, "print.html", "def", 3), 0);
	ck_assert_int_eq(staging_commit(s, &err), -1);
	unsetenv("BRIEFGEN_FAULT");
	fault_reset();
	ck_assert_ptr_nonnull(strstr(err, "print.html: write: No space"));
	free(err);
	ck_assert(!td_exists(dir, "site"));
	assert_no_leftovers(dir, "site");
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(unsafe_paths_refused)
{
	static const char *const bad[] = {
		"/etc/passwd", "../escape.html", "a/../../b", "a//b", "./a", "a/./b", "", "a/",
		"back\\slash", "new\nline", "SHA256SUMS", ".briefgen-files", "..",
	};
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct staging *s = staging_begin(site, 0, &err);
		struct output o;

		ck_assert_msg(s != NULL, "%s", err);
		o = staging_output(s);
		ck_assert_msg(output_put(&o, bad[i], "x", 1) < 0, "accepted '%s'", bad[i]);
		ck_assert_ptr_nonnull(staging_error(s));
		/* Later calls fail too, and so does the commit. */
		ck_assert_int_lt(output_put(&o, "ok.html", "x", 1), 0);
		ck_assert_int_eq(staging_commit(s, &err), -1);
		ck_assert_ptr_nonnull(err);
		free(err);
		err = NULL;
		ck_assert(!td_exists(dir, "site"));
		assert_no_leftovers(dir, "site");
	}
	ck_assert_int_eq(td_sh(dir, "ls -A | wc -l", &err), 0);
	ck_assert_int_eq(atoi(err), 0);
	free(err);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(put_and_append_do_not_mix)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL, *text;
	struct staging *s = staging_begin(site, 0, &err);
	struct output o = staging_output(s);

	ck_assert_int_eq(output_put(&o, "a.html", "one", 3), 0);
	ck_assert_int_eq(output_put(&o, "a.html", "two", 3), 0);   /* replaces */
	ck_assert_int_eq(output_append(&o, "b.md", "x", 1), 0);
	ck_assert_int_eq(output_append(&o, "b.md", "", 0), 0);
	ck_assert_int_eq(output_put(&o, "c.md", "", 0), 0);         /* empty file */
	ck_assert_int_lt(output_put(&o, "b.md", "y", 1), 0);
	ck_assert_ptr_nonnull(strstr(staging_error(s), "b.md"));
	staging_abort(s);
	ck_assert(!td_exists(dir, "site"));
	assert_no_leftovers(dir, "site");

	s = staging_begin(site, 0, &err);
	o = staging_output(s);
	ck_assert_int_eq(output_put(&o, "a.html", "one", 3), 0);
	ck_assert_int_eq(output_put(&o, "a.html", "two", 3), 0);
	ck_assert_int_eq(output_append(&o, "b.md", "x", 1), 0);
	ck_assert_int_eq(output_put(&o, "c.md", "", 0), 0);
	ck_assert_uint_eq(staging_count(s), 4);
	ck_assert_int_eq(staging_commit(s, &err), 0);
	text = td_read(site, "a.html");
	ck_assert_str_eq(text, "two");
	free(text);
	text = td_read(site, "c.md");
	ck_assert_str_eq(text, "");
	free(text);
	assert_sums_ok(site);
	staging_abort(NULL);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

static void collect(void *ud, const char *msg)
{
	struct buf *b = ud;

	buf_adds(b, msg);
	buf_addc(b, '\n');
}

START_TEST(fallback_warns)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *prev = td_path(dir, ".site.previous"),
	     *err = NULL;
	unsigned flags = STAGING_SYNC | STAGING_KEEP_PREVIOUS;
	struct buf warnings = BUF_INIT;
	struct staging *s;

	publish_ok(site, flags, v1);
	setenv("BRIEFGEN_NO_EXCHANGE", "1", 1);
	fault_reset();
	s = staging_begin(site, flags, &err);
	staging_set_warning(s, collect, &warnings);
	ck_assert_int_eq(render(s, v2), 0);
	ck_assert_int_eq(staging_commit(s, &err), 0);
	ck_assert_ptr_nonnull(strstr(warnings.ptr, "two renames"));
	assert_version(site, v2);
	assert_version(prev, v1);
	/* And without keeping the previous version. */
	buf_reset(&warnings);
	s = staging_begin(site, 0, &err);
	staging_set_warning(s, collect, &warnings);
	ck_assert_int_eq(render(s, v1), 0);
	ck_assert_int_eq(staging_commit(s, &err), 0);
	ck_assert_ptr_nonnull(strstr(warnings.ptr, "two renames"));
	assert_version(site, v1);
	assert_no_leftovers(dir, "site");
	/* With the exchange available there is no warning. */
	unsetenv("BRIEFGEN_NO_EXCHANGE");
	fault_reset();
	buf_reset(&warnings);
	s = staging_begin(site, flags, &err);
	staging_set_warning(s, collect, &warnings);
	ck_assert_int_eq(render(s, v2), 0);
	ck_assert_int_eq(staging_commit(s, &err), 0);
	ck_assert_uint_eq(warnings.len, 0);
	buf_release(&warnings);
	td_remove(dir);
	free(prev);
	free(site);
	free(dir);
}
END_TEST

START_TEST(rollback_swaps)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *prev = td_path(dir, ".site.previous"),
	     *err = NULL, *a, *b;
	unsigned flags = STAGING_SYNC | STAGING_KEEP_PREVIOUS;
	int round;

	publish_ok(site, flags, v1);
	ck_assert_int_eq(staging_rollback(site, STAGING_SYNC, NULL, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no previous version"));
	free(err);
	err = NULL;
	publish_ok(site, flags, v2);
	a = snapshot(site);
	b = snapshot(prev);
	for (round = 0; round < 2; round++) {
		const char *env = round ? "1" : "0";
		char *x, *y;

		setenv("BRIEFGEN_NO_EXCHANGE", env, 1);
		fault_reset();
		ck_assert_msg(staging_rollback(site, STAGING_SYNC, NULL, NULL, &err) == 0, "%s", err);
		assert_version(site, v1);
		assert_version(prev, v2);
		x = snapshot(site);
		ck_assert_str_eq(x, b);
		free(x);
		ck_assert_msg(staging_rollback(site, STAGING_SYNC, NULL, NULL, &err) == 0, "%s", err);
		x = snapshot(site);
		y = snapshot(prev);
		ck_assert_str_eq(x, a);
		ck_assert_str_eq(y, b);
		free(x);
		free(y);
		assert_no_leftovers(dir, "site");
	}
	unsetenv("BRIEFGEN_NO_EXCHANGE");
	fault_reset();
	free(a);
	free(b);
	td_remove(dir);
	free(prev);
	free(site);
	free(dir);
}
END_TEST

START_TEST(leftovers_removed)
{
	char *dir = td_make(), *p;
	static const char *const names[] = {
		".site.staging-abc123", ".site.old-XYZ789", ".site.staging-toolong1", ".other.staging-abc123",
	};
	size_t i;

	for (i = 0; i < 4; i++) {
		p = td_path(dir, names[i]);
		ck_assert_int_eq(mkdir(p, 0755), 0);
		free(p);
	}
	p = td_path(dir, ".site.staging-abc123");
	td_write(p, "x.html", "x");
	free(p);
	p = td_path(dir, "site");
	ck_assert_uint_eq(staging_remove_leftovers(p), 2);
	free(p);
	ck_assert(!td_exists(dir, names[0]));
	ck_assert(!td_exists(dir, names[1]));
	ck_assert(td_exists(dir, names[2]));
	ck_assert(td_exists(dir, names[3]));
	td_remove(dir);
	free(dir);
}
END_TEST

START_TEST(sibling_names)
{
	char *err = NULL, *p;

	p = staging_sibling("a/b/site/", ".lock", &err);
	ck_assert_str_eq(p, "a/b/.site.lock");
	free(p);
	p = staging_sibling("site", ".previous", &err);
	ck_assert_str_eq(p, ".site.previous");
	free(p);
	p = staging_sibling("/srv/site", ".lock", &err);
	ck_assert_str_eq(p, "/srv/.site.lock");
	free(p);
	ck_assert_ptr_null(staging_sibling("/", ".lock", &err));
	free(err);
}
END_TEST

/*
 * Every wrapped I/O call of a replacement fails once, in turn: the commit
 * (or begin, or output) fails with a message, and the folder and its
 * previous version are exactly as before, with nothing left beside them.
 */
static void fault_every_call(unsigned flags, bool no_exchange)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *prev = td_path(dir, ".site.previous");
	char *before, *before_prev, *after, *err = NULL;
	unsigned long calls, k;

	publish_ok(site, flags, v1);
	publish_ok(site, flags, v2);
	before = snapshot(site);
	before_prev = snapshot(prev);

	if (no_exchange)
		setenv("BRIEFGEN_NO_EXCHANGE", "1", 1);
	unsetenv("BRIEFGEN_FAULT");
	fault_reset();
	/* Count the calls of a replacement that succeeds, then put v2 back. */
	publish_ok(site, flags, v1);
	calls = fault_calls();
	ck_assert_uint_gt(calls, 20);
	publish_ok(site, flags, v2);
	if (flags & STAGING_KEEP_PREVIOUS) {
		/* v2 with v1 as previous: the state we started from. */
		after = snapshot(prev);
		ck_assert_str_eq(after, before_prev);
		free(after);
	}
	after = snapshot(site);
	ck_assert_str_eq(after, before);
	free(after);

	for (k = 1; k <= calls + 1; k++) {
		char spec[32];
		int r;

		snprintf(spec, sizeof(spec), "any:%lu", k);
		setenv("BRIEFGEN_FAULT", spec, 1);
		fault_reset();
		r = publish(site, flags, v1, &err);
		if (k == calls + 1) {
			/* One past the last call: nothing fails. */
			ck_assert_msg(r == 0, "any:%lu: %s", k, err);
			break;
		}
		ck_assert_msg(r == -1, "%s: publish succeeded (flags %u)", spec, flags);
		ck_assert_msg(err && (strstr(err, "Input/output error") ||
				      strstr(err, "No space left on device")),
			      "%s: message '%s'", spec, err);
		free(err);
		err = NULL;
		after = snapshot(site);
		ck_assert_msg(!strcmp(after, before), "%s: site changed", spec);
		free(after);
		if (flags & STAGING_KEEP_PREVIOUS) {
			after = snapshot(prev);
			ck_assert_msg(!strcmp(after, before_prev), "%s: previous changed", spec);
			free(after);
		}
		assert_no_leftovers(dir, "site");
	}
	unsetenv("BRIEFGEN_FAULT");
	unsetenv("BRIEFGEN_NO_EXCHANGE");
	fault_reset();
	free(before);
	free(before_prev);
	td_remove(dir);
	free(prev);
	free(site);
	free(dir);
}

START_TEST(faults_publish_exchange)
{
	fault_every_call(STAGING_SYNC | STAGING_KEEP_PREVIOUS, false);
}
END_TEST

START_TEST(faults_publish_two_renames)
{
	fault_every_call(STAGING_SYNC | STAGING_KEEP_PREVIOUS, true);
}
END_TEST

START_TEST(faults_build_exchange)
{
	fault_every_call(0, false);
}
END_TEST

START_TEST(faults_build_two_renames)
{
	fault_every_call(0, true);
}
END_TEST

START_TEST(faults_rollback)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *prev = td_path(dir, ".site.previous");
	char *a, *b, *x, *err = NULL;
	unsigned flags = STAGING_SYNC | STAGING_KEEP_PREVIOUS;
	int round;

	publish_ok(site, flags, v1);
	publish_ok(site, flags, v2);
	a = snapshot(site);
	b = snapshot(prev);
	for (round = 0; round < 2; round++) {
		unsigned long calls, k;

		setenv("BRIEFGEN_NO_EXCHANGE", round ? "1" : "0", 1);
		unsetenv("BRIEFGEN_FAULT");
		fault_reset();
		ck_assert_int_eq(staging_rollback(site, STAGING_SYNC, NULL, NULL, &err), 0);
		calls = fault_calls();
		ck_assert_int_eq(staging_rollback(site, STAGING_SYNC, NULL, NULL, &err), 0);
		for (k = 1; k <= calls; k++) {
			char spec[32];

			snprintf(spec, sizeof(spec), "any:%lu", k);
			setenv("BRIEFGEN_FAULT", spec, 1);
			fault_reset();
			ck_assert_int_eq(staging_rollback(site, STAGING_SYNC, NULL, NULL, &err), -1);
			ck_assert_ptr_nonnull(strstr(err, "Input/output error"));
			free(err);
			err = NULL;
			x = snapshot(site);
			ck_assert_msg(!strcmp(x, a), "%s: site changed", spec);
			free(x);
			x = snapshot(prev);
			ck_assert_msg(!strcmp(x, b), "%s: previous changed", spec);
			free(x);
			assert_no_leftovers(dir, "site");
		}
	}
	unsetenv("BRIEFGEN_FAULT");
	unsetenv("BRIEFGEN_NO_EXCHANGE");
	fault_reset();
	free(a);
	free(b);
	td_remove(dir);
	free(prev);
	free(site);
	free(dir);
}
END_TEST

START_TEST(fault_spec_by_kind)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL;
	static const char *const specs[] = {"write:1", "fsync:2", "rename:1", "mkdir:1",
					    "chmod:3", "close:4", "open:2"};
	size_t i;

	for (i = 0; i < sizeof(specs) / sizeof(*specs); i++) {
		setenv("BRIEFGEN_FAULT", specs[i], 1);
		fault_reset();
		ck_assert_int_eq(publish(site, STAGING_SYNC, v1, &err), -1);
		ck_assert_ptr_nonnull(strstr(err, specs[i][0] == 'w' ? "write: No space" : ": "));
		free(err);
		err = NULL;
		ck_assert(!td_exists(dir, "site"));
		assert_no_leftovers(dir, "site");
	}
	/* Nonsense specs inject nothing. */
	setenv("BRIEFGEN_FAULT", "bogus:1", 1);
	fault_reset();
	publish_ok(site, STAGING_SYNC, v1);
	unsetenv("BRIEFGEN_FAULT");
	fault_reset();
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

/* When undoing a failed swap fails too, nothing may be removed: every
 * version is still on disk and the message says where. */
START_TEST(failed_undo_removes_nothing)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL, *out;
	unsigned flags = STAGING_SYNC | STAGING_KEEP_PREVIOUS;

	publish_ok(site, flags, v1);
	publish_ok(site, flags, v2);
	/* Rename 1 sets the older previous aside, 2 is the exchange, 3 (the
	 * replaced version to .site.previous) fails, and so does undoing. */
	setenv("BRIEFGEN_FAULT", "rename:3+", 1);
	fault_reset();
	ck_assert_int_eq(publish(site, flags, v1, &err), -1);
	unsetenv("BRIEFGEN_FAULT");
	fault_reset();
	ck_assert_ptr_nonnull(strstr(err, "could not undo"));
	ck_assert_ptr_nonnull(strstr(err, ".site.*"));
	free(err);
	assert_version(site, v1);   /* the swap itself had happened */
	ck_assert_int_eq(td_count_prefix(dir, ".site.staging-"), 1);   /* holds v2 */
	ck_assert_int_eq(td_count_prefix(dir, ".site.old-"), 1);       /* holds v1 */
	ck_assert_int_eq(td_sh(dir, "cat .site.staging-*/index.html .site.old-*/index.html", &out), 0);
	ck_assert_str_eq(out, "<h1>v2</h1>\n<h1>v1</h1>\n");
	free(out);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

/* ---- writing ahead (output.h, write_ahead and put_written) ---- */

static void sha256_of(const char *data, unsigned char digest[OUTPUT_DIGEST_SIZE])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(data), (const uint8_t *)data);
	sha256_digest(&ctx, OUTPUT_DIGEST_SIZE, digest);
}

/* Stage index.html and partners/a.html with put, then partners/b.html
 * with put_digest, or (ahead) with write_ahead and put_written. */
static struct staging *stage_pages(const char *site, unsigned flags, bool ahead, int *ahead_rc)
{
	char *err = NULL;
	struct staging *s = staging_begin(site, flags, &err);
	struct output o;
	unsigned char digest[OUTPUT_DIGEST_SIZE];

	ck_assert_msg(s != NULL, "%s", err);
	o = staging_output(s);
	ck_assert_ptr_nonnull(o.write_ahead);
	ck_assert_ptr_nonnull(o.put_written);
	/* Nothing written ahead before the first file says how files are made. */
	ck_assert_int_eq(o.write_ahead(o.ctx, "early.html", "x", 1), -1);
	ck_assert_int_eq(output_put(&o, "index.html", "<h1>index</h1>\n", 15), 0);
	ck_assert_int_eq(output_put(&o, "partners/a.html", "a\n", 2), 0);
	sha256_of("page b\n", digest);
	if (ahead) {
		*ahead_rc = o.write_ahead(o.ctx, "partners/b.html", "page b\n", 7);
		if (*ahead_rc == 0)
			ck_assert_int_eq(o.put_written(o.ctx, "partners/b.html", 7, digest), 0);
		else
			ck_assert_int_eq(output_put_digest(&o, "partners/b.html", "page b\n", 7,
							   digest), 0);
	} else {
		ck_assert_int_eq(output_put_digest(&o, "partners/b.html", "page b\n", 7, digest),
				 0);
	}
	return s;
}

/* write_ahead then put_written: the same folder, SHA256SUMS and marker as
 * put_digest. */
START_TEST(written_ahead_same_as_put)
{
	char *dir = td_make(), *a = td_path(dir, "a"), *b = td_path(dir, "b"), *err = NULL;
	char *sa, *sb;
	mode_t old = umask(022);
	struct staging *s;
	int rc = 1;

	unsetenv("BRIEFGEN_FAULT");
	fault_reset();
	s = stage_pages(a, 0, true, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(staging_written_ahead(s), 1);
	{
		/* A folder not made yet: refused, nothing recorded. */
		struct output o = staging_output(s);

		ck_assert_int_eq(o.write_ahead(o.ctx, "new/x.html", "x", 1), -1);
		ck_assert_ptr_null(staging_error(s));
	}
	ck_assert_int_eq(staging_commit(s, &err), 0);
	s = stage_pages(b, 0, false, &rc);
	ck_assert_uint_eq(staging_written_ahead(s), 0);
	ck_assert_int_eq(staging_commit(s, &err), 0);
	umask(old);
	sa = snapshot(a);
	sb = snapshot(b);
	ck_assert_str_eq(sa, sb);
	assert_sums_ok(a);
	free(sa);
	free(sb);
	td_remove(dir);
	free(a);
	free(b);
	free(dir);
}
END_TEST

/* Refused under STAGING_SYNC, with fault.h active, and when files need a
 * chmod: the build's thread then writes the file as before. */
START_TEST(write_ahead_refused)
{
	char *dir = td_make(), *site = td_path(dir, "site");
	static const mode_t masks[] = {022, 077};
	static const char *const faults[] = {NULL, "count", "write:99"};
	size_t m, f;
	unsigned flags;

	for (m = 0; m < 2; m++)
		for (f = 0; f < 3; f++)
			for (flags = 0; flags <= STAGING_SYNC; flags += STAGING_SYNC) {
				mode_t old = umask(masks[m]);
				bool allowed = masks[m] == 022 && !faults[f] && !flags;
				struct staging *s;
				int rc = 1;

				if (faults[f])
					setenv("BRIEFGEN_FAULT", faults[f], 1);
				else
					unsetenv("BRIEFGEN_FAULT");
				fault_reset();
				s = stage_pages(site, flags, true, &rc);
				umask(old);
				ck_assert_msg(rc == (allowed ? 0 : -1), "umask %o, fault %s, flags %u",
					      (unsigned)masks[m], faults[f] ? faults[f] : "-", flags);
				ck_assert_uint_eq(staging_written_ahead(s), allowed ? 1 : 0);
				staging_abort(s);
			}
	unsetenv("BRIEFGEN_FAULT");
	fault_reset();
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

/* A real build on several threads writes partners' pages ahead, and its
 * folder is the one a build on one thread makes. */
static size_t build_into(const struct content *c, const char *site, int jobs, char **snap)
{
	char *err = NULL;
	struct staging *s = staging_begin(site, STAGING_FORCE, &err);
	struct output o;
	struct site_options opt;
	struct diags d;
	size_t n;

	ck_assert_msg(s != NULL, "%s", err);
	o = staging_output(s);
	site_options_init(&opt);
	opt.source_date_epoch = 1700000000;
	opt.jobs = jobs;
	diags_init(&d);
	ck_assert_int_gt(site_build(c, &opt, &o, &d, NULL), 0);
	ck_assert_uint_eq(d.errors, 0);
	diags_release(&d);
	n = staging_written_ahead(s);
	staging_set_date(s, opt.source_date_epoch);
	ck_assert_msg(staging_commit(s, &err) == 0, "%s", err);
	*snap = snapshot(site);
	return n;
}

START_TEST(build_writes_ahead)
{
	static const struct content_options copt = {&site_prose, 0};
	char *dir = td_make(), *one = td_path(dir, "one"), *many = td_path(dir, "many");
	char *want, *got;
	mode_t old = umask(022);
	struct content c;
	struct diags d;
	size_t ahead = 0;
	int round;

	unsetenv("BRIEFGEN_FAULT");
	fault_reset();
	diags_init(&d);
	ck_assert(content_load(&c, "content", &copt, &d));
	ck_assert_uint_eq(d.errors, 0);
	diags_release(&d);
	ck_assert_uint_eq(build_into(&c, one, 1, &want), 0);
	/* How far the other threads get is up to the scheduler: at least
	 * one of the builds must have written some page ahead. */
	for (round = 0; round < 50 && !ahead; round++) {
		ahead = build_into(&c, many, 4, &got);
		ck_assert_str_eq(got, want);
		free(got);
	}
	ck_assert_uint_gt(ahead, 0);
	umask(old);
	content_release(&c);
	free(want);
	td_remove(dir);
	free(one);
	free(many);
	free(dir);
}
END_TEST

static Suite *staging_suite(void)
{
	Suite *s = suite_create("staging");
	TCase *tc = tcase_create("core");
	TCase *faults = tcase_create("faults");

	tcase_add_test(tc, new_folder);
	tcase_add_test(tc, sums_format);
	tcase_add_test(tc, many_paths_found_again);
	tcase_add_test(tc, own_names_in_order);
	tcase_add_test(tc, digest_given_is_listed);
	tcase_add_test(tc, written_ahead_same_as_put);
	tcase_add_test(tc, write_ahead_refused);
	tcase_add_test(tc, build_writes_ahead);
	tcase_add_test(tc, replace_removes_stale);
	tcase_add_test(tc, keep_previous);
	tcase_add_test(tc, relative_out);
	tcase_add_test(tc, empty_folder_accepted);
	tcase_add_test(tc, foreign_folder_refused);
	tcase_add_test(tc, foreign_file_inside_refused);
	tcase_add_test(tc, not_a_folder_refused);
	tcase_add_test(tc, modes_whatever_the_umask);
	tcase_add_test(tc, unsafe_paths_refused);
	tcase_add_test(tc, put_and_append_do_not_mix);
	tcase_add_test(tc, appends_in_pieces_of_any_size);
	tcase_add_test(tc, gathered_write_failure);
	tcase_add_test(tc, fallback_warns);
	tcase_add_test(tc, rollback_swaps);
	tcase_add_test(tc, leftovers_removed);
	tcase_add_test(tc, sibling_names);
	suite_add_tcase(s, tc);
	tcase_set_timeout(faults, 120);
	tcase_add_test(faults, faults_publish_exchange);
	tcase_add_test(faults, faults_publish_two_renames);
	tcase_add_test(faults, faults_build_exchange);
	tcase_add_test(faults, faults_build_two_renames);
	tcase_add_test(faults, faults_rollback);
	tcase_add_test(faults, fault_spec_by_kind);
	tcase_add_test(faults, failed_undo_removes_nothing);
	suite_add_tcase(s, faults);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(staging_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

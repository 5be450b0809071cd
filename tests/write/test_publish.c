/* Unit tests of publish/: lock, refusal, render callback, rollback. */
#include "testdir.h"

#include <stdbool.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>

#include "publish/publish.h"
#include "write/staging.h"

struct fake {
	const char *version;
	bool fail;          /* fail without an output error (like a template error) */
	bool bad_path;      /* write an unsafe path */
};

static int fake_render(void *ud, const struct output *out)
{
	struct fake *f = ud;
	char *page = xasprintf("<p>%s</p>\n", f->version);
	int r = 0;

	if (output_put(out, "index.html", page, strlen(page)) < 0 ||
	    output_put(out, "partners/a.html", page, strlen(page)) < 0 ||
	    output_append(out, "print.html", page, strlen(page)) < 0 ||
	    output_append(out, "print.html", page, strlen(page)) < 0)
		r = -1;
	else if (f->bad_path)
		r = output_put(out, "../evil.html", "x", 1);
	else if (f->fail)
		r = -1;
	free(page);
	return r;
}

static enum publish_status run(const char *site, struct fake *f, bool force, int wait_ms,
			       struct publish_result *res, char **err)
{
	struct publish_options opt;

	memset(&opt, 0, sizeof(opt));
	opt.force = force;
	opt.lock_wait_ms = wait_ms;
	opt.render = fake_render;
	opt.render_ud = f;
	return publish_site(site, &opt, res, err);
}

static void assert_version(const char *site, const char *version)
{
	char *text = td_read(site, "index.html"), *want = xasprintf("<p>%s</p>\n", version);

	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, want);
	free(text);
	free(want);
}

START_TEST(publish_and_keep_previous)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *prev = td_path(dir, ".site.previous");
	struct fake one = {"one", false, false}, two = {"two", false, false};
	struct publish_result res;
	struct publish_state st;
	char one_sums[MANIFEST_SHORT_DIGEST + 1], two_sums[MANIFEST_SHORT_DIGEST + 1];
	char *err = NULL, *out;

	memset(&res, 0, sizeof(res));
	res.kept_previous = true;
	ck_assert_int_eq(run(site, &one, false, 0, &res, &err), PUBLISH_OK);
	ck_assert_ptr_null(err);
	ck_assert_uint_eq(res.files, 4);
	ck_assert(!res.kept_previous);
	/* The state names what is live: as many files as SHA256SUMS lists. */
	ck_assert_int_eq(res.state.live.kind, PUBLISH_VERSION);
	ck_assert_uint_eq(res.state.live.sum.files, res.files);
	ck_assert_int_eq(res.state.kept.kind, PUBLISH_NO_VERSION);
	memcpy(one_sums, res.state.live.sum.digest, sizeof(one_sums));
	ck_assert_int_eq(run(site, &two, false, 0, &res, &err), PUBLISH_OK);
	ck_assert(res.kept_previous);
	ck_assert_int_eq(res.state.kept.kind, PUBLISH_VERSION);
	ck_assert_str_eq(res.state.kept.sum.digest, one_sums);
	memcpy(two_sums, res.state.live.sum.digest, sizeof(two_sums));
	ck_assert_str_ne(two_sums, one_sums);
	assert_version(site, "two");
	assert_version(prev, "one");
	ck_assert_int_eq(td_sh(site, "sha256sum -c --strict --quiet SHA256SUMS", &out), 0);
	free(out);
	ck_assert(td_exists(dir, ".site.lock"));

	ck_assert_int_eq(publish_rollback(site, NULL, &st, &err), PUBLISH_OK);
	assert_version(site, "one");
	assert_version(prev, "two");
	ck_assert_str_eq(st.live.sum.digest, one_sums);
	ck_assert_str_eq(st.kept.sum.digest, two_sums);
	ck_assert_int_eq(publish_rollback(site, NULL, &st, &err), PUBLISH_OK);
	assert_version(site, "two");
	ck_assert_str_eq(st.live.sum.digest, two_sums);
	td_remove(dir);
	free(prev);
	free(site);
	free(dir);
}
END_TEST

START_TEST(render_failures_leave_path_alone)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL;
	struct fake one = {"one", false, false}, broken = {"two", true, false},
		    evil = {"two", false, true};

	ck_assert_int_eq(run(site, &one, false, 0, NULL, &err), PUBLISH_OK);
	ck_assert_int_eq(run(site, &broken, false, 0, NULL, &err), PUBLISH_RENDER);
	ck_assert_ptr_null(err);
	assert_version(site, "one");
	ck_assert(!td_exists(dir, ".site.previous"));
	ck_assert_int_eq(run(site, &evil, false, 0, NULL, &err), PUBLISH_FAILED);
	ck_assert_ptr_nonnull(strstr(err, "../evil.html"));
	free(err);
	assert_version(site, "one");
	ck_assert(!td_exists(dir, "evil.html"));
	ck_assert_int_eq(td_count_prefix(dir, ".site.staging-"), 0);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(refuses_foreign_unless_forced)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL, *text;
	struct fake one = {"one", false, false};

	ck_assert_int_eq(mkdir(site, 0755), 0);
	td_write(site, "report.docx", "precious");
	ck_assert_int_eq(run(site, &one, false, 0, NULL, &err), PUBLISH_REFUSED);
	ck_assert_ptr_nonnull(strstr(err, "did not create"));
	free(err);
	text = td_read(site, "report.docx");
	ck_assert_str_eq(text, "precious");
	free(text);
	ck_assert_int_eq(run(site, &one, true, 0, NULL, &err), PUBLISH_OK);
	assert_version(site, "one");
	text = td_read(dir, ".site.previous/report.docx");
	ck_assert_str_eq(text, "precious");
	free(text);
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

static int hold_lock(const char *dir)
{
	char *lock = td_path(dir, ".site.lock");
	int fd = open(lock, O_RDWR | O_CREAT, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	free(lock);
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(lock_busy_fails_clearly)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL;
	struct fake one = {"one", false, false}, two = {"two", false, false};
	int fd;
	double t;

	ck_assert_int_eq(run(site, &one, false, 0, NULL, &err), PUBLISH_OK);
	ck_assert_int_eq(publish_rollback(site, NULL, NULL, &err), PUBLISH_FAILED);   /* no previous */
	ck_assert_ptr_nonnull(strstr(err, "no previous version"));
	free(err);
	fd = hold_lock(dir);
	t = now();
	ck_assert_int_eq(run(site, &two, false, 300, NULL, &err), PUBLISH_BUSY);
	ck_assert(now() - t >= 0.25);
	ck_assert_ptr_nonnull(strstr(err, "another briefgen is publishing"));
	ck_assert_ptr_nonnull(strstr(err, site));
	free(err);
	{
		struct publish_options o;

		memset(&o, 0, sizeof(o));
		o.lock_wait_ms = 100;
		ck_assert_int_eq(publish_rollback(site, &o, NULL, &err), PUBLISH_BUSY);
		free(err);
	}
	assert_version(site, "one");
	close(fd);
	ck_assert_int_eq(run(site, &two, false, 300, NULL, &err), PUBLISH_OK);
	assert_version(site, "two");
	ck_assert_int_eq(publish_rollback(site, NULL, NULL, &err), PUBLISH_OK);
	assert_version(site, "one");
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(lock_waits_for_the_other)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *err = NULL;
	struct fake two = {"two", false, false};
	int fd = hold_lock(dir), status;
	pid_t child;
	double t;

	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		/* The other publish: holds the lock a little while, then ends. */
		struct timespec ts = {0, 400 * 1000000L};

		nanosleep(&ts, NULL);
		_exit(0);
	}
	/* The lock belongs to the open file, which the child shares: it is
	 * released when both have closed it. */
	close(fd);
	t = now();
	ck_assert_int_eq(run(site, &two, false, 5000, NULL, &err), PUBLISH_OK);
	ck_assert(now() - t >= 0.3);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	assert_version(site, "two");
	td_remove(dir);
	free(site);
	free(dir);
}
END_TEST

START_TEST(leftovers_of_a_crash_removed)
{
	char *dir = td_make(), *site = td_path(dir, "site"), *crashed = td_path(dir, ".site.staging-AbC123"),
	     *err = NULL;
	struct fake one = {"one", false, false};

	ck_assert_int_eq(mkdir(crashed, 0755), 0);
	td_write(crashed, "index.html", "half");
	ck_assert_int_eq(run(site, &one, false, 0, NULL, &err), PUBLISH_OK);
	ck_assert(!td_exists(dir, ".site.staging-AbC123"));
	assert_version(site, "one");
	td_remove(dir);
	free(crashed);
	free(site);
	free(dir);
}
END_TEST

static Suite *publish_suite(void)
{
	Suite *s = suite_create("publish");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, publish_and_keep_previous);
	tcase_add_test(tc, render_failures_leave_path_alone);
	tcase_add_test(tc, refuses_foreign_unless_forced);
	tcase_add_test(tc, lock_busy_fails_clearly);
	tcase_add_test(tc, lock_waits_for_the_other);
	tcase_add_test(tc, leftovers_of_a_crash_removed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(publish_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

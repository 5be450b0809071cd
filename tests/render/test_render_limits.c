/*
 * Bounds and failure paths of rendering (issue 8, items 5 and 8):
 *  - a template that makes one file larger than max_file_bytes, or a build
 *    larger than max_build_bytes, stops with an error naming the template
 *    and the file, without holding the whole explosion in memory;
 *  - sections over lists nested in each other stop at MUSTACHE_MAX_STEPS
 *    even when they print nothing;
 *  - a broken language file or template releases what it allocated (run
 *    under the ASan preset, LeakSanitizer fails the test otherwise).
 * Works on the bundled content/ (cwd is the source tree).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/content.h"
#include "render/fileset.h"
#include "render/i18n.h"
#include "render/mustache.h"
#include "render/site.h"
#include "render/templates.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/tempdir.h"

static struct content content;
static const struct content_options site_copt = {&site_prose, 0};
static struct diags diags;
static char *tdir;

static void write_file(const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", tdir, rel);
	char *dir = xasprintf("%s/%s", tdir, rel);
	FILE *f;

	*strrchr(dir, '/') = '\0';
	mkdir(dir, 0755);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	free(path);
	free(dir);
}

static void setup(void)
{
	struct diags load;

	diags_init(&diags);
	diags_init(&load);
	ck_assert(content_load(&content, "content", &site_copt, &load));
	ck_assert_uint_eq(load.errors, 0);
	diags_release(&load);
	{
		char *err = NULL;
		tdir = tempdir_create("limits", &err);
		ck_assert_ptr_nonnull(tdir);
	}
}

static void teardown(void)
{
	ck_assert_int_eq(tempdir_remove(tdir), 0);
	free(tdir);
	tdir = NULL;
	content_release(&content);
	diags_release(&diags);
}

static void unlink_override(const char *rel)
{
	char *path = xasprintf("%s/%s", tdir, rel);

	ck_assert_int_eq(unlink(path), 0);
	free(path);
}

/* All messages joined with '\n'. */
static char *messages(void)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < diags.n; i++)
		buf_addf(&b, "%s\n", diags.items[i].message);
	return buf_detach(&b, NULL);
}

/* Build with the templates in tdir; returns site_build's result. */
static int build(struct site_options *opt, struct fileset **fs)
{
	struct output out;

	*fs = fileset_new();
	out = fileset_output(*fs);
	opt->templates_dir = tdir;
	return site_build(&content, opt, &out, &diags, NULL);
}

static char *nested(int levels, const char *inner)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < levels; i++)
		buf_adds(&b, "{{#briefing.partners}}");
	buf_adds(&b, inner);
	for (i = 0; i < levels; i++)
		buf_adds(&b, "{{/briefing.partners}}");
	buf_addc(&b, '\n');
	return buf_detach(&b, NULL);
}

START_TEST(file_limit)
{
	/* 6 partners nested 6 deep: 46 656 names, about 1 MB; the limit is
	 * set to 256 KiB.  The error names the template and the file, and no
	 * more than about the limit was ever held. */
	struct site_options opt;
	struct fileset *fs;
	char *t = nested(6, "<p>{{name}}</p>"), *m;

	write_file("html/index.mustache", t);
	site_options_init(&opt);
	opt.max_file_bytes = 256 * 1024;
	ck_assert_int_eq(build(&opt, &fs), -1);
	m = messages();
	ck_assert_msg(strstr(m, "template 'html/index.mustache': 'index.html' passes 256 KiB, the "
			       "limit of one output file") != NULL, "%s", m);
	ck_assert_uint_eq(diags.errors, 1);
	ck_assert_ptr_nonnull(diags.items[0].hint);
	ck_assert(!fileset_get(fs, "index.html") ||
		  fileset_get(fs, "index.html")->data.len <= opt.max_file_bytes);
	free(m);
	free(t);
	fileset_free(fs);
}
END_TEST

START_TEST(file_limit_default)
{
	/* Nested sections over the partners, 4 deep around 64 KB of text
	 * (about 80 MB): refused at 64 MiB. */
	struct site_options opt;
	struct fileset *fs;
	char *text = xmalloc(65537), *t, *m;

	memset(text, 'x', 65536);
	text[65536] = '\0';
	t = nested(4, text);
	free(text);

	write_file("html/index.mustache", t);
	site_options_init(&opt);
	ck_assert_uint_eq(opt.max_file_bytes, (size_t)64 << 20);
	ck_assert_uint_eq(opt.max_build_bytes, (size_t)1 << 30);
	ck_assert_int_eq(build(&opt, &fs), -1);
	m = messages();
	ck_assert_msg(strstr(m, "template 'html/index.mustache': 'index.html' passes 64 MiB, the "
			       "limit of one output file") != NULL, "%s", m);
	free(m);
	free(t);
	fileset_free(fs);
}
END_TEST

START_TEST(build_limit)
{
	/* The bundled templates make about 130 KB; with a build limit of
	 * 64 KiB the build stops at the file that passes it. */
	struct site_options opt;
	struct fileset *fs;
	char *m;
	size_t i, total = 0;

	site_options_init(&opt);
	opt.max_build_bytes = 64 * 1024;
	ck_assert_int_eq(build(&opt, &fs), -1);
	m = messages();
	ck_assert_msg(strstr(m, "the build passes 64 KiB in all at '") != NULL, "%s", m);
	ck_assert_msg(strstr(m, ", the limit of one build") != NULL, "%s", m);
	ck_assert_uint_eq(diags.errors, 1);
	for (i = 0; i < fs->n; i++)
		total += fs->files[i].data.len;
	ck_assert_uint_le(total, opt.max_build_bytes);
	free(m);
	fileset_free(fs);
}
END_TEST

/* The two files every partner adds a part to (print.html, briefing.md)
 * count their size apart from the other files (site.c, appendix_counter):
 * each is stopped at the file limit as one file, with -j 1 and with more
 * jobs.  The bundled print.html is about 29 KB, briefing.md 19 KB, the
 * largest other file 15 KB. */
START_TEST(appendix_file_limit)
{
	static const int jobs[] = {1, 4};
	size_t k;

	for (k = 0; k < 2; k++) {
		struct site_options opt;
		struct fileset *fs;
		char *m;

		site_options_init(&opt);
		opt.jobs = jobs[k];
		opt.max_file_bytes = 24 * 1024;
		ck_assert_int_eq(build(&opt, &fs), -1);
		m = messages();
		ck_assert_msg(strstr(m, "'print.html' passes 24 KiB, the limit of one output file") !=
				      NULL,
			      "%s", m);
		ck_assert_uint_eq(diags.errors, 1);
		ck_assert(!fileset_get(fs, "print.html") ||
			  fileset_get(fs, "print.html")->data.len <= opt.max_file_bytes);
		free(m);
		fileset_free(fs);
		diags_release(&diags);
		diags_init(&diags);

		/* Partners' sections of print.html empty: briefing.md passes. */
		write_file("html/print-partner.mustache", "");
		site_options_init(&opt);
		opt.jobs = jobs[k];
		opt.max_file_bytes = 16 * 1024;
		ck_assert_int_eq(build(&opt, &fs), -1);
		m = messages();
		ck_assert_msg(strstr(m, "'briefing.md' passes 16 KiB, the limit of one output file") !=
				      NULL,
			      "%s", m);
		ck_assert_uint_eq(diags.errors, 1);
		ck_assert(!fileset_get(fs, "briefing.md") ||
			  fileset_get(fs, "briefing.md")->data.len <= opt.max_file_bytes);
		free(m);
		fileset_free(fs);
		diags_release(&diags);
		diags_init(&diags);
		unlink_override("html/print-partner.mustache");
	}
}
END_TEST

START_TEST(bundled_within_limits)
{
	struct site_options opt;
	struct fileset *fs;

	site_options_init(&opt);
	opt.templates_dir = NULL;
	ck_assert_int_gt(build(&opt, &fs), 0);
	ck_assert_uint_eq(diags.errors, 0);
	fileset_free(fs);
}
END_TEST

START_TEST(steps_limit)
{
	/* 14 levels of sections that print nothing: 6^14 items, stopped. */
	struct site_options opt;
	struct fileset *fs;
	char *t = nested(14, ""), *m;

	write_file("html/index.mustache", t);
	site_options_init(&opt);
	ck_assert_int_eq(build(&opt, &fs), -1);
	m = messages();
	ck_assert_msg(strstr(m, "index.mustache: error: rendering takes more than 20000000 steps") !=
			      NULL, "%s", m);
	free(m);
	free(t);
	fileset_free(fs);
}
END_TEST

START_TEST(broken_language_file)
{
	/* i18n_load fails on a language file that does not parse, or lacks
	 * keys: nothing is left allocated (LeakSanitizer), and it loads again
	 * once fixed. */
	struct templates *t;
	struct i18n i;

	write_file("i18n/da.yaml", "thousands_separator: [\n");
	t = templates_new(tdir);
	ck_assert(!i18n_load(&i, t, "da", &diags));
	ck_assert_uint_ge(diags.errors, 1);
	templates_free(t);
	write_file("i18n/da.yaml", "thousands_separator: .\n");
	t = templates_new(tdir);
	ck_assert(!i18n_load(&i, t, "da", &diags));
	templates_free(t);
	t = templates_new(tdir);
	ck_assert(!i18n_load(&i, t, "xx", &diags));
	templates_free(t);
}
END_TEST

START_TEST(broken_templates_build)
{
	/* A whole build with a template that does not compile, a partial that
	 * does not, and a broken language file: -1, errors, no leak. */
	struct site_options opt;
	struct fileset *fs;

	write_file("html/index.mustache", "{{#briefing.partners}}unclosed\n");
	site_options_init(&opt);
	ck_assert_int_eq(build(&opt, &fs), -1);
	fileset_free(fs);
	write_file("html/index.mustache", "{{>summary}}\n");
	write_file("html/summary.mustache", "{{/nothing}}\n");
	ck_assert_int_eq(build(&opt, &fs), -1);
	fileset_free(fs);
	write_file("i18n/da.yaml", "months: [a, b]\n");
	ck_assert_int_eq(build(&opt, &fs), -1);
	fileset_free(fs);
	ck_assert_uint_ge(diags.errors, 3);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("render limits");
	TCase *t = tcase_create("limits");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, file_limit);
	tcase_add_test(t, file_limit_default);
	tcase_add_test(t, build_limit);
	tcase_add_test(t, appendix_file_limit);
	tcase_add_test(t, bundled_within_limits);
	tcase_add_test(t, steps_limit);
	tcase_add_test(t, broken_language_file);
	tcase_add_test(t, broken_templates_build);
	tcase_set_timeout(t, 120);
	suite_add_tcase(s, t);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/*
 * serve's incremental builds (snapshot_update): after each of a series of
 * random edits to the partner files of a generated content folder, the
 * update must give what a full build from scratch gives: the same files in
 * the same order, byte for byte, and the same diagnostics as printed; and
 * the update must really have been taken where it can be.
 *
 * The folder is made by bench/gen-content (GEN_CONTENT, built with the
 * tests), 60 partners; the edits come from a fixed seed: amounts, names,
 * statuses (an error: the decision disagrees), shared_with added, removed and
 * pointing elsewhere, body and summary text, a cost added, a file made
 * invalid and then fixed, a warning appearing and going, a partner made
 * internal (gone from the site) and back.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag/diag.h"
#include "model/content.h"
#include "render/fileset.h"
#include "render/site.h"
#include "serve/snapshot.h"
#include "util/alloc.h"
#include "util/buf.h"

#define NPARTNERS 60
#define NEDITS 40

static char dir[] = "/tmp/briefgen-incr-XXXXXX";
static char **slugs;
static size_t nslugs;
static char **originals;     /* each partner file as generated */

static unsigned long long rng = 0x1234abcdULL;

static unsigned long long next(void)
{
	unsigned long long z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t pick(size_t n)
{
	return (size_t)(next() % n);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	ck_assert_ptr_nonnull(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

static char *partner_path(size_t i)
{
	return xasprintf("%s/partners/%s.yaml", dir, slugs[i]);
}

/* Save as editors do: beside it, then renamed over it. */
static void save(size_t i, const char *text)
{
	char *path = partner_path(i);
	char *tmp = xasprintf("%s/partners/.%s.yaml.tmp", dir, slugs[i]);
	FILE *f = fopen(tmp, "wb");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(rename(tmp, path), 0);
	free(tmp);
	free(path);
}

/* text with the first line that starts with prefix replaced by line (NULL:
 * removed), or NULL when there is none.  Malloc'd. */
static char *replace_line(const char *text, const char *prefix, const char *line)
{
	size_t n = strlen(prefix);
	const char *at = text, *end;
	struct buf b = BUF_INIT;

	while (*at && strncmp(at, prefix, n) != 0) {
		at = strchr(at, '\n');
		if (!at)
			return NULL;
		at++;
	}
	if (!*at)
		return NULL;
	end = strchr(at, '\n');
	end = end ? end + 1 : at + strlen(at);
	buf_add(&b, text, (size_t)(at - text));
	if (line) {
		buf_adds(&b, line);
		buf_addc(&b, '\n');
	}
	buf_adds(&b, end);
	return buf_detach(&b, NULL);
}

/* text with line put after the first line that starts with prefix. */
static char *insert_after(const char *text, const char *prefix, const char *line)
{
	const char *at = strstr(text, prefix), *end;
	struct buf b = BUF_INIT;

	if (!at)
		return NULL;
	end = strchr(at, '\n');
	end = end ? end + 1 : at + strlen(at);
	buf_add(&b, text, (size_t)(end - text));
	buf_adds(&b, line);
	buf_addc(&b, '\n');
	buf_adds(&b, end);
	return buf_detach(&b, NULL);
}

static char *with_cost(const char *text, const char *label, const char *shared)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, text);
	buf_addf(&b, "  - label: \"%s\"\n    amount: %llu\n    year: 2007\n    kind: fixed\n"
		 "    recurrence: once\n", label, 1000 + next() % 90000);
	if (shared)
		buf_addf(&b, "    shared_with:\n      - %s\n", shared);
	return buf_detach(&b, NULL);
}

/* One random edit of partner i's current text (cur, replaced).  Returns a
 * name for messages. */
static const char *edit(size_t i, char **cur, bool sharing)
{
	/* For a partner that shares a cost (either way), mostly what other
	 * partners' pages show of it. */
	static const int shared_kinds[] = {0, 1, 1, 3, 4, 4, 5, 5, 9, 10, 12};
	char *t = NULL, line[256];
	const char *what = "";

	while (!t) {
		int kind = sharing ? shared_kinds[pick(sizeof(shared_kinds) / sizeof(*shared_kinds))]
				   : (int)pick(13);

		switch (kind) {
		case 0:
			snprintf(line, sizeof(line), "    amount: %llu", 1000 + next() % 900000);
			t = replace_line(*cur, "    amount: ", line);
			what = "amount";
			break;
		case 1:
			snprintf(line, sizeof(line), "name: \"Omdøbt partner %llu\"", next() % 1000);
			t = replace_line(*cur, "name: ", line);
			what = "name";
			break;
		case 2:
			t = replace_line(*cur, "status: ", pick(2) ? "status: terminate"
								: "status: explore");
			what = "status (an error)";
			break;
		case 3:
			snprintf(line, sizeof(line), "Delt omkostning %llu", next() % 1000);
			t = with_cost(*cur, line, slugs[pick(nslugs)]);
			what = "a cost shared with another";
			break;
		case 4:
			t = replace_line(*cur, "    shared_with:", NULL);
			if (t) {
				char *u = replace_line(t, "      - ", NULL);
				free(t);
				t = u;
			}
			what = "shared_with removed";
			break;
		case 5:
			snprintf(line, sizeof(line), "      - %s", slugs[pick(nslugs)]);
			t = replace_line(*cur, "      - ", line);
			what = "shared_with pointing elsewhere";
			break;
		case 6:
			snprintf(line, sizeof(line), "  Ny indledende sætning nummer %llu, *fremhævet*.\n",
				 next() % 1000);
			t = insert_after(*cur, "body: |", line);
			what = "body text";
			break;
		case 7:
			snprintf(line, sizeof(line), "Ny post %llu", next() % 1000);
			t = with_cost(*cur, line, NULL);
			what = "a cost added";
			break;
		case 8:
			t = xasprintf("%sname: [unclosed\n", *cur);
			what = "invalid YAML";
			break;
		case 9:
			t = replace_line(*cur, "    amount: ", "    amount: null");
			what = "amount null (a warning)";
			break;
		case 10:
			t = insert_after(*cur, "country: ", "internal: true");
			what = "made internal";
			break;
		case 11: {
			struct buf b = BUF_INIT;
			int k;

			buf_adds(&b, "summary: >-\n ");
			for (k = 0; k < 70; k++)
				buf_adds(&b, " langt ord");
			t = replace_line(*cur, "summary: ", b.ptr);
			buf_release(&b);
			if (t) {
				/* The old summary's lines are now an error: drop them. */
				char *u = t;
				while (u && strstr(u, "\n  ") && strstr(u, "\n  ") < strstr(u, "body:")) {
					char *v = replace_line(u, "  ", NULL);
					if (!v || strstr(v, "langt ord") == NULL) {
						free(v);
						break;
					}
					free(u);
					u = v;
				}
				t = u;
			}
			what = "a long summary (a warning)";
			break;
		}
		default:
			t = xstrdup(originals[i]);
			what = "back as generated";
			break;
		}
	}
	free(*cur);
	*cur = t;
	return what;
}

static char *diags_text(const struct diags *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	diags_print(d, f, true);
	diags_print_summary(d, f);
	fclose(f);
	return text;
}

static void assert_same(const struct snapshot *a, const struct snapshot *b, const char *what,
			int step)
{
	size_t i;

	ck_assert_msg(!a->files == !b->files, "step %d (%s): one build failed", step, what);
	if (!a->files) {
		ck_assert_msg(a->error_page.len == b->error_page.len &&
			      !memcmp(a->error_page.ptr, b->error_page.ptr, a->error_page.len),
			      "step %d (%s): error pages differ", step, what);
		return;
	}
	ck_assert_uint_eq(a->nfiles, b->nfiles);
	ck_assert_uint_eq(a->files->n, b->files->n);
	for (i = 0; i < a->files->n; i++) {
		const struct fileset_file *fa = &a->files->files[i], *fb = &b->files->files[i];

		ck_assert_msg(!strcmp(fa->path, fb->path), "step %d (%s): file %zu is %s, not %s",
			      step, what, i, fa->path, fb->path);
		const struct buf *da = fileset_data(a->files, fa), *db = fileset_data(b->files, fb);

		ck_assert_msg(da->len == db->len && !memcmp(da->ptr, db->ptr, da->len),
			      "step %d (%s): %s differs", step, what, fa->path);
		ck_assert(fileset_same_file(fa, fb));
	}
#define SAME_STR(f) ck_assert_str_eq(a->info.f ? a->info.f : "", b->info.f ? b->info.f : "")
	SAME_STR(title);
	SAME_STR(subject);
	SAME_STR(author);
	SAME_STR(keywords);
	SAME_STR(lang);
#undef SAME_STR
	ck_assert(snapshot_same(a, b));
}

static void setup(void)
{
	char *cmd, *path;
	FILE *ls;
	char name[256];

	strcpy(dir, "/tmp/briefgen-incr-XXXXXX");
	slugs = NULL;
	nslugs = 0;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	cmd = xasprintf("'%s' %d '%s' --seed-slugs >/dev/null", GEN_CONTENT, NPARTNERS, dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	cmd = xasprintf("ls '%s/partners'", dir);
	ls = popen(cmd, "r");
	free(cmd);
	while (fgets(name, sizeof(name), ls)) {
		char *dot = strstr(name, ".yaml");
		if (!dot)
			continue;
		*dot = '\0';
		slugs = xrealloc(slugs, (nslugs + 1) * sizeof(*slugs));
		slugs[nslugs++] = xstrdup(name);
	}
	pclose(ls);
	ck_assert_uint_eq(nslugs, NPARTNERS);
	originals = xcalloc(nslugs, sizeof(*originals));
	for (size_t i = 0; i < nslugs; i++) {
		path = partner_path(i);
		originals[i] = read_all(path);
		free(path);
	}
}

static void teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	for (size_t i = 0; i < nslugs; i++) {
		free(slugs[i]);
		free(originals[i]);
	}
	free(slugs);
	free(originals);
}

/* The partner files that share a cost with another (either way), found in
 * the generated text: edits go to them half of the time. */
static bool shares(size_t i)
{
	size_t j;

	if (strstr(originals[i], "shared_with:"))
		return true;
	for (j = 0; j < nslugs; j++) {
		char *needle = xasprintf("      - %s\n", slugs[i]);
		bool found = strstr(originals[j], needle) != NULL;
		free(needle);
		if (found)
			return true;
	}
	return false;
}

START_TEST(updates_equal_full_builds)
{
	struct site_options opt, ref_opt;
	struct snapshot_cache *cache = NULL;
	struct snapshot *inc, *ref;
	struct diags di, dr;
	char **cur, **good, *ti, *tr;
	size_t *sharing, nsharing = 0, updates = 0, i, broken;
	int step;

	setup();
	site_options_init(&opt);
	opt.live_reload = true;
	opt.source_date_epoch = -1;
	opt.jobs = 2;               /* the cached full build with its pool */
	ref_opt = opt;
	ref_opt.jobs = 1;
	cur = xcalloc(nslugs, sizeof(*cur));
	good = xcalloc(nslugs, sizeof(*good));
	broken = nslugs;
	sharing = xcalloc(nslugs, sizeof(*sharing));
	for (i = 0; i < nslugs; i++) {
		cur[i] = xstrdup(originals[i]);
		good[i] = xstrdup(originals[i]);
		if (shares(i))
			sharing[nsharing++] = i;
	}
	ck_assert_uint_gt(nsharing, 4);

	diags_init(&di);
	inc = snapshot_build(dir, &opt, &di, &cache);
	ck_assert_ptr_nonnull(inc->files);
	ck_assert_ptr_nonnull(cache);
	diags_release(&di);
	snapshot_unref(inc);

	for (step = 0; step < NEDITS; step++) {
		bool to_sharing = pick(3) != 0;
		size_t p = to_sharing ? sharing[pick(nsharing)] : pick(nslugs);
		const char *what;
		size_t before = snapshot_cache_updates(cache);
		bool updated = false;

		if (broken < nslugs) {
			/* The last edit made the content fail: fix it (the build after
			 * an error page is a full one; the one after that an update). */
			p = broken;
			free(cur[p]);
			cur[p] = xstrdup(good[p]);
			what = "fixed";
		} else {
			what = edit(p, &cur[p], to_sharing);
		}

		save(p, cur[p]);
		/* As the preview does: an update when there is a cache, else (or
		 * when it cannot) a full build that makes one. */
		diags_init(&di);
		inc = cache ? snapshot_update(cache, slugs[p], &di) : NULL;
		if (inc) {
			ck_assert_uint_eq(snapshot_cache_updates(cache), before + 1);
			updates++;
			updated = true;
		} else {
			diags_release(&di);
			diags_init(&di);
			snapshot_cache_free(cache);
			cache = NULL;
			inc = snapshot_build(dir, &opt, &di, &cache);
		}
		diags_init(&dr);
		ref = snapshot_build(dir, &ref_opt, &dr, NULL);
		assert_same(inc, ref, what, step);
		if (getenv("INCR_DEBUG"))
			fprintf(stderr, "step %d %s %s: %s, %zu errors\n", step, slugs[p], what,
				updated ? "update" : "full", dr.errors);
		if (dr.errors) {
			broken = p;
		} else {
			broken = nslugs;
			free(good[p]);
			good[p] = xstrdup(cur[p]);
		}
		ti = diags_text(&di);
		tr = diags_text(&dr);
		ck_assert_msg(!strcmp(ti, tr), "step %d (%s): diagnostics differ:\n%s\n---\n%s", step,
			      what, ti, tr);
		free(ti);
		free(tr);
		diags_release(&di);
		diags_release(&dr);
		snapshot_unref(inc);
		snapshot_unref(ref);
	}
	/* Most edits leave the content good: those are updates. */
	ck_assert_uint_ge(updates, NEDITS / 3);
	snapshot_cache_free(cache);
	for (i = 0; i < nslugs; i++) {
		free(cur[i]);
		free(good[i]);
	}
	free(cur);
	free(good);
	free(sharing);
	teardown();
}
END_TEST

/* An update shares every file it did not change with the build before. */
START_TEST(unchanged_files_shared)
{
	struct site_options opt;
	struct snapshot_cache *cache = NULL;
	struct snapshot *a, *b;
	struct diags d;
	size_t i, shared = 0, p;
	char *t;

	setup();
	site_options_init(&opt);
	opt.live_reload = true;
	opt.jobs = 1;
	diags_init(&d);
	a = snapshot_build(dir, &opt, &d, &cache);
	diags_release(&d);
	ck_assert_ptr_nonnull(cache);
	for (p = 0; p < nslugs && strstr(originals[p], "shared_with:"); p++)
		;
	t = insert_after(originals[p], "body: |", "  En ny sætning.\n");
	save(p, t);
	free(t);
	diags_init(&d);
	b = snapshot_update(cache, slugs[p], &d);
	diags_release(&d);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(a->files->n, b->files->n);
	for (i = 0; i < a->files->n; i++)
		shared += a->files->files[i].blob && a->files->files[i].blob == b->files->files[i].blob;
	/* Its page, its Markdown changed, print.html and briefing.md are made
	 * of other parts; the overview and budget pages were made again but
	 * hold the same bytes. */
	ck_assert_uint_eq(shared, a->files->n - 4);
	for (i = 0; i < 2; i++) {
		const struct fileset_file *fa = &a->files->files[i], *fb = &b->files->files[i];
		size_t k, same = 0;

		ck_assert_ptr_nonnull(fa->parts);
		ck_assert_uint_eq(fa->nparts, fb->nparts);
		for (k = 0; k < fa->nparts; k++)
			same += fa->parts[k] == fb->parts[k];
		ck_assert_uint_eq(same, fa->nparts - 1);
		ck_assert(!fileset_same_file(fa, fb));
	}
	ck_assert(!snapshot_same(a, b));

	/* A file that came or went in partners/ (not a hidden or backup one)
	 * asks for a full build. */
	ck_assert(snapshot_cache_listing_same(cache));
	{
		char *extra = xasprintf("%s/partners/notes.txt", dir);
		char *hidden = xasprintf("%s/partners/.notes.swp", dir);
		FILE *f = fopen(hidden, "w");

		ck_assert_ptr_nonnull(f);
		fclose(f);
		ck_assert(snapshot_cache_listing_same(cache));
		f = fopen(extra, "w");
		ck_assert_ptr_nonnull(f);
		fclose(f);
		ck_assert(!snapshot_cache_listing_same(cache));
		unlink(extra);
		ck_assert(snapshot_cache_listing_same(cache));
		t = partner_path(p);
		ck_assert_int_eq(rename(t, extra), 0);
		ck_assert(!snapshot_cache_listing_same(cache));
		ck_assert_int_eq(rename(extra, t), 0);
		ck_assert(snapshot_cache_listing_same(cache));
		free(t);
		unlink(hidden);
		free(extra);
		free(hidden);
	}
	snapshot_unref(a);
	snapshot_unref(b);
	snapshot_cache_free(cache);
	teardown();
}
END_TEST

/* An override whose print-tail lists the budget's partners (with their
 * cost lines) too: the update's own thread makes those views while
 * budget.html's thread makes its own (run under ThreadSanitizer). */
START_TEST(override_lists_budget_in_tail)
{
	struct site_options opt, ref_opt;
	struct snapshot_cache *cache = NULL;
	struct snapshot *a, *b, *ref;
	struct diags d;
	char tdir[] = "/tmp/briefgen-incr-tpl-XXXXXX", *path, *tail, *t, *cmd;
	FILE *f;

	setup();
	ck_assert_ptr_nonnull(mkdtemp(tdir));
	path = xasprintf("%s/html", tdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	free(path);
	tail = read_all("templates/html/print-tail.mustache");
	path = xasprintf("%s/html/print-tail.mustache", tdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("<ul>{{#briefing.budget.partners}}<li>{{name}}: {{year_total}}{{#costs}} {{amount}}"
	      "{{/costs}}</li>{{/briefing.budget.partners}}</ul>\n", f);
	fputs(tail, f);
	fclose(f);
	free(path);
	free(tail);
	site_options_init(&opt);
	opt.live_reload = true;
	opt.templates_dir = tdir;
	opt.jobs = 2;
	ref_opt = opt;
	ref_opt.jobs = 1;
	diags_init(&d);
	a = snapshot_build(dir, &opt, &d, &cache);
	diags_release(&d);
	ck_assert_ptr_nonnull(a->files);
	ck_assert_ptr_nonnull(cache);
	t = replace_line(originals[0], "    amount: ", "    amount: 777777");
	ck_assert_ptr_nonnull(t);
	save(0, t);
	free(t);
	diags_init(&d);
	b = snapshot_update(cache, slugs[0], &d);
	diags_release(&d);
	ck_assert_ptr_nonnull(b);
	diags_init(&d);
	ref = snapshot_build(dir, &ref_opt, &d, NULL);
	diags_release(&d);
	assert_same(b, ref, "an amount, with the override", 0);
	ck_assert_ptr_nonnull(strstr(fileset_data(b->files, fileset_get(b->files, "print.html"))->ptr,
				     "777"));
	snapshot_unref(a);
	snapshot_unref(b);
	snapshot_unref(ref);
	snapshot_cache_free(cache);
	cmd = xasprintf("rm -rf '%s'", tdir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	teardown();
}
END_TEST

/* Reloading a partner again and again leaves replaced pages behind: past
 * as many bytes as the live pages, a reload refuses (a full load starts
 * afresh), and the content is left as it was. */
START_TEST(reload_garbage_bounded)
{
	static const struct content_options copt = {&site_prose, 1};
	struct content c;
	struct diags d;
	const struct partner *before;
	size_t ok = 0, k;

	diags_init(&d);
	ck_assert(content_load_kept(&c, "content", &copt, &d));
	ck_assert(!diags_failed(&d));
	ck_assert_uint_gt(c.npartners, 2);
	for (k = 0; k < 100 && content_reload_partner(&c, 0) == 0; k++)
		ok++;
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_lt(ok, 100);
	ck_assert_uint_eq(c.reloads, ok);
	ck_assert_uint_gt(c.pages_dropped, c.pages_live);
	before = c.partners[0].digest;
	ck_assert_int_eq(content_reload_partner(&c, 0), -1);
	ck_assert_ptr_eq(c.partners[0].digest, before);
	ck_assert_int_eq(content_page(&c, 0, &c.arena, &(struct content_page){0}), 0);
	content_release(&c);
	diags_release(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("incremental");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, updates_equal_full_builds);
	tcase_add_test(tc, unchanged_files_shared);
	tcase_add_test(tc, reload_garbage_bounded);
	tcase_add_test(tc, override_lists_budget_in_tail);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

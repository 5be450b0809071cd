/*
 * One pass over the content (issue 10, items 1 and 2): each file is read and
 * parsed once, each prose field parsed and rendered once, and a build uses
 * what the load kept (model/content.h: content_page, content_text) instead
 * of reading the partner files again.  Also the spill those pages are kept
 * in (util/spill.h).  Works on the bundled content/ (cwd is the source tree).
 */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/content.h"
#include "render/fileset.h"
#include "render/site.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/spill.h"
#include "util/tempdir.h"

/* ---- the spill ------------------------------------------------------------ */

START_TEST(spill_memory_then_file)
{
	struct spill s;
	struct buf rec = BUF_INIT, back = BUF_INIT;
	size_t off[500], len[500], i;

	spill_init(&s, 4096);
	for (i = 0; i < 500; i++) {
		buf_reset(&rec);
		/* Records of 1 to 300 bytes, each telling its number. */
		while (rec.len < 1 + (i * 37) % 300)
			buf_addf(&rec, "%zu;", i);
		off[i] = spill_add(&s, rec.ptr, rec.len);
		len[i] = rec.len;
		ck_assert_uint_ne(off[i], (size_t)-1);
		if (i == 0)
			ck_assert(!spill_on_disk(&s));
	}
	ck_assert(spill_on_disk(&s));
	/* Read back in another order than written. */
	for (i = 500; i-- > 0;) {
		char want[32];
		buf_reset(&back);
		buf_grow(&back, len[i]);
		ck_assert_int_eq(spill_read(&s, off[i], back.ptr, len[i]), 0);
		back.len = len[i];
		back.ptr[back.len] = '\0';
		snprintf(want, sizeof(want), "%zu;", i);
		ck_assert_msg(!strncmp(back.ptr, want, strlen(want) < len[i] ? strlen(want) : len[i]),
			      "record %zu reads back as \"%s\"", i, back.ptr);
	}
	/* Past the end is refused. */
	ck_assert_int_eq(spill_read(&s, off[499], back.ptr, len[499] + 1), -1);
	spill_release(&s);
	buf_release(&rec);
	buf_release(&back);
}
END_TEST

/* ---- prose: parsed and rendered once --------------------------------------- */

static const char *seen[1024];
static size_t nseen;

static char *counting_render(const char *src, size_t len, struct buf *html, struct buf *md)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		ck_assert_msg(seen[i] != src, "prose field rendered twice: \"%.40s...\"", src);
	ck_assert_uint_lt(nseen, sizeof(seen) / sizeof(*seen));
	seen[nseen++] = src;
	return site_prose.render(src, len, html, md);
}

static const struct content_prose counting = {counting_render};
/* One thread: counting_render is not made for several. */
static const struct content_options counting_opt = {&counting, 1};
static const struct content_options site_copt = {&site_prose, 0};

static struct fileset *build(const struct content *c, const struct site_options *opt)
{
	struct fileset *fs = fileset_new();
	struct output out = fileset_output(fs);
	struct diags d;

	diags_init(&d);
	ck_assert_int_gt(site_build(c, opt, &out, &d, NULL), 0);
	ck_assert_uint_eq(d.errors, 0);
	diags_release(&d);
	return fs;
}

START_TEST(prose_once)
{
	struct content c;
	struct diags d;
	struct site_options opt;
	struct fileset *fs;
	size_t i, partners = 0, loaded;

	nseen = 0;
	diags_init(&d);
	ck_assert(content_load(&c, "content", &counting_opt, &d));
	ck_assert_uint_eq(d.errors, 0);
	/* Every summary, the bodies, the introduction, the decisions... */
	for (i = 0; i < c.npartners; i++)
		partners += c.partners[i].digest != NULL;
	ck_assert_uint_gt(nseen, partners);
	/* Every prose field of the briefing is kept rendered for the pages. */
	{
		const struct briefing *b = c.briefing;
		const struct prose_list *lists[] = {&b->background, &b->considerations,
						    &b->purposes, &b->priorities};
		size_t k;
		ck_assert_ptr_nonnull(content_text(&c, b->introduction));
		ck_assert_ptr_nonnull(content_text(&c, b->new_partnerships.text));
		if (b->partners_intro)
			ck_assert_ptr_nonnull(content_text(&c, b->partners_intro));
		for (k = 0; k < 4; k++)
			for (i = 0; i < lists[k]->n; i++)
				ck_assert_ptr_nonnull(content_text(&c, lists[k]->items[i].text));
		for (i = 0; i < b->recommendation.decisions.n; i++)
			ck_assert_ptr_nonnull(content_text(&c, b->recommendation.decisions.items[i].text));
	}
	loaded = nseen;
	/* A build (twice: the PDF's is a second one) renders none again: it
	 * uses what the load kept. */
	site_options_init(&opt);
	opt.include_internal = true;
	fs = build(&c, &opt);
	fileset_free(fs);
	fs = build(&c, &opt);
	fileset_free(fs);
	ck_assert_uint_eq(nseen, loaded);
	content_release(&c);
	diags_release(&d);
}
END_TEST

/* ---- a build reads no content file again ----------------------------------- */

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(build_reads_nothing_again)
{
	struct content a, b;
	struct diags d;
	struct site_options opt;
	struct fileset *fa, *fb;
	char *err = NULL, *dir = tempdir_create("pages", &err), *cmd, *path;
	size_t i;

	ck_assert_ptr_nonnull(dir);
	cmd = xasprintf("cp -r content '%s/c'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	diags_init(&d);
	path = xasprintf("%s/c", dir);
	ck_assert(content_load(&a, "content", &site_copt, &d));
	ck_assert(content_load(&b, path, &site_copt, &d));
	ck_assert_uint_eq(d.errors, 0);
	free(path);
	/* Every partner file of b's folder is broken after it was loaded. */
	for (i = 0; i < b.npartners; i++)
		write_text(b.partners[i].path, "name: [unclosed\n");
	site_options_init(&opt);
	fa = build(&a, &opt);
	fb = build(&b, &opt);
	ck_assert_uint_eq(fa->n, fb->n);
	for (i = 0; i < fa->n; i++) {
		const struct fileset_file *f = fileset_get(fb, fa->files[i].path);
		ck_assert_ptr_nonnull(f);
		ck_assert_msg(f->data.len == fa->files[i].data.len &&
				      !memcmp(f->data.ptr, fa->files[i].data.ptr, f->data.len),
			      "%s differs", fa->files[i].path);
	}
	fileset_free(fa);
	fileset_free(fb);
	content_release(&a);
	content_release(&b);
	diags_release(&d);
	ck_assert_int_eq(tempdir_remove(dir), 0);
	free(dir);
}
END_TEST

/* Loaded only to be checked: no pages, and a build says so. */
START_TEST(checked_only_has_no_pages)
{
	struct content c;
	struct diags d;
	struct content_page pg;
	struct arena a;

	diags_init(&d);
	ck_assert(content_load(&c, "content", NULL, &d));
	arena_init(&a);
	ck_assert_int_eq(content_page(&c, 0, &a, &pg), -1);
	ck_assert_ptr_null(content_text(&c, c.briefing->introduction));
	arena_release(&a);
	content_release(&c);
	diags_release(&d);
}
END_TEST

/* Reads through the per-thread piece read ahead stay true: in order, from
 * the end back, records larger than the piece, two spills in turn, a spill
 * released and made again at the same place with other bytes, and a file
 * that grew after its end was read. */
static void fill_record(struct buf *rec, unsigned tag, size_t i, size_t n)
{
	buf_reset(rec);
	while (rec->len < n)
		buf_addf(rec, "%u:%zu;", tag, i);
}

static void check_record(const struct spill *s, size_t off, size_t len, unsigned tag, size_t i)
{
	struct buf want = BUF_INIT;
	char *got = xmalloc(len + 1);

	fill_record(&want, tag, i, len);
	ck_assert_int_eq(spill_read(s, off, got, len), 0);
	if (memcmp(got, want.ptr, len) != 0)
		ck_abort_msg("spill %u record %zu reads back wrong", tag, i);
	free(got);
	buf_release(&want);
}

START_TEST(spill_reads_ahead_true)
{
	struct spill a, b;
	struct buf rec = BUF_INIT;
	size_t offa[400], lena[400], offb[400], lenb[400], i, round;

	for (round = 0; round < 2; round++) {
		unsigned ta = (unsigned)round * 2 + 1, tb = (unsigned)round * 2 + 2;

		spill_init(&a, 1024);
		spill_init(&b, 1024);
		for (i = 0; i < 400; i++) {
			lena[i] = 1 + (i * 7919 + round * 13) % (i % 50 == 7 ? 150000 : 3000);
			fill_record(&rec, ta, i, lena[i]);
			offa[i] = spill_add(&a, rec.ptr, rec.len);
			lenb[i] = lena[i];   /* at the same offsets as a's, other bytes */
			fill_record(&rec, tb, i, lenb[i]);
			offb[i] = spill_add(&b, rec.ptr, rec.len);
			ck_assert_uint_ne(offa[i], (size_t)-1);
			ck_assert_uint_ne(offb[i], (size_t)-1);
		}
		ck_assert(spill_on_disk(&a) && spill_on_disk(&b));
		for (i = 0; i < 400; i++) {
			check_record(&a, offa[i], lena[i], ta, i);
			check_record(&b, offb[i], lenb[i], tb, i);
		}
		for (i = 400; i-- > 0;)
			check_record(&a, offa[i], lena[i], ta, i);
		check_record(&a, offa[399], lena[399], ta, 399);
		/* More added after the end was read: read where it was cut. */
		fill_record(&rec, ta, 400, 5000);
		offa[0] = spill_add(&a, rec.ptr, rec.len);
		fill_record(&rec, ta, 401, 100000);
		offa[1] = spill_add(&a, rec.ptr, rec.len);
		check_record(&a, offa[0], 5000, ta, 400);
		check_record(&a, offa[1], 100000, ta, 401);
		/* Released: the next round makes them again at the same places. */
		spill_release(&a);
		spill_release(&b);
	}
	buf_release(&rec);
}
END_TEST


/* spill_expect: pages bound to pass the memory bound go to the file after
 * SPILL_GUESS of them, not once the bound is full; a count that fits keeps
 * them in memory; and the same bytes come back either way. */
START_TEST(spill_expect_moves_early)
{
	struct spill s;
	struct buf rec = BUF_INIT;
	size_t off[200], i, round;

	for (round = 0; round < 3; round++) {
		spill_init(&s, 64 << 10);
		if (round == 1)
			spill_expect(&s, 1000);   /* 1 000 x 300 B: past 64 KiB */
		if (round == 2)
			spill_expect(&s, 100);    /* 100 x 300 B: fits */
		for (i = 0; i < 200; i++) {
			fill_record(&rec, 9, i, 300);
			off[i] = spill_add(&s, rec.ptr, rec.len);
			ck_assert_uint_ne(off[i], (size_t)-1);
			if (i == SPILL_GUESS - 1)
				ck_assert(!spill_on_disk(&s));
			if (i == SPILL_GUESS)
				ck_assert_int_eq(spill_on_disk(&s), round == 1);
		}
		ck_assert_int_eq(spill_on_disk(&s), round == 1);
		for (i = 0; i < 200; i++)
			check_record(&s, off[i], 300, 9, i);
		spill_release(&s);
	}
	buf_release(&rec);
}
END_TEST

static long io_calls(const char *what);

/* Once on disk, the memory of a piece is kept from one write to the next,
 * not given back and grown again (ten reallocs a piece), and the file is
 * written in pieces of 256 KiB (counted in /proc/self/io). */
START_TEST(spill_keeps_its_piece)
{
	struct spill s;
	struct buf rec = BUF_INIT;
	size_t i, cap = 0, total = 0, fails = 0;
	bool changed = false;
	long before = io_calls("syscw"), after;

	/* No check in the loop: check's own messages are writes too. */
	spill_init(&s, 4096);
	for (i = 0; i < 2000; i++) {
		total += 1 + (i * 37) % 700;
		fill_record(&rec, 3, i, 1 + (i * 37) % 700);
		fails += spill_add(&s, rec.ptr, rec.len) == (size_t)-1;
		if (spill_on_disk(&s) && i > 20) {
			if (!cap)
				cap = s.mem.cap;
			changed |= s.mem.cap != cap;
		}
	}
	after = io_calls("syscw");
	ck_assert_uint_eq(fails, 0);
	ck_assert(!changed);
	ck_assert_uint_ge(cap, (size_t)256 << 10);
	if (before >= 0 && after >= 0)
		ck_assert_msg(after - before <= (long)(total >> 18) + 3, "%ld writes for %zu bytes",
			      after - before, total);
	spill_release(&s);
	buf_release(&rec);
}
END_TEST

/* Two threads taking turns at the records, as the pool hands them out:
 * they share the pieces read ahead, so the file is read about once between
 * them (counted in /proc/self/io), not once each, and every record reads
 * back true. */
struct turns {
	const struct spill *s;
	const size_t *off, *len;
	size_t n, next;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *take_turns(void *arg)
{
	struct turns *t = arg;
	size_t me = 1, i;

	for (;;) {
		pthread_mutex_lock(&t->lock);
		while (t->next < t->n && t->next % 2 != me)
			pthread_cond_wait(&t->cond, &t->lock);
		i = t->next;
		pthread_mutex_unlock(&t->lock);
		if (i >= t->n)
			return NULL;
		check_record(t->s, t->off[i], t->len[i], 5, i);
		pthread_mutex_lock(&t->lock);
		t->next++;
		pthread_cond_broadcast(&t->cond);
		pthread_mutex_unlock(&t->lock);
	}
}

/* The process's read (syscr) or write (syscw) system calls so far, or -1
 * without /proc. */
static long io_calls(const char *what)
{
	FILE *f = fopen("/proc/self/io", "r");
	char line[128];
	long n = -1;
	size_t len = strlen(what);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, what, len) && line[len] == ':') {
			n = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return n;
}

START_TEST(spill_threads_share_pieces)
{
	struct spill s;
	struct buf rec = BUF_INIT;
	enum { N = 600 };
	size_t off[N], len[N], i, total = 0;
	struct turns t = {&s, off, len, N, 0, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
	pthread_t other;
	long before, after;

	spill_init(&s, 1024);
	for (i = 0; i < N; i++) {
		len[i] = 2000 + (i * 7919) % 4000;
		fill_record(&rec, 5, i, len[i]);
		off[i] = spill_add(&s, rec.ptr, rec.len);
		total += len[i];
	}
	ck_assert(spill_on_disk(&s));
	before = io_calls("syscr");
	ck_assert_int_eq(pthread_create(&other, NULL, take_turns, &t), 0);
	/* This thread takes the even records. */
	for (;;) {
		pthread_mutex_lock(&t.lock);
		while (t.next < N && t.next % 2 != 0)
			pthread_cond_wait(&t.cond, &t.lock);
		i = t.next;
		pthread_mutex_unlock(&t.lock);
		if (i >= N)
			break;
		check_record(&s, off[i], len[i], 5, i);
		pthread_mutex_lock(&t.lock);
		t.next++;
		pthread_cond_broadcast(&t.cond);
		pthread_mutex_unlock(&t.lock);
	}
	pthread_join(other, NULL);
	after = io_calls("syscr");
	if (before >= 0 && after >= 0) {
		long pieces = (long)(total / (32 << 10)) + 1;

		/* Each thread's own pieces took about twice as many. */
		ck_assert_msg(after - before <= pieces + pieces / 4 + 4,
			      "%ld reads for %ld pieces", after - before, pieces);
	}
	spill_release(&s);
	buf_release(&rec);
}
END_TEST

/* A summary whose Markdown is its source is kept once in the page (the
 * usual case, PAGE_SAME); one whose Markdown differs keeps both.  Here a
 * renderer that adds a mark to every Markdown makes them all differ: both
 * ways must give back exactly what was rendered. */
static char *marking_render(const char *src, size_t len, struct buf *html, struct buf *md)
{
	char *bad = site_prose.render(src, len, html, md);

	if (!bad)
		buf_adds(md, "<!-- mark -->");
	return bad;
}

static const struct content_prose marking = {marking_render};

START_TEST(summary_md_kept_once)
{
	const struct content_options mark_opt = {&marking, 1}, plain_opt = {&site_prose, 1};
	struct content plain, marked;
	struct diags d;
	struct arena a;
	size_t i, same = 0;

	diags_init(&d);
	ck_assert(content_load(&plain, "content", &plain_opt, &d));
	ck_assert(content_load(&marked, "content", &mark_opt, &d));
	ck_assert_uint_eq(d.errors, 0);
	ck_assert_uint_eq(plain.npartners, marked.npartners);
	arena_init(&a);
	for (i = 0; i < plain.npartners; i++) {
		struct content_page pp, pm;
		struct buf html = BUF_INIT, md = BUF_INIT;
		char *bad;

		if (!plain.partners[i].has_page)
			continue;
		ck_assert_int_eq(content_page(&plain, i, &a, &pp), 0);
		ck_assert_int_eq(content_page(&marked, i, &a, &pm), 0);
		if (!pp.summary)
			continue;
		bad = site_prose.render(pp.summary, strlen(pp.summary), &html, &md);
		ck_assert_ptr_null(bad);
		ck_assert_uint_eq(pp.summary_md_len, md.len);
		ck_assert(!memcmp(pp.summary_md, md.ptr, md.len) && !pp.summary_md[md.len]);
		buf_adds(&md, "<!-- mark -->");
		ck_assert_uint_eq(pm.summary_md_len, md.len);
		ck_assert(!memcmp(pm.summary_md, md.ptr, md.len) && !pm.summary_md[md.len]);
		ck_assert_str_eq(pp.summary_html, pm.summary_html);
		ck_assert_str_eq(pp.summary, pm.summary);
		if (pp.summary_md == pp.summary) {
			/* Kept once: the page is shorter by the copy. */
			same++;
			ck_assert_uint_le(plain.partners[i].page_len + md.len - 4,
					  marked.partners[i].page_len);
		}
		buf_release(&html);
		buf_release(&md);
	}
	ck_assert_uint_gt(same, 0);
	arena_release(&a);
	content_release(&plain);
	content_release(&marked);
	diags_release(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pages");
	TCase *tc = tcase_create("pages");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, spill_memory_then_file);
	tcase_add_test(tc, spill_reads_ahead_true);
	tcase_add_test(tc, spill_expect_moves_early);
	tcase_add_test(tc, spill_keeps_its_piece);
	tcase_add_test(tc, spill_threads_share_pieces);
	tcase_add_test(tc, summary_md_kept_once);
	tcase_add_test(tc, prose_once);
	tcase_add_test(tc, build_reads_nothing_again);
	tcase_add_test(tc, checked_only_has_no_pages);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

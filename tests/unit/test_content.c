/* Unit tests of src/model/content on the bundled content/ (run from the source tree). */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/content.h"
#include "unit.h"
#include "util/tempdir.h"
#include "validate/record.h"

static struct content content;
static struct diags diags;

static void setup(void)
{
	diags_init(&diags);
	ck_assert(content_load(&content, "content", NULL, &diags));
}

static void teardown(void)
{
	content_release(&content);
	diags_release(&diags);
}

static const struct partner *digest(const char *slug)
{
	const struct content_partner *p = content_find(&content, slug);

	ck_assert_msg(p != NULL, "no partner %s", slug);
	ck_assert_msg(p->digest != NULL, "no digest of %s", slug);
	return p->digest;
}

START_TEST(loads_with_one_warning)
{
	const struct diag *w;

	ck_assert(!content.io_error);
	ck_assert_uint_eq(diags.errors, 0);
	ck_assert_uint_eq(diags.warnings, 1);
	ck_assert(!diags_failed(&diags));
	w = find_diag(&diags, "amount of 'Det Danske Kulturinstitut i Kecskemet' is not stated");
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(w->file, "content/partners/bacs-kiskun.yaml");
	ck_assert_int_eq(w->severity, SEV_WARNING);
	diags.strict = true;
	ck_assert(diags_failed(&diags));
}
END_TEST

START_TEST(seven_partners_in_order)
{
	static const char *const order[] = {
	    "leningrad-oblast", "nedre-schlesien", "gyor-moson-sopron", "bacs-kiskun",
	    "brasov",		"shanghai",	   "vastra-gotaland"};
	size_t i;

	ck_assert_uint_eq(content.npartners, 7);
	for (i = 0; i < 7; i++) {
		ck_assert_str_eq(content.partners[i].slug, order[i]);
		ck_assert(content.partners[i].named);
		ck_assert_ptr_nonnull(content.partners[i].digest);
		ck_assert_int_eq(content.partners[i].candidate, i == 6);
	}
	ck_assert_str_eq(content.partners[4].path, "content/partners/brasov.yaml");
	ck_assert_ptr_null(content_find(&content, "nowhere"));
}
END_TEST

START_TEST(briefing)
{
	const struct briefing *b = content.briefing;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->meeting.date.year, 2006);
	ck_assert_int_eq(b->meeting.date.month, 10);
	ck_assert_int_eq(b->meeting.date.day, 23);
	ck_assert_int_eq(b->meeting.item, 18);
	ck_assert_int_eq(b->budget_year, 2007);
	ck_assert_int_eq(b->language, LANG_DA);
	ck_assert_uint_eq(b->partners.n, 6);
	ck_assert_uint_eq(b->purposes.n, 4);
	ck_assert_uint_eq(b->recommendation.decisions.n, 2);
	ck_assert_int_eq(b->recommendation.decisions.items[1].status, STATUS_TERMINATE);
	ck_assert_uint_eq(b->new_partnerships.candidates.n, 1);
	ck_assert_uint_eq(b->new_partnerships.costs.n, 1);
	ck_assert_int_eq(b->new_partnerships.costs.items[0].amount.value, 200000);
}
END_TEST

START_TEST(digests_keep_costs)
{
	const struct partner *p = digest("gyor-moson-sopron");

	/* The shared cost is in one file and names the other partner. */
	ck_assert_uint_eq(p->costs.n, 2);
	ck_assert_str_eq(p->costs.items[0].label,
			 "Samarbejdet med Györ-Moson-Sopron og Bacs-Kiskun");
	ck_assert_int_eq(p->costs.items[0].amount.value, 50000);
	ck_assert(p->costs.items[0].amount.stated);
	ck_assert_int_eq(p->costs.items[0].kind, KIND_MAX);
	ck_assert_int_eq(p->costs.items[0].year, 2007);
	ck_assert_uint_eq(p->costs.items[0].shared_with.n, 1);
	ck_assert_str_eq(p->costs.items[0].shared_with.items[0], "bacs-kiskun");
	ck_assert_ptr_null(p->costs.items[0].shared_with.nodes);
	ck_assert_ptr_null(p->costs.items[0].node);
	ck_assert_int_eq(p->costs.items[1].amount.value, 400000);
	ck_assert_int_eq(p->costs.items[1].kind, KIND_FIXED);
}
END_TEST

START_TEST(digest_of_unstated_commitment)
{
	const struct partner *p = digest("bacs-kiskun");

	ck_assert_uint_eq(p->costs.n, 1);
	ck_assert(!p->costs.items[0].amount.stated);
	ck_assert_int_eq(p->costs.items[0].recurrence, RECUR_YEARLY);
	ck_assert_int_eq(p->costs.items[0].until, 2008);
	ck_assert_ptr_nonnull(p->costs.items[0].note);
}
END_TEST

START_TEST(digest_keeps_alternatives)
{
	const struct partner *p = digest("shanghai");
	const struct cost *office = &p->costs.items[1];

	ck_assert_uint_eq(p->costs.n, 2);
	ck_assert_int_eq(office->amount.value, 200000);
	ck_assert_int_eq(office->recurrence, RECUR_YEARLY);
	ck_assert_uint_eq(office->alternatives.n, 1);
	ck_assert_str_eq(office->alternatives.items[0].label, "ved fuld tid");
	ck_assert_int_eq(office->alternatives.items[0].amount.value, 375000);
	ck_assert_ptr_null(office->alternatives.items[0].node);
}
END_TEST

START_TEST(digest_drops_prose_and_nodes)
{
	const struct partner *p = digest("brasov");

	ck_assert_str_eq(p->slug, "brasov");
	ck_assert_str_eq(p->name, "Brasov Amt");
	ck_assert_str_eq(p->country, "RO");
	ck_assert_ptr_null(p->summary);   /* prose is loaded again when needed */
	ck_assert_ptr_null(p->body);
	ck_assert_ptr_null(p->node);
	ck_assert_uint_eq(p->institutions.n, 0);
	ck_assert_uint_eq(p->focus.n, 3);
	ck_assert_ptr_null(p->focus.nodes);
	ck_assert_int_eq(digest("vastra-gotaland")->status, STATUS_EXPLORE);
	ck_assert_int_eq(digest("nedre-schlesien")->since, 2001);
}
END_TEST

START_TEST(load_partner_in_full)
{
	struct arena a;
	struct diags d;
	struct partner *p;

	arena_init(&a);
	diags_init(&d);
	p = content_load_partner(&content, 4, &a, &d);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_str_eq(p->slug, "brasov");
	ck_assert_ptr_nonnull(p->body);
	ck_assert_uint_eq(p->institutions.n, 3);
	ck_assert_str_eq(p->institutions.items[0].name, "DAROBI Center");
	ck_assert_ptr_nonnull(p->node);
	ck_assert_int_eq(p->node->line, 2);
	diags_release(&d);
	arena_release(&a);
}
END_TEST

START_TEST(missing_folder_is_io_error)
{
	struct content c;
	struct diags d;

	diags_init(&d);
	ck_assert(!content_load(&c, "/nonexistent/briefgen-content", NULL, &d));
	ck_assert(c.io_error);
	ck_assert_ptr_nonnull(find_diag(&d, "not a content folder"));
	content_release(&c);
	diags_release(&d);
}
END_TEST

/* Copy the bundled content/ file name (relative) to dir/name. */
static void copy_file(const char *dir, const char *name)
{
	size_t len;
	char *from = xasprintf("content/%s", name), *to = xasprintf("%s/%s", dir, name);
	char *text = load_read_file(from, LOAD_MAX_BRIEFING, &len);
	FILE *f = fopen(to, "wb");

	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	free(text);
	free(from);
	free(to);
}

/* The listing's word on each partner file (content_partner.listed_regular)
 * reaches the loader: a regular file is read on it; a link (into the
 * folder, read through the careful way) and a FIFO (refused at once, not
 * waited on) are not taken for regular files, and come out as before. */
START_TEST(listing_says_which_files_are_regular)
{
	static const char *const slugs[] = {
	    "leningrad-oblast", "nedre-schlesien", "gyor-moson-sopron", "bacs-kiskun",
	    "brasov",		"shanghai",	   "vastra-gotaland"};
	char *err = NULL, *dir = tempdir_create("test", &err), *p, *q;
	struct content c;
	struct diags d;
	struct dirent *de;
	bool typed = false;
	DIR *dp;
	size_t i;

	ck_assert_ptr_nonnull(dir);
	p = xasprintf("%s/partners", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
	p = xasprintf("%s/kilder", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
	copy_file(dir, "briefing.yaml");
	for (i = 0; i < 7; i++) {
		p = xasprintf("partners/%s.yaml", slugs[i]);
		if (strcmp(slugs[i], "shanghai") != 0)
			copy_file(dir, p);
		free(p);
	}
	p = xasprintf("%s/partners/brasov.yaml", dir);
	q = xasprintf("%s/kilder/brasov.yaml", dir);
	ck_assert_int_eq(rename(p, q), 0);
	ck_assert_int_eq(symlink("../kilder/brasov.yaml", p), 0);
	free(q);
	free(p);
	/* Does this file system say what a file is in its listing? */
	p = xasprintf("%s/partners", dir);
	ck_assert_ptr_nonnull(dp = opendir(p));
	while ((de = readdir(dp)))
		if (strcmp(de->d_name, "brasov.yaml") != 0 && de->d_name[0] != '.')
			typed = de->d_type == DT_REG;
	closedir(dp);
	free(p);
	p = xasprintf("%s/partners/shanghai.yaml", dir);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
	free(p);

	diags_init(&d);
	content_load(&c, dir, NULL, &d);
	ck_assert_uint_eq(c.npartners, 7);
	for (i = 0; i < 7; i++) {
		const struct content_partner *cp = &c.partners[i];
		bool odd = strcmp(cp->slug, "brasov") == 0 || strcmp(cp->slug, "shanghai") == 0;

		ck_assert_str_eq(cp->slug, slugs[i]);
		/* DT_UNKNOWN where the file system does not say: never regular. */
		if (odd)
			ck_assert_msg(!cp->listed_regular, "%s listed as a regular file", cp->slug);
		else
			ck_assert_int_eq(cp->listed_regular, typed);
		ck_assert_int_eq(cp->digest != NULL, strcmp(cp->slug, "shanghai") != 0);
	}
	ck_assert_ptr_nonnull(find_diag(&d, "not a regular file but a named pipe (FIFO); not read"));
	ck_assert_uint_eq(d.errors, 1);
	content_release(&c);
	diags_release(&d);
	ck_assert_int_eq(tempdir_remove(dir), 0);
	free(dir);
}
END_TEST

static Suite *content_suite(void)
{
	Suite *s = suite_create("content");
	TCase *t = tcase_create("bundled");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, loads_with_one_warning);
	tcase_add_test(t, seven_partners_in_order);
	tcase_add_test(t, briefing);
	tcase_add_test(t, digests_keep_costs);
	tcase_add_test(t, digest_of_unstated_commitment);
	tcase_add_test(t, digest_keeps_alternatives);
	tcase_add_test(t, digest_drops_prose_and_nodes);
	tcase_add_test(t, load_partner_in_full);
	tcase_add_test(t, missing_folder_is_io_error);
	tcase_add_test(t, listing_says_which_files_are_regular);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return run_suite(content_suite());
}

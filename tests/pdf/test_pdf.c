/*
 * test_pdf: pdf/finish.c on small hand-made PDFs, read back with libqpdf;
 * pdf/engine.c with fake engines (shell scripts) that fail, hang, or write
 * garbage; util/tempdir.c.
 */
#include <check.h>
#include <qpdf/qpdf-c.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdf/engine.h"
#include "pdf/finish.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/tempdir.h"

/* A PDF of npages empty A4 pages whose first page carries two link
 * annotations, one to a file: URI, one to https:, with a correct xref. */
static void make_pdf(struct buf *b, int npages)
{
	size_t off[16];
	int nobj = 0, i;
	struct buf kids = BUF_INIT;

	buf_reset(b);
	buf_adds(b, "%PDF-1.4\n");
	off[++nobj] = b->len;
	buf_adds(b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	for (i = 0; i < npages; i++)
		buf_addf(&kids, "%d 0 R ", 6 + i);
	off[++nobj] = b->len;
	buf_addf(b, "2 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n", kids.ptr, npages);
	off[++nobj] = b->len;
	buf_adds(b, "3 0 obj\n<< /Title (Page title) /CreationDate (D:20261129120000Z) "
		    "/Creator (Mozilla/5.0 HeadlessChrome) /Producer (Skia/PDF m156) >>\nendobj\n");
	off[++nobj] = b->len;
	buf_adds(b, "4 0 obj\n<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI "
		    "/URI (file:///tmp/briefgen-site-AbCdEf/partners/x.html) >> >>\nendobj\n");
	off[++nobj] = b->len;
	buf_adds(b, "5 0 obj\n<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI "
		    "/URI (https://example.org/) >> >>\nendobj\n");
	for (i = 0; i < npages; i++) {
		off[++nobj] = b->len;
		buf_addf(b, "%d 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]%s >>\n"
			    "endobj\n", 6 + i, i == 0 ? " /Annots [4 0 R 5 0 R]" : "");
	}
	{
		size_t xref = b->len;
		buf_addf(b, "xref\n0 %d\n0000000000 65535 f \n", nobj + 1);
		for (i = 1; i <= nobj; i++)
			buf_addf(b, "%010zu 00000 n \n", off[i]);
		buf_addf(b, "trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
			 nobj + 1, xref);
	}
	buf_release(&kids);
}

/* A one-page PDF with a structure tree whose element IDs are Chromium's
 * node numbers a and b (a < b): two elements, an /IDTree with /Limits,
 * and a table cell whose /Headers names the first. */
static void make_tagged_pdf(struct buf *b, int a, int bb)
{
	char objs[8][256];
	size_t off[9];
	int i;

	snprintf(objs[0], 256, "<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 4 0 R "
			       "/MarkInfo << /Marked true >> >>");
	snprintf(objs[1], 256, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
	snprintf(objs[2], 256, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
	snprintf(objs[3], 256, "<< /Type /StructTreeRoot /K [5 0 R 6 0 R] /IDTree 7 0 R >>");
	snprintf(objs[4], 256, "<< /Type /StructElem /S /TH /P 4 0 R /ID (node%08d) >>", a);
	snprintf(objs[5], 256, "<< /Type /StructElem /S /TD /P 4 0 R /ID (node%08d) "
			       "/A [ << /O /Table /Headers [(node%08d)] >> ] >>", bb, a);
	snprintf(objs[6], 256, "<< /Names [(node%08d) 5 0 R (node%08d) 6 0 R] "
			       "/Limits [(node%08d) (node%08d)] >>", a, bb, a, bb);
	snprintf(objs[7], 256, "<< /Producer (Skia/PDF m156) >>");
	buf_reset(b);
	buf_adds(b, "%PDF-1.4\n");
	for (i = 0; i < 8; i++) {
		off[i + 1] = b->len;
		buf_addf(b, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	{
		size_t xref = b->len;
		buf_adds(b, "xref\n0 9\n0000000000 65535 f \n");
		for (i = 1; i <= 8; i++)
			buf_addf(b, "%010zu 00000 n \n", off[i]);
		buf_addf(b, "trailer\n<< /Size 9 /Root 1 0 R /Info 8 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
			 xref);
	}
}

static const struct docinfo INFO = {
	"Region Midtjyllands internationale samarbejder", "Bilag til punkt nr. 18",
	"Region Midtjylland", "Forberedelsesudvalget, Györ-Moson-Sopron Amt", "da"};

/* Read the finished PDF back. */
static qpdf_data reread(const struct buf *pdf)
{
	qpdf_data q = qpdf_init();

	qpdf_silence_errors(q);
	ck_assert_int_eq(qpdf_read_memory(q, "out", pdf->ptr, pdf->len, NULL) & QPDF_ERRORS, 0);
	return q;
}

static const char *info_utf8(qpdf_data q, const char *key)
{
	qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");

	if (!qpdf_oh_has_key(q, info, key))
		return NULL;
	return qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, info, key));
}

START_TEST(finish_sets_document_information)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	char *err = NULL;
	qpdf_data q;
	qpdf_oh root, prefs;

	make_pdf(&in, 2);
	ck_assert_int_eq(pdf_finish(in.ptr, in.len, &INFO, -1, &out, &err), 0);
	q = reread(&out);
	ck_assert_str_eq(info_utf8(q, "/Title"), INFO.title);
	ck_assert_str_eq(info_utf8(q, "/Subject"), INFO.subject);
	ck_assert_str_eq(info_utf8(q, "/Author"), INFO.author);
	ck_assert_str_eq(info_utf8(q, "/Keywords"), INFO.keywords);
	ck_assert_str_eq(info_utf8(q, "/Producer"), "Skia/PDF m156");
	ck_assert_msg(strncmp(info_utf8(q, "/Creator"), "briefgen ", 9) == 0,
		      "the engine's user agent is still the Creator");
	/* No date without SOURCE_DATE_EPOCH: the time of printing is gone. */
	ck_assert_ptr_null(info_utf8(q, "/CreationDate"));
	ck_assert_ptr_null(info_utf8(q, "/ModDate"));
	root = qpdf_get_root(q);
	ck_assert_str_eq(qpdf_oh_get_utf8_value(q, qpdf_oh_get_key(q, root, "/Lang")), "da");
	prefs = qpdf_oh_get_key(q, root, "/ViewerPreferences");
	ck_assert(qpdf_oh_get_bool_value(q, qpdf_oh_get_key(q, prefs, "/DisplayDocTitle")));
	ck_assert_int_eq(qpdf_get_num_pages(q), 2);
	qpdf_cleanup(&q);
	buf_release(&in);
	buf_release(&out);
}
END_TEST

START_TEST(finish_dates_from_source_date_epoch)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	char *err = NULL;
	qpdf_data q;

	make_pdf(&in, 1);
	ck_assert_int_eq(pdf_finish(in.ptr, in.len, &INFO, 1161554400, &out, &err), 0);
	q = reread(&out);
	ck_assert_str_eq(info_utf8(q, "/CreationDate"), "D:20061022220000Z");
	ck_assert_str_eq(info_utf8(q, "/ModDate"), "D:20061022220000Z");
	qpdf_cleanup(&q);
	buf_release(&in);
	buf_release(&out);
}
END_TEST

START_TEST(finish_drops_file_links_keeps_web_links)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	char *err = NULL;
	qpdf_data q;
	qpdf_oh annots;

	make_pdf(&in, 1);
	ck_assert_int_eq(pdf_finish(in.ptr, in.len, &INFO, -1, &out, &err), 0);
	q = reread(&out);
	annots = qpdf_oh_get_key(q, qpdf_get_page_n(q, 0), "/Annots");
	ck_assert_int_eq(qpdf_oh_get_array_n_items(q, annots), 2);
	ck_assert(!qpdf_oh_has_key(q, qpdf_oh_get_array_item(q, annots, 0), "/A"));
	ck_assert_str_eq(qpdf_oh_get_string_value(
				 q, qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_oh_get_array_item(
									      q, annots, 1),
								   "/A"),
						    "/URI")),
			 "https://example.org/");
	qpdf_cleanup(&q);
	buf_release(&in);
	buf_release(&out);
}
END_TEST

START_TEST(finish_is_reproducible)
{
	struct buf in = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	char *err = NULL;

	make_pdf(&in, 3);
	ck_assert_int_eq(pdf_finish(in.ptr, in.len, &INFO, 1161554400, &a, &err), 0);
	ck_assert_int_eq(pdf_finish(in.ptr, in.len, &INFO, 1161554400, &b, &err), 0);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert(memcmp(a.ptr, b.ptr, a.len) == 0);
	/* and the /ID follows the content: another title, another file */
	{
		struct docinfo other = INFO;
		other.title = "Another title";
		ck_assert_int_eq(pdf_finish(in.ptr, in.len, &other, 1161554400, &b, &err), 0);
		ck_assert(a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0);
	}
	buf_release(&in);
	buf_release(&a);
	buf_release(&b);
}
END_TEST

START_TEST(finish_renumbers_structure_ids)
{
	struct buf in = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	char *err = NULL;
	qpdf_data q;
	qpdf_oh tree, names, limits, td, headers;

	/* Chromium's node counter shifted by one between two prints of the
	 * same page: the finished files must still be the same. */
	make_tagged_pdf(&in, 104, 462);
	ck_assert_int_eq(pdf_finish(in.ptr, in.len, &INFO, -1, &a, &err), 0);
	make_tagged_pdf(&in, 103, 461);
	ck_assert_int_eq(pdf_finish(in.ptr, in.len, &INFO, -1, &b, &err), 0);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_msg(memcmp(a.ptr, b.ptr, a.len) == 0, "shifted node IDs gave another PDF");
	/* renumbered by rank everywhere: /ID, the name tree and /Headers */
	q = reread(&a);
	tree = qpdf_oh_get_key(q, qpdf_oh_get_key(q, qpdf_get_root(q), "/StructTreeRoot"), "/IDTree");
	names = qpdf_oh_get_key(q, tree, "/Names");
	limits = qpdf_oh_get_key(q, tree, "/Limits");
	ck_assert_str_eq(qpdf_oh_get_string_value(q, qpdf_oh_get_array_item(q, names, 0)), "node00000001");
	ck_assert_str_eq(qpdf_oh_get_string_value(q, qpdf_oh_get_array_item(q, names, 2)), "node00000002");
	ck_assert_str_eq(qpdf_oh_get_string_value(q, qpdf_oh_get_array_item(q, limits, 0)), "node00000001");
	ck_assert_str_eq(qpdf_oh_get_string_value(q, qpdf_oh_get_array_item(q, limits, 1)), "node00000002");
	td = qpdf_oh_get_array_item(q, names, 3);
	ck_assert_str_eq(qpdf_oh_get_string_value(q, qpdf_oh_get_key(q, td, "/ID")), "node00000002");
	headers = qpdf_oh_get_key(q, qpdf_oh_get_array_item(q, qpdf_oh_get_key(q, td, "/A"), 0),
				  "/Headers");
	ck_assert_str_eq(qpdf_oh_get_string_value(q, qpdf_oh_get_array_item(q, headers, 0)),
			 "node00000001");
	qpdf_cleanup(&q);
	buf_release(&in);
	buf_release(&a);
	buf_release(&b);
}
END_TEST

static void expect_refused(const char *data, size_t len, const char *needle)
{
	struct buf out = BUF_INIT;
	char *err = NULL;

	ck_assert_int_eq(pdf_finish(data, len, &INFO, -1, &out, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strstr(err, needle), "'%s' does not say '%s'", err, needle);
	ck_assert_uint_eq(out.len, 0);
	free(err);
	buf_release(&out);
}

START_TEST(finish_refuses_what_is_not_a_pdf)
{
	struct buf in = BUF_INIT;

	expect_refused("", 0, "not a PDF");
	expect_refused("garbage\n", 8, "not a PDF");
	expect_refused("<html>%PDF-1.4", 14, "not a PDF");
	expect_refused("%PDF-1.4\nxx", 11, "broken PDF");
	make_pdf(&in, 1);
	/* cut in the middle: the xref is lost */
	expect_refused(in.ptr, in.len / 2, "broken PDF");
	make_pdf(&in, 0);
	expect_refused(in.ptr, in.len, "without pages");
	buf_release(&in);
}
END_TEST

/* ---- engine with fake Chromiums ------------------------------------------ */

static char *fake(const char *dir, const char *name, const char *body)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	chmod(path, 0755);
	return path;
}

static int count_entries(const char *dir)
{
	char *cmd = xasprintf("ls -A '%s' | wc -l", dir);
	FILE *p = popen(cmd, "r");
	int n = -1;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	free(cmd);
	return n;
}

START_TEST(engine_failures_leave_nothing_behind)
{
	char *err = NULL, *top = tempdir_create("test-engine", &err), *tmp, *pidfile;
	static const struct {
		const char *name, *body, *says;
	} cases[] = {
		{"fails", "echo 'something went wrong' >&2; exit 3", "exit status 3"},
		{"crashes", "kill -SEGV $$", "crashed"},
		{"hangs", "echo $$ > \"$PIDFILE\"; sleep 1000 & wait", "did not finish"},
		{"writes-nothing", "exit 0", "wrote no PDF"},
	};
	struct engine e;
	struct buf pdf = BUF_INIT;
	size_t i;

	ck_assert_ptr_nonnull(top);
	tmp = xasprintf("%s/tmp", top);
	pidfile = xasprintf("%s/pid", top);
	ck_assert_int_eq(mkdir(tmp, 0700), 0);
	setenv("TMPDIR", tmp, 1);
	setenv("PIDFILE", pidfile, 1);
	setenv("BRIEFGEN_PDF_TIMEOUT", "1", 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = fake(top, cases[i].name, cases[i].body);
		ck_assert_int_eq(engine_find(&e, path, &err), 0);
		ck_assert_int_eq(engine_print(&e, "/nonexistent/print.html", &pdf, &err), -1);
		ck_assert_msg(strstr(err, cases[i].says), "%s: '%s' does not say '%s'",
			      cases[i].name, err, cases[i].says);
		ck_assert_uint_eq(pdf.len, 0);
		ck_assert_msg(count_entries(tmp) == 0, "%s left files in TMPDIR", cases[i].name);
		free(err);
		err = NULL;
		engine_release(&e);
		free(path);
	}
	/* The hanging engine's shell and its sleep were killed with their group. */
	{
		FILE *f = fopen(pidfile, "r");
		int pid = 0;
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(fscanf(f, "%d", &pid), 1);
		fclose(f);
		int tries;
		ck_assert_msg(kill(pid, 0) != 0, "the hanging engine %d is still running", pid);
		/* Its sleep was killed too; the machine's init may take a moment
		 * to reap the zombie. */
		for (tries = 0; tries < 40 && kill(-pid, 0) == 0; tries++)
			usleep(50 * 1000);
		ck_assert_msg(kill(-pid, 0) != 0, "a process of the engine's group is still running");
	}
	unsetenv("BRIEFGEN_PDF_TIMEOUT");
	unsetenv("TMPDIR");
	ck_assert_int_eq(tempdir_remove(top), 0);
	free(top);
	free(tmp);
	free(pidfile);
	buf_release(&pdf);
}
END_TEST

START_TEST(engine_missing_names_the_fix)
{
	struct engine e;
	char *err = NULL;
	const char *path = getenv("PATH");
	char *saved = path ? xstrdup(path) : NULL;

	ck_assert_int_eq(engine_find(&e, "/nonexistent/chromium", &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "apt-get install chromium"));
	ck_assert_ptr_nonnull(strstr(err, "--chromium"));
	free(err);
	err = NULL;
	setenv("PATH", "/nonexistent", 1);
	unsetenv("BRIEFGEN_CHROMIUM");
	ck_assert_int_eq(engine_find(&e, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no `chromium` on PATH"));
	ck_assert_ptr_nonnull(strstr(err, "apt-get install chromium"));
	free(err);
	if (saved)
		setenv("PATH", saved, 1);
	free(saved);
}
END_TEST

START_TEST(tempdir_removes_everything_and_no_link_target)
{
	char *err = NULL, *top = tempdir_create("test-tempdir", &err), *outside, *cmd;
	struct stat st;

	ck_assert_ptr_nonnull(top);
	outside = tempdir_create("test-outside", &err);
	cmd = xasprintf("mkdir -p '%s/a/b' && echo x > '%s/a/b/f' && echo y > '%s/keep' && "
			"ln -s '%s' '%s/a/link'", top, top, outside, outside, top);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(stat(top, &st), 0);
	ck_assert_int_eq(tempdir_remove(top), 0);
	ck_assert_int_ne(stat(top, &st), 0);
	/* the link was removed, not followed */
	free(cmd);
	cmd = xasprintf("%s/keep", outside);
	ck_assert_int_eq(stat(cmd, &st), 0);
	ck_assert_int_eq(tempdir_remove(outside), 0);
	ck_assert_int_eq(tempdir_remove(NULL), 0);
	free(cmd);
	free(top);
	free(outside);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pdf");
	TCase *tc = tcase_create("pdf");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, finish_sets_document_information);
	tcase_add_test(tc, finish_dates_from_source_date_epoch);
	tcase_add_test(tc, finish_drops_file_links_keeps_web_links);
	tcase_add_test(tc, finish_is_reproducible);
	tcase_add_test(tc, finish_renumbers_structure_ids);
	tcase_add_test(tc, finish_refuses_what_is_not_a_pdf);
	tcase_add_test(tc, engine_failures_leave_nothing_behind);
	tcase_add_test(tc, engine_missing_names_the_fix);
	tcase_add_test(tc, tempdir_removes_everything_and_no_link_target);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

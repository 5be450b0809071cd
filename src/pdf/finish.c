#include "finish.h"

#include <qpdf/qpdf-c.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../util/alloc.h"

/* A PDF date, D:YYYYMMDDHHmmSSZ, of a time in UTC. */
static void pdf_date(long long secs, char out[64])
{
	time_t t = (time_t)secs;
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 64, "D:%04d%02d%02d%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void set_text(qpdf_data q, qpdf_oh dict, const char *key, const char *utf8)
{
	if (utf8 && *utf8)
		qpdf_oh_replace_key(q, dict, key, qpdf_oh_new_unicode_string(q, utf8));
}

/* A new document information dictionary: only what we set, nothing of the
 * engine's (its user agent, the time of printing). */
static void set_info(qpdf_data q, const struct docinfo *info, long long date)
{
	qpdf_oh trailer = qpdf_get_trailer(q);
	qpdf_oh dict = qpdf_oh_new_dictionary(q);
	qpdf_oh old = qpdf_oh_get_key(q, trailer, "/Info");
	char when[64];

	set_text(q, dict, "/Title", info->title);
	set_text(q, dict, "/Subject", info->subject);
	set_text(q, dict, "/Author", info->author);
	set_text(q, dict, "/Keywords", info->keywords);
	set_text(q, dict, "/Creator", "briefgen " BRIEFGEN_VERSION);
	if (qpdf_oh_is_dictionary(q, old) && qpdf_oh_has_key(q, old, "/Producer"))
		qpdf_oh_replace_key(q, dict, "/Producer", qpdf_oh_get_key(q, old, "/Producer"));
	if (date >= 0) {
		pdf_date(date, when);
		qpdf_oh_replace_key(q, dict, "/CreationDate", qpdf_oh_new_string(q, when));
		qpdf_oh_replace_key(q, dict, "/ModDate", qpdf_oh_new_string(q, when));
	}
	qpdf_oh_replace_key(q, trailer, "/Info", qpdf_make_indirect_object(q, dict));
}

static void set_catalog(qpdf_data q, const struct docinfo *info)
{
	qpdf_oh root = qpdf_get_root(q);
	qpdf_oh prefs = qpdf_oh_new_dictionary(q);

	set_text(q, root, "/Lang", info->lang);
	qpdf_oh_replace_key(q, prefs, "/DisplayDocTitle", qpdf_oh_new_bool(q, QPDF_TRUE));
	qpdf_oh_replace_key(q, root, "/ViewerPreferences", prefs);
	/* Open with the bookmarks showing: a reader jumps to a partner or to
	 * the recommendation from there. */
	if (qpdf_oh_has_key(q, root, "/Outlines"))
		qpdf_oh_replace_key(q, root, "/PageMode", qpdf_oh_new_name(q, "/UseOutlines"));
}

/* True for a link annotation to a file: URI.  The engine printed the site
 * from a temporary folder, so such a link points at nothing anywhere the
 * PDF is read, and would tell where (and, by its random name, when) it
 * was made. */
static bool local_file_link(qpdf_data q, qpdf_oh annot)
{
	qpdf_oh action = qpdf_oh_get_key(q, annot, "/A");
	qpdf_oh uri = qpdf_oh_get_key(q, action, "/URI");
	const char *s;

	if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, annot, "/Subtype"), "/Link") ||
	    !qpdf_oh_is_string(q, uri))
		return false;
	s = qpdf_oh_get_string_value(q, uri);
	return s && !strncasecmp(s, "file:", 5);
}

/* The links lose their action, not their annotation: the structure tree
 * refers to each annotation, and a link without an action is valid. */
static void drop_file_links(qpdf_data q)
{
	int npages = qpdf_get_num_pages(q), p;

	for (p = 0; p < npages; p++) {
		qpdf_oh annots = qpdf_oh_get_key(q, qpdf_get_page_n(q, (size_t)p), "/Annots");
		int k, n;

		if (!qpdf_oh_is_array(q, annots))
			continue;
		n = qpdf_oh_get_array_n_items(q, annots);
		for (k = 0; k < n; k++) {
			qpdf_oh annot = qpdf_oh_get_array_item(q, annots, k);
			if (local_file_link(q, annot))
				qpdf_oh_remove_key(q, annot, "/A");
		}
	}
}

static char *qpdf_message(qpdf_data q, const char *what)
{
	qpdf_error e = qpdf_has_error(q) ? qpdf_get_error(q) : NULL;
	const char *detail = e ? qpdf_get_error_message_detail(q, e) : NULL;

	return xasprintf("%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

static long long page_count(qpdf_data q)
{
	qpdf_oh pages = qpdf_oh_get_key(q, qpdf_get_root(q), "/Pages");
	qpdf_oh count = qpdf_oh_get_key(q, pages, "/Count");

	return qpdf_oh_is_integer(q, count) ? qpdf_oh_get_int_value(q, count) : 0;
}

int pdf_finish(const char *data, size_t len, const struct docinfo *info, long long date,
	       struct buf *out, char **err)
{
	qpdf_data q = qpdf_init();
	int rc = -1;

	buf_reset(out);
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	/* A file that needs repairs is not what Chromium writes: refuse it. */
	qpdf_set_attempt_recovery(q, QPDF_FALSE);
	if (len < 5 || memcmp(data, "%PDF-", 5) != 0) {
		*err = xstrdup("the PDF engine wrote something that is not a PDF file");
		goto out;
	}
	if (qpdf_read_memory(q, "bilag.pdf", data, len, NULL) & QPDF_ERRORS) {
		*err = qpdf_message(q, "the PDF engine wrote a broken PDF");
		goto out;
	}
	if (qpdf_more_warnings(q)) {
		*err = xstrdup("the PDF engine wrote a PDF with errors in it");
		goto out;
	}
	if (page_count(q) < 1) {
		*err = xstrdup("the PDF engine wrote a PDF without pages");
		goto out;
	}
	set_info(q, info, date);
	set_catalog(q, info);
	drop_file_links(q);
	if (qpdf_has_error(q)) {
		*err = qpdf_message(q, "setting the PDF's document information failed");
		goto out;
	}
	if (qpdf_init_write_memory(q) & QPDF_ERRORS) {
		*err = qpdf_message(q, "writing the PDF failed");
		goto out;
	}
	/* The /ID from the content, not from the time: same input, same bytes. */
	qpdf_set_deterministic_ID(q, QPDF_TRUE);
	/* Object streams make the structure tree (thousands of small
	 * objects) several times smaller. */
	qpdf_set_object_stream_mode(q, qpdf_o_generate);
	if (qpdf_write(q) & QPDF_ERRORS) {
		*err = qpdf_message(q, "writing the PDF failed");
		goto out;
	}
	buf_add(out, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
	rc = 0;
out:
	qpdf_cleanup(&q);
	return rc;
}

#include "finish.h"

#include <qpdf/qpdf-c.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../util/alloc.h"
#include "../util/intl.h"

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

/* ---- structure element IDs ----------------------------------------------
 *
 * Chromium names each structure element after its DOM node, "node00000104",
 * from a counter that an extra node created somewhere in the browser (it
 * happens under load) shifts by one: the same page then gives another PDF.
 * The IDs are only names, used in the structure tree's /IDTree (keys and
 * /Limits) and in table cells' /Headers: renumbering them by rank, in the
 * same order, gives the same names for the same document and keeps the
 * name tree sorted. */

#define NODE_PREFIX "node"
#define NODE_DIGITS 8

struct node_ids {
	long *v;
	size_t n, cap;
	bool renumber;   /* false: collect; true: replace by rank */
};

static bool node_number(const char *s, long *out)
{
	size_t k;

	if (strncmp(s, NODE_PREFIX, 4) != 0 || strlen(s) != 4 + NODE_DIGITS)
		return false;
	for (k = 4; k < 4 + NODE_DIGITS; k++)
		if (s[k] < '0' || s[k] > '9')
			return false;
	*out = strtol(s + 4, NULL, 10);
	return true;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static size_t node_rank(const struct node_ids *ids, long n)
{
	const long *hit = bsearch(&n, ids->v, ids->n, sizeof(long), cmp_long);
	return hit ? (size_t)(hit - ids->v) + 1 : 0;
}

/* Collect or rewrite one string, in place in its array or dictionary. */
static qpdf_oh node_string(qpdf_data q, struct node_ids *ids, qpdf_oh str, bool *replaced)
{
	char name[32];
	long n;
	size_t rank;

	*replaced = false;
	if (!qpdf_oh_is_string(q, str) || !node_number(qpdf_oh_get_string_value(q, str), &n))
		return str;
	if (!ids->renumber) {
		ids->v = xgrow(ids->v, sizeof(long), ids->n + 1, &ids->cap);
		ids->v[ids->n++] = n;
		return str;
	}
	rank = node_rank(ids, n);
	snprintf(name, sizeof(name), NODE_PREFIX "%0*zu", NODE_DIGITS, rank);
	*replaced = true;
	return qpdf_oh_new_string(q, name);
}

static void node_array(qpdf_data q, struct node_ids *ids, qpdf_oh arr)
{
	int k, n = qpdf_oh_get_array_n_items(q, arr);

	for (k = 0; k < n; k++) {
		bool replaced;
		qpdf_oh item = node_string(q, ids, qpdf_oh_get_array_item(q, arr, k), &replaced);
		if (replaced)
			qpdf_oh_set_array_item(q, arr, k, item);
	}
}

static bool is_id_list(const char *key)
{
	return !strcmp(key, "/Names") || !strcmp(key, "/Limits") || !strcmp(key, "/Headers");
}

/* One dictionary, and the direct dictionaries and arrays inside it (table
 * attributes are direct); indirect objects are visited on their own. */
static void node_dict(qpdf_data q, struct node_ids *ids, qpdf_oh dict, int depth);

static void node_value(qpdf_data q, struct node_ids *ids, qpdf_oh v, int depth)
{
	int k, n;

	if (depth > 16 || qpdf_oh_is_indirect(q, v))
		return;
	if (qpdf_oh_is_dictionary(q, v)) {
		node_dict(q, ids, v, depth + 1);
	} else if (qpdf_oh_is_array(q, v)) {
		n = qpdf_oh_get_array_n_items(q, v);
		for (k = 0; k < n; k++)
			node_value(q, ids, qpdf_oh_get_array_item(q, v, k), depth + 1);
	}
}

static void node_dict(qpdf_data q, struct node_ids *ids, qpdf_oh dict, int depth)
{
	char **keys = NULL;
	size_t nkeys = 0, cap = 0, k;

	/* The key iterator is one per qpdf_data: take the keys first. */
	qpdf_oh_begin_dict_key_iter(q, dict);
	while (qpdf_oh_dict_more_keys(q)) {
		keys = xgrow(keys, sizeof(*keys), nkeys + 1, &cap);
		keys[nkeys++] = xstrdup(qpdf_oh_dict_next_key(q));
	}
	for (k = 0; k < nkeys; k++) {
		qpdf_oh v = qpdf_oh_get_key(q, dict, keys[k]);
		bool replaced;

		if (!strcmp(keys[k], "/ID")) {
			v = node_string(q, ids, v, &replaced);
			if (replaced)
				qpdf_oh_replace_key(q, dict, keys[k], v);
		} else if (is_id_list(keys[k]) && qpdf_oh_is_array(q, v) &&
			   !qpdf_oh_is_indirect(q, v)) {
			node_array(q, ids, v);
		} else {
			node_value(q, ids, v, depth);
		}
		free(keys[k]);
	}
	free(keys);
}

static void node_walk(qpdf_data q, struct node_ids *ids, long long size)
{
	long long id;

	for (id = 1; id < size; id++) {
		qpdf_oh o = qpdf_get_object_by_id(q, (int)id, 0);
		/* Only dictionaries: the IDs are never in a stream's dictionary. */
		if (qpdf_oh_is_dictionary(q, o))
			node_dict(q, ids, o, 0);
	}
}

static void renumber_node_ids(qpdf_data q)
{
	qpdf_oh size = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size");
	struct node_ids ids = {NULL, 0, 0, false};
	long long n = qpdf_oh_is_integer(q, size) ? qpdf_oh_get_int_value(q, size) : 0;
	size_t i, u = 0;

	if (n <= 0 || n > 10 * 1000 * 1000)
		return;
	node_walk(q, &ids, n);
	if (!ids.n)
		return;
	qsort(ids.v, ids.n, sizeof(long), cmp_long);
	for (i = 0; i < ids.n; i++)
		if (!u || ids.v[u - 1] != ids.v[i])
			ids.v[u++] = ids.v[i];
	ids.n = u;
	ids.renumber = true;
	node_walk(q, &ids, n);
	free(ids.v);
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
		*err = xstrdup(_("the PDF engine wrote something that is not a PDF file"));
		goto out;
	}
	if (qpdf_read_memory(q, "bilag.pdf", data, len, NULL) & QPDF_ERRORS) {
		*err = qpdf_message(q, _("the PDF engine wrote a broken PDF"));
		goto out;
	}
	if (qpdf_more_warnings(q)) {
		*err = xstrdup(_("the PDF engine wrote a PDF with errors in it"));
		goto out;
	}
	if (page_count(q) < 1) {
		*err = xstrdup(_("the PDF engine wrote a PDF without pages"));
		goto out;
	}
	set_info(q, info, date);
	set_catalog(q, info);
	drop_file_links(q);
	renumber_node_ids(q);
	/* qpdf keeps an input /ID's first half: none may come from the engine. */
	qpdf_oh_remove_key(q, qpdf_get_trailer(q), "/ID");
	if (qpdf_has_error(q)) {
		*err = qpdf_message(q, _("setting the PDF's document information failed"));
		goto out;
	}
	if (qpdf_init_write_memory(q) & QPDF_ERRORS) {
		*err = qpdf_message(q, _("writing the PDF failed"));
		goto out;
	}
	/* The /ID from the content, not from the time: same input, same bytes. */
	qpdf_set_deterministic_ID(q, QPDF_TRUE);
	/* Object streams make the structure tree (thousands of small
	 * objects) several times smaller. */
	qpdf_set_object_stream_mode(q, qpdf_o_generate);
	if (qpdf_write(q) & QPDF_ERRORS) {
		*err = qpdf_message(q, _("writing the PDF failed"));
		goto out;
	}
	buf_add(out, qpdf_get_buffer(q), qpdf_get_buffer_length(q));
	rc = 0;
out:
	qpdf_cleanup(&q);
	return rc;
}

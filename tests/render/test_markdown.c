/*
 * Unit tests of render/markdown.c: the Markdown output copied from the
 * source must be byte for byte what cmark's CommonMark renderer writes.
 *
 * Every case is rendered twice, by markdown_render() (which copies the
 * source where it can) and by markdown_render_rendered() (which always
 * renders), and both outputs are compared.  Hand-written cases cover each
 * rule of the renderer the copy depends on; a few thousand random
 * documents made of Markdown's special characters look for the rest.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/markdown.h"
#include "util/buf.h"
#include "validate/links.h"

/* Render src both ways at heading level 3 (as the site does); assert the
 * outputs agree and return whether the first copied. */
static bool same_both_ways(const char *src)
{
	struct buf h1 = BUF_INIT, m1 = BUF_INIT, h2 = BUF_INIT, m2 = BUF_INIT;
	size_t len = strlen(src);
	bool copied = markdown_render(src, len, 3, &h1, &m1);

	markdown_render_rendered(src, len, 3, &h2, &m2);
	ck_assert_msg(m1.len == m2.len && !memcmp(m1.ptr, m2.ptr, m1.len),
		      "Markdown of \"%s\" differs:\n  copied:   \"%s\"\n  rendered: \"%s\"", src,
		      m1.ptr, m2.ptr);
	ck_assert_str_eq(h1.ptr, h2.ptr);
	/* Markdown alone, without HTML first (headings not yet shifted). */
	buf_reset(&m1);
	buf_reset(&m2);
	markdown_render(src, len, 3, NULL, &m1);
	markdown_render_rendered(src, len, 3, NULL, &m2);
	ck_assert_msg(m1.len == m2.len && !memcmp(m1.ptr, m2.ptr, m1.len),
		      "Markdown only of \"%s\" differs:\n  copied:   \"%s\"\n  rendered: \"%s\"",
		      src, m1.ptr, m2.ptr);
	buf_release(&h1);
	buf_release(&m1);
	buf_release(&h2);
	buf_release(&m2);
	return copied;
}

/* Prose as the content is written: copied. */
static const char *const copied_cases[] = {
	"Region Midtjylland vil i 2007 vurdere samarbejdet.",
	"Første afsnit med *fremhævet* og **stærk** tekst.\n\nAndet afsnit.\n",
	"En linje\nog en linje til\n",
	"Et [link](https://example.dk/side?a=1&b=2#x) og `kode` i teksten.",
	"Se <https://example.dk> og <info@example.dk>.",
	"Beløbet er 175.000 kr. (max.) i 2007-2008 – omtrent.",
	"2007-2008 blev et godt år.",
	"1,2 mio. indbyggere",
	"A & B, 5 + 3 = 8, 50 % og \"citat\" og 'citat'.",
	"Bistrița-Năsăud, Győr, Łódź, Санкт-Петербург, 上海.",
	"Trailing newlines\n\n\n",
	"*a* **b** *c **d** e*",
	"***fed og kursiv***",
};

/* Where the renderer writes something else: rendered. */
static const char *const rendered_cases[] = {
	"_understreg_ og __stærk__",
	"# Overskrift\n\nTekst.",
	"- et\n- to\n",
	"1. et\n2. to\n",
	"> citat",
	"Linje med hårdt  \nlinjeskift",
	"Tekst med <b>html</b>.",
	"[link](javascript:alert(1))",
	"[link](<https://a b>)",
	"[link](https://example.dk \"titel\")",
	"[https://example.dk](https://example.dk)",
	"<mailto:a@example.dk>",
	"Escaped \\* stjerne",
	"&amp; og &copy;",
	"  indrykket",
	"\nførste linje er tom",
	"slut med mellemrum  ",
	"linje\n  med indrykket fortsættelse",
	"2007. blev et år",
	"2007) blev et år",
	"- ikke en liste?",
	"+ plus",
	"= lig med",
	"``kode med ` backtick``",
	"` kode `",
	"Bidi \xe2\x80\xae styretegn",
	"Tab\there",
	"***",
	"Setext\n===",
	"![billede](a.png)",
	"**_blandet_**",
	"a_b_c",
	"!vigtigt",
};

START_TEST(test_copied)
{
	size_t i;

	for (i = 0; i < sizeof(copied_cases) / sizeof(*copied_cases); i++)
		ck_assert_msg(same_both_ways(copied_cases[i]), "not copied: \"%s\"",
			      copied_cases[i]);
}
END_TEST

START_TEST(test_rendered)
{
	size_t i;

	for (i = 0; i < sizeof(rendered_cases) / sizeof(*rendered_cases); i++)
		ck_assert_msg(!same_both_ways(rendered_cases[i]), "copied: \"%s\"",
			      rendered_cases[i]);
}
END_TEST

/* xorshift64: the same documents on every machine. */
static uint64_t next_random(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* A document of 1..maxlen pieces; all but one in odds of them taken from
 * the first common pieces. */
static void random_doc(struct buf *doc, uint64_t *state, const char *const *pieces,
		       size_t npieces, size_t maxlen, unsigned odds, size_t common)
{
	size_t n, k;

	buf_reset(doc);
	n = 1 + next_random(state) % maxlen;
	for (k = 0; k < n; k++) {
		uint64_t r = next_random(state);

		buf_adds(doc, pieces[(r >> 8) % odds ? (r >> 16) % common : (r >> 16) % npieces]);
	}
}

/* Random documents of the characters and pieces the renderer treats
 * specially: whatever is copied must equal the rendering. */
START_TEST(test_random)
{
	static const char *const pieces[] = {
		"a", "b", "ord", " ", "  ", "\n", "\n\n", "1", "2007", ".", ")", "(", "-", "+",
		"=", "*", "**", "_", "[", "]", "<", ">", "#", "!", "&", "&amp;", "`", "\\", ":",
		"@", "æ", "ı", "İ", "Ű", "\xe2\x80\xae", "\t", "https://a.dk", "mailto:",
		"[x](https://a.dk)", "[x](y)", "<https://a.dk>", "<a@b.dk>", "*x*", "**y**",
		"`z`", "> ", "- ", "1. ", "    ", "\"", "'", "%", "~", "|", "{", "}", "$",
	};
	const size_t npieces = sizeof(pieces) / sizeof(*pieces);
	uint64_t state = 0x2545F4914F6CDD1DULL;
	struct buf doc = BUF_INIT;
	size_t i, copied = 0;

	for (i = 0; i < 6000; i++) {
		/* Mostly words and spaces, as prose is. */
		random_doc(&doc, &state, pieces, npieces, 12, 4, 4);
		copied += same_both_ways(doc.ptr);
	}
	/* Plenty of the documents are plain enough to be copied. */
	ck_assert_uint_gt(copied, 1000);
	buf_release(&doc);
}
END_TEST

/* Bidirectional controls are dropped from both outputs, wherever they
 * stand (the first byte, the last, next to each other). */
START_TEST(test_bidi_dropped)
{
	static const char *const cases[][2] = {
		{"a\xe2\x80\xae" "b", "ab"},
		{"\xe2\x80\xaa\xe2\x81\xa6x\xd8\x9c", "x"},
		{"fuld tid \xe2\x80\x93 ingen", "fuld tid \xe2\x80\x93 ingen"},   /* a dash stays */
		{"\xe2\x80\x8fslut\xe2\x80\x8e", "slut"},
	};
	static const char refs[] = "a&#x202E;b&#8207;c&rlm;d";
	static const char refs_list[] = "a&#x202E;b&#8207;c&rlm;d\n\n- a&#x202E;b&#8207;c&rlm;d\n";
	struct buf refs_html = BUF_INIT, refs_md = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct buf html = BUF_INIT, md = BUF_INIT, want = BUF_INIT;

		markdown_render(cases[i][0], strlen(cases[i][0]), 3, &html, &md);
		buf_adds(&want, "<p>");
		buf_adds(&want, cases[i][1]);
		buf_adds(&want, "</p>\n");
		ck_assert_str_eq(html.ptr, want.ptr);
		ck_assert_str_eq(md.ptr, cases[i][1]);
		buf_release(&html);
		buf_release(&md);
		buf_release(&want);
	}
	/* From references, with no control in the source: the HTML is
	 * looked through all the same, and so is the Markdown written
	 * without the renderer (the text, and a list under it). */
	markdown_render(refs, strlen(refs), 3, &refs_html, &refs_md);
	ck_assert_str_eq(refs_html.ptr, "<p>abcd</p>\n");
	ck_assert_str_eq(refs_md.ptr, "abcd");
	buf_reset(&refs_md);
	markdown_render(refs_list, strlen(refs_list), 3, NULL, &refs_md);
	ck_assert_str_eq(refs_md.ptr, "abcd\n\n  - abcd");
	buf_release(&refs_html);
	buf_release(&refs_md);
}
END_TEST

/* markdown_escape: a backslash before exactly \ ` * _ [ ] < > # | ~ ! &,
 * every other byte (NUL and bytes >= 0x80 too) as it is. */
START_TEST(test_escape_every_byte)
{
	struct buf got = BUF_INIT, want = BUF_INIT;
	char all[256 * 3];
	size_t i;

	/* Each byte alone, and all of them in one run with text between. */
	for (i = 0; i < 256; i++) {
		char c = (char)i;

		buf_reset(&got);
		markdown_escape(&c, 1, &got);
		if (i && strchr("\\`*_[]<>#|~!&", (int)i))
			ck_assert_msg(got.len == 2 && got.ptr[0] == '\\' && got.ptr[1] == c,
				      "byte %zu not escaped", i);
		else
			ck_assert_msg(got.len == 1 && got.ptr[0] == c, "byte %zu escaped", i);
		all[3 * i] = 'x';
		all[3 * i + 1] = c;
		all[3 * i + 2] = 'y';
		buf_addc(&want, 'x');
		if (i && strchr("\\`*_[]<>#|~!&", (int)i))
			buf_addc(&want, '\\');
		buf_addc(&want, c);
		buf_addc(&want, 'y');
	}
	buf_reset(&got);
	markdown_escape(all, sizeof(all), &got);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert(!memcmp(got.ptr, want.ptr, want.len));
	buf_release(&got);
	buf_release(&want);
}
END_TEST

/* The scans that take sixteen bytes at a time (with SSE2) miss no byte
 * they must stop at, wherever it falls in a long run: every ASCII byte at
 * every place of a long word, in text, in a link's destination and in a
 * list item (the writer's path), gives the renderer's Markdown; and
 * markdown_escape escapes it there as a byte at a time would. */
static void runs_every_byte(size_t len)
{
	struct buf doc = BUF_INIT, got = BUF_INIT, want = BUF_INIT, w = BUF_INIT, r = BUF_INIT,
		   h = BUF_INIT;
	char *word = malloc(len + 1);
	unsigned c;
	size_t at;

	for (c = 1; c < 0x80; c++)
		for (at = 0; at < len; at++) {
			memset(word, 'a', len);
			word[len] = '\0';
			word[at] = (char)c;
			buf_reset(&doc);
			buf_addf(&doc, "Ord %s og et [link](https://a.dk/%s) til.", word, word);
			same_both_ways(doc.ptr);
			/* The text alone and the link alone: one that is not
			 * copied does not hide the other. */
			buf_reset(&doc);
			buf_addf(&doc, "Ord %s og ord til.", word);
			same_both_ways(doc.ptr);
			buf_reset(&doc);
			buf_addf(&doc, "Se [link](https://a.dk/%s).", word);
			same_both_ways(doc.ptr);
			buf_reset(&doc);
			buf_addf(&doc, "Liste:\n\n- %s\n- [x](https://b.dk/%s)\n", word, word);
			buf_reset(&w);
			if (markdown_write(doc.ptr, doc.len, &w)) {
				buf_reset(&h);
				buf_reset(&r);
				markdown_render_rendered(doc.ptr, doc.len, 1, &h, &r);
				ck_assert_msg(w.len == r.len && !memcmp(w.ptr, r.ptr, w.len),
					      "Markdown of \"%s\" differs:\n  written:  \"%s\"\n  "
					      "rendered: \"%s\"", doc.ptr, w.ptr, r.ptr);
			}
			buf_reset(&got);
			buf_reset(&want);
			markdown_escape(word, len, &got);
			buf_add(&want, word, at);
			if (strchr("\\`*_[]<>#|~!&", (int)c))
				buf_addc(&want, '\\');
			buf_adds(&want, word + at);
			ck_assert_str_eq(got.ptr, want.ptr);
		}
	buf_release(&doc);
	buf_release(&got);
	buf_release(&want);
	buf_release(&w);
	buf_release(&r);
	buf_release(&h);
	free(word);
}

START_TEST(test_long_runs_every_byte)
{
	runs_every_byte(40);
}
END_TEST

/* Runs of text and of link destinations of 64 bytes or more, which go 32
 * bytes at a time where the processor has AVX2, and the same without. */
START_TEST(test_wide_runs_every_byte)
{
	runs_every_byte(100);
	markdown_scan_wide(false);
	runs_every_byte(100);
	markdown_scan_wide(true);
}
END_TEST

/* The scans take a string of under sixteen bytes (or the last bytes of a
 * longer one) in two overlapping loads of 8 or 4 bytes, or three single
 * bytes, and never read past its end: at every length up to 40 (the
 * string at the end of an allocation of its own size, so that a read
 * past it is caught by AddressSanitizer), a byte at every place, alone
 * and with a second one further on, is escaped as a byte at a time
 * would, and copies of text and link destinations of those lengths equal
 * the renderer's. */
START_TEST(test_short_runs_every_byte)
{
	struct buf got = BUF_INIT, want = BUF_INIT, doc = BUF_INIT, fresh = BUF_INIT;
	size_t n, at, k;
	unsigned c, v;

	buf_grow(&got, 64);
	/* Nothing: nothing added, even with room. */
	markdown_escape("", 0, &got);
	ck_assert_uint_eq(got.len, 0);

	for (n = 0; n <= 40; n++)
		for (c = 0; c < 256; c++)
			for (at = 0; at < n; at++)
				/* The byte alone (v = 0), then with a '!' right
				 * after it and at the end. */
				for (v = 0; v < 3; v++) {
					char *word;
					size_t j;

					k = v == 0 ? at : v == 1 ? at + 1 : n - 1;
					if (k >= n || (v == 2 && k <= at + 1))
						continue;
					word = malloc(n);
					memset(word, 'a', n);
					word[k] = '!';
					word[at] = (char)c;
					/* Into a buffer with room (a short value is
					 * copied without memcpy) and into an empty one. */
					buf_reset(&got);
					buf_reset(&want);
					markdown_escape(word, n, &got);
					markdown_escape(word, n, &fresh);
					for (j = 0; j < n; j++) {
						if (word[j] && strchr("\\`*_[]<>#|~!&", word[j]))
							buf_addc(&want, '\\');
						buf_addc(&want, word[j]);
					}
					ck_assert_msg(got.len == want.len &&
						      !memcmp(got.ptr, want.ptr, want.len + 1),
						      "length %zu, byte %u at %zu, '!' at %zu", n, c, at,
						      k);
					ck_assert(fresh.len == want.len &&
						  !memcmp(fresh.ptr, want.ptr, want.len));
					buf_release(&fresh);
					free(word);
				}
	for (n = 1; n <= 20; n++)
		for (c = 1; c < 0x80; c++)
			for (at = 0; at < n; at++) {
				struct buf word = BUF_INIT;

				for (k = 0; k < n; k++)
					buf_addc(&word, k == at ? (char)c : 'a');
				buf_reset(&doc);
				buf_addf(&doc, "%s", word.ptr);
				same_both_ways(doc.ptr);
				buf_reset(&doc);
				buf_addf(&doc, "*%s* [x](%s)", word.ptr, word.ptr);
				same_both_ways(doc.ptr);
				buf_release(&word);
			}
	buf_release(&got);
	buf_release(&want);
	buf_release(&doc);
}
END_TEST

/* markdown_prose() finds the refused link links_first_refused() finds (in
 * the walk that prepares the HTML) and then appends nothing; otherwise it
 * renders what markdown_render() renders, raw HTML and unsafe links
 * removed from the Markdown whether or not the walk for the HTML saw
 * them. */
static void assert_prose(const char *src)
{
	struct buf h1 = BUF_INIT, m1 = BUF_INIT, h2 = BUF_INIT, m2 = BUF_INIT;
	size_t len = strlen(src);
	char *bad = markdown_prose(src, len, 3, &h1, &m1), *want = links_first_refused(src, len);

	ck_assert_msg((!bad && !want) || (bad && want && !strcmp(bad, want)),
		      "\"%s\": refused %s, not %s", src, bad ? bad : "nothing",
		      want ? want : "nothing");
	if (bad) {
		ck_assert_uint_eq(h1.len, 0);
		ck_assert_uint_eq(m1.len, 0);
	} else {
		markdown_render(src, len, 3, &h2, &m2);
		ck_assert_str_eq(h1.ptr, h2.ptr);
		ck_assert_str_eq(m1.ptr, m2.ptr);
		/* The Markdown alone (one walk, which removes): the same. */
		buf_reset(&m2);
		markdown_render(src, len, 3, NULL, &m2);
		ck_assert_str_eq(m1.ptr, m2.ptr);
	}
	free(bad);
	free(want);
	buf_release(&h1);
	buf_release(&m1);
	buf_release(&h2);
	buf_release(&m2);
}

START_TEST(test_prose_links)
{
	static const char *const cases[] = {
		"Tekst uden kolon og [link](side.html).",
		"[a](https://a.dk) og [b](ftp://b.dk) og [c](javascript:x())",
		"<b>html</b> og [c](javascript:x()) og ![d](data:x)",
		"# Overskrift: med kolon\n\n<div>blok</div>\n\n[e](mailto:a@b.dk)",
		"[f](javascript&#58;alert(1)) uden kolon",
		"[g][ref]\n\n[ref]: vbscript:x",
		"Kun <i>html</i>: og tekst",
		"- [h](https://a.dk)\n- <https://b.dk>\n- [i](file:///etc)",
	};
	static const char *const pieces[] = {
		"a", " ", "\n\n", ":", "[x](https://a.dk)", "[y](ftp://z)", "<b>", "</b>",
		"<https://a.dk>", "[j](javascript:x)", "![i](data:image/png;a)", "# ", "- ",
		"![k](data:text/html,x)", "&#58;", "<!-- c -->",
	};
	uint64_t state = 0xD1B54A32D192ED03ULL;
	struct buf doc = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		assert_prose(cases[i]);
	for (i = 0; i < 3000; i++) {
		random_doc(&doc, &state, pieces, sizeof(pieces) / sizeof(*pieces), 10, 3, 4);
		assert_prose(doc.ptr);
	}
	buf_release(&doc);
}
END_TEST

/* What the renderer writes otherwise but markdown_write() predicts:
 * bullet lists at the top, tight and loose, after and before paragraphs. */
static const char *const written_cases[] = {
	"Aktiviteterne omfattede:\n\n- turisme\n- social- og sundhed\n- grøn omstilling\n",
	"Liste:\n- et *x*\n- [l](https://a.dk)\n- `k`\n\nSlut.",
	"- a\n\n- b\n",
	"- a\n  b\n- c\n\n  d\n- e",
	"* stjerne\n* liste",
	"+ plus\n+ liste\n\nog tekst",
	"- år 2007. x\n- 2007-2008\n- 1,2 mio.\n- 2007",
	"Se <https://example.dk>:\n\n- **fed**\n- <info@example.dk>",
	"- Łódź, Санкт-Петербург, 上海\n",
	"Første.\n\nAnden.\n",
};

/* Where markdown_write() gives up. */
static const char *const not_written_cases[] = {
	"- a\n  - nested\n",
	"- 2007. x\n- 3) y",   /* ordered lists in the items */
	"1. et\n2. to\n",
	"- a\n\n<!-- -->\n\n- b",
	"> - quoted",
	"- a_b\n",
	"- # heading",
	"- [x](y \"title\")",
	"- a\n\n      code\n",
	"Bidi \xe2\x80\xae styretegn\n\n- x",
	"- a\n\n\n- b\n\n* c",
};

static void assert_written(const char *src, bool want)
{
	struct buf w = BUF_INIT, h = BUF_INIT, r = BUF_INIT;
	bool ok = markdown_write(src, strlen(src), &w);

	ck_assert_msg(ok == want, "%s: \"%s\"", want ? "not written" : "written", src);
	if (ok) {
		markdown_render_rendered(src, strlen(src), 1, &h, &r);
		ck_assert_msg(w.len == r.len && !memcmp(w.ptr, r.ptr, w.len),
			      "Markdown of \"%s\" differs:\n  written:  \"%s\"\n  rendered: \"%s\"",
			      src, w.ptr, r.ptr);
	} else {
		ck_assert_uint_eq(w.len, 0);
	}
	buf_release(&w);
	buf_release(&h);
	buf_release(&r);
}

START_TEST(test_written)
{
	size_t i;

	for (i = 0; i < sizeof(written_cases) / sizeof(*written_cases); i++) {
		assert_written(written_cases[i], true);
		/* and the site's path gives the same bytes */
		same_both_ways(written_cases[i]);
	}
	for (i = 0; i < sizeof(not_written_cases) / sizeof(*not_written_cases); i++)
		assert_written(not_written_cases[i], false);
}
END_TEST

/* Random documents with lists in them: whatever markdown_write() writes
 * must equal the rendering. */
START_TEST(test_written_random)
{
	static const char *const pieces[] = {
		"a", "ord", " ", "\n", "\n\n", "\n- ", "\n* ", "\n+ ", "- ", "  ", "    ", "1",
		"2007", ".", ")", "-", "+", "=", "*", "**", "_", "[", "]", "&", "`", "!", "æ", "ı",
		"İ", "[x](https://a.dk)", "<https://a.dk>", "*x*", "`z`", "\n1. ", "\n> ", "#",
		"\n  ", "<b>", "\t",
	};
	const size_t npieces = sizeof(pieces) / sizeof(*pieces);
	uint64_t state = 0x9E3779B97F4A7C15ULL;
	struct buf doc = BUF_INIT, w = BUF_INIT, h = BUF_INIT, r = BUF_INIT;
	size_t i, written = 0;

	for (i = 0; i < 6000; i++) {
		/* Mostly words, spaces and list items. */
		random_doc(&doc, &state, pieces, npieces, 16, 3, 7);
		buf_reset(&w);
		buf_reset(&h);
		buf_reset(&r);
		if (markdown_write(doc.ptr, doc.len, &w)) {
			markdown_render_rendered(doc.ptr, doc.len, 1, &h, &r);
			ck_assert_msg(w.len == r.len && !memcmp(w.ptr, r.ptr, w.len),
				      "Markdown of \"%s\" differs:\n  written:  \"%s\"\n  rendered: \"%s\"",
				      doc.ptr, w.ptr, r.ptr);
			written++;
		}
		same_both_ways(doc.ptr);
	}
	ck_assert_uint_gt(written, 1000);
	buf_release(&doc);
	buf_release(&w);
	buf_release(&h);
	buf_release(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("markdown");
	TCase *tc = tcase_create("copy");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_copied);
	tcase_add_test(tc, test_rendered);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_bidi_dropped);
	tcase_add_test(tc, test_written);
	tcase_add_test(tc, test_written_random);
	tcase_add_test(tc, test_escape_every_byte);
	tcase_add_test(tc, test_long_runs_every_byte);
	tcase_add_test(tc, test_wide_runs_every_byte);
	tcase_add_test(tc, test_short_runs_every_byte);
	tcase_add_test(tc, test_prose_links);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

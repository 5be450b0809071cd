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
	size_t i, k, copied = 0;

	for (i = 0; i < 6000; i++) {
		size_t n;
		buf_reset(&doc);
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		n = 1 + state % 12;
		for (k = 0; k < n; k++) {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			/* Mostly words and spaces, as prose is. */
			buf_adds(&doc, pieces[(state >> 8) % 4 ? (state >> 16) % 4 : (state >> 16) % npieces]);
		}
		copied += same_both_ways(doc.ptr);
	}
	/* Plenty of the documents are plain enough to be copied. */
	ck_assert_uint_gt(copied, 1000);
	buf_release(&doc);
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
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#include "translit.h"

#include <string.h>

#include "alloc.h"
#include "buf.h"

/* Letters beyond ASCII and their spelling, sorted by code point. */
static const struct spelling {
	unsigned cp;
	const char *ascii;
} spellings[] = {
	{0xC0, "a"}, {0xC1, "a"}, {0xC2, "a"}, {0xC3, "a"}, {0xC4, "a"}, {0xC5, "aa"},
	{0xC6, "ae"}, {0xC7, "c"}, {0xC8, "e"}, {0xC9, "e"}, {0xCA, "e"}, {0xCB, "e"},
	{0xCC, "i"}, {0xCD, "i"}, {0xCE, "i"}, {0xCF, "i"}, {0xD0, "d"}, {0xD1, "n"},
	{0xD2, "o"}, {0xD3, "o"}, {0xD4, "o"}, {0xD5, "o"}, {0xD6, "o"}, {0xD8, "oe"},
	{0xD9, "u"}, {0xDA, "u"}, {0xDB, "u"}, {0xDC, "u"}, {0xDD, "y"}, {0xDE, "th"},
	{0xDF, "ss"}, {0xE0, "a"}, {0xE1, "a"}, {0xE2, "a"}, {0xE3, "a"}, {0xE4, "a"},
	{0xE5, "aa"}, {0xE6, "ae"}, {0xE7, "c"}, {0xE8, "e"}, {0xE9, "e"}, {0xEA, "e"},
	{0xEB, "e"}, {0xEC, "i"}, {0xED, "i"}, {0xEE, "i"}, {0xEF, "i"}, {0xF0, "d"},
	{0xF1, "n"}, {0xF2, "o"}, {0xF3, "o"}, {0xF4, "o"}, {0xF5, "o"}, {0xF6, "o"},
	{0xF8, "oe"}, {0xF9, "u"}, {0xFA, "u"}, {0xFB, "u"}, {0xFC, "u"}, {0xFD, "y"},
	{0xFE, "th"}, {0xFF, "y"},
	/* Latin Extended-A: pairs of upper and lower case. */
	{0x100, "a"}, {0x101, "a"}, {0x102, "a"}, {0x103, "a"}, {0x104, "a"}, {0x105, "a"},
	{0x106, "c"}, {0x107, "c"}, {0x108, "c"}, {0x109, "c"}, {0x10A, "c"}, {0x10B, "c"},
	{0x10C, "c"}, {0x10D, "c"}, {0x10E, "d"}, {0x10F, "d"}, {0x110, "d"}, {0x111, "d"},
	{0x112, "e"}, {0x113, "e"}, {0x114, "e"}, {0x115, "e"}, {0x116, "e"}, {0x117, "e"},
	{0x118, "e"}, {0x119, "e"}, {0x11A, "e"}, {0x11B, "e"}, {0x11C, "g"}, {0x11D, "g"},
	{0x11E, "g"}, {0x11F, "g"}, {0x120, "g"}, {0x121, "g"}, {0x122, "g"}, {0x123, "g"},
	{0x124, "h"}, {0x125, "h"}, {0x126, "h"}, {0x127, "h"}, {0x128, "i"}, {0x129, "i"},
	{0x12A, "i"}, {0x12B, "i"}, {0x12C, "i"}, {0x12D, "i"}, {0x12E, "i"}, {0x12F, "i"},
	{0x130, "i"}, {0x131, "i"}, {0x134, "j"}, {0x135, "j"}, {0x136, "k"}, {0x137, "k"},
	{0x139, "l"}, {0x13A, "l"}, {0x13B, "l"}, {0x13C, "l"}, {0x13D, "l"}, {0x13E, "l"},
	{0x141, "l"}, {0x142, "l"}, {0x143, "n"}, {0x144, "n"}, {0x145, "n"}, {0x146, "n"},
	{0x147, "n"}, {0x148, "n"}, {0x14C, "o"}, {0x14D, "o"}, {0x14E, "o"}, {0x14F, "o"},
	{0x150, "o"}, {0x151, "o"}, {0x152, "oe"}, {0x153, "oe"}, {0x154, "r"}, {0x155, "r"},
	{0x156, "r"}, {0x157, "r"}, {0x158, "r"}, {0x159, "r"}, {0x15A, "s"}, {0x15B, "s"},
	{0x15C, "s"}, {0x15D, "s"}, {0x15E, "s"}, {0x15F, "s"}, {0x160, "s"}, {0x161, "s"},
	{0x162, "t"}, {0x163, "t"}, {0x164, "t"}, {0x165, "t"}, {0x166, "t"}, {0x167, "t"},
	{0x168, "u"}, {0x169, "u"}, {0x16A, "u"}, {0x16B, "u"}, {0x16C, "u"}, {0x16D, "u"},
	{0x16E, "u"}, {0x16F, "u"}, {0x170, "u"}, {0x171, "u"}, {0x172, "u"}, {0x173, "u"},
	{0x174, "w"}, {0x175, "w"}, {0x176, "y"}, {0x177, "y"}, {0x178, "y"}, {0x179, "z"},
	{0x17A, "z"}, {0x17B, "z"}, {0x17C, "z"}, {0x17D, "z"}, {0x17E, "z"},
	/* Romanian comma below. */
	{0x218, "s"}, {0x219, "s"}, {0x21A, "t"}, {0x21B, "t"},
};

const char *translit_letter(unsigned cp)
{
	size_t lo = 0, hi = sizeof(spellings) / sizeof(spellings[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (spellings[mid].cp == cp)
			return spellings[mid].ascii;
		if (spellings[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The code point at s (UTF-8, len > 0 bytes left) and its length; a byte
 * that is not UTF-8 is one character of value 0xFFFD. */
static size_t next_char(const unsigned char *s, size_t len, unsigned *cp)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
		 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	size_t k;

	if (n == 0 || n > len) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = n == 1 ? s[0] : n == 2 ? s[0] & 0x1Fu : n == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
	for (k = 1; k < n; k++) {
		if ((s[k] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		*cp = (*cp << 6) | (s[k] & 0x3Fu);
	}
	return n;
}

char *translit_slug(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	int dash = 0;   /* a '-' is owed before the next letter */
	unsigned cp;
	char ascii[2] = "";
	const char *a;

	while (p < end) {
		p += next_char(p, (size_t)(end - p), &cp);
		if (cp == ' ' || cp == '_' || cp == '-' || cp == '/' || cp == '\t') {
			dash = b.len > 0;
			continue;
		}
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		ascii[0] = (char)cp;
		a = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ? ascii : translit_letter(cp);
		if (!a)
			continue;
		if (dash)
			buf_addc(&b, '-');
		dash = 0;
		buf_adds(&b, a);
	}
	return buf_detach(&b, NULL);
}

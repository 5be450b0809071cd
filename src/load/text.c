#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/bytes.h"
#include "../util/intl.h"

bool text_is_control(unsigned cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) ||
	       cp == 0x2028 || cp == 0x2029;
}

bool text_is_bidi(unsigned cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

bool text_is_format(unsigned cp)
{
	return text_is_bidi(cp) || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 ||
	       cp == 0xFEFF;
}

/*
 * A character of two or more bytes is skipped only when its bytes are a
 * complete sequence text_decode decodes to that length, and its value is
 * neither a C1 control (U+0080-U+009F: C2 80-9F), the Arabic letter mark
 * (U+061C: D8 9C), one of the controls and format characters of
 * U+2000-U+207F (E2 80 and E2 81: the zero-width ones, bidi marks,
 * embeddings, overrides and isolates, the line and paragraph separators,
 * the word joiner) nor the BOM (U+FEFF: EF BB BF).  Overlong forms (E0 80-9F,
 * F0 80-8F; C0 and C1 are not skipped at all) could decode to any of those.
 */
size_t text_plain_run(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	unsigned b;

	while (p < end) {
		if (end - p >= 16) {
			unsigned k = bytes_plain_prefix16(p, '\n', '\n');

			p += k;
			if (k == 16)
				continue;
		} else if (end - p >= 8) {
			unsigned k = bytes_printable_prefix(p);

			p += k;
			if (k == 8)
				continue;
		}
		b = *p;
		if ((b >= 0x20 && b < 0x7F) || b == '\n') {
			p++;
		} else if (b >= 0xC2 && b < 0xE0) {
			if (end - p < 2 || (p[1] & 0xC0) != 0x80 || (b == 0xC2 && p[1] < 0xA0) ||
			    (b == 0xD8 && p[1] == 0x9C))
				break;
			p += 2;
		} else if (b >= 0xE0 && b < 0xF0) {
			if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
			    (b == 0xE0 && p[1] < 0xA0) || (b == 0xE2 && p[1] < 0x82) ||
			    (b == 0xEF && p[1] == 0xBB))
				break;
			p += 3;
		} else if (b >= 0xF0 && b < 0xF8) {
			if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
			    (p[3] & 0xC0) != 0x80 || (b == 0xF0 && p[1] < 0x90))
				break;
			p += 4;
		} else {
			break;
		}
	}
	return (size_t)(p - (const unsigned char *)s);
}

size_t text_decode(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3
		 : (p[0] & 0xF8) == 0xF0 ? 4 : 1, k;
	unsigned v;

	if (n > len || n == 1) {
		*cp = p[0];
		return 1;
	}
	v = n == 2 ? p[0] & 0x1Fu : n == 3 ? p[0] & 0x0Fu : p[0] & 0x07u;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80) {
			*cp = p[0];
			return 1;
		}
		v = (v << 6) | (p[k] & 0x3Fu);
	}
	*cp = v;
	return n;
}

void text_escape(unsigned cp, char out[12])
{
	if (cp == 0)
		snprintf(out, 12, "\\0");
	else if (cp < 0x80)
		snprintf(out, 12, "\\x%02x", cp);
	else if (cp <= 0xFFFF)
		snprintf(out, 12, "\\u%04x", cp);
	else
		snprintf(out, 12, "\\U%08x", cp);
}

static const struct {
	unsigned cp;
	const char *name;
} names[] = {
	{0x00, N_("NUL")}, {0x07, N_("bell")}, {0x08, N_("backspace")}, {0x09, N_("tab")},
	{0x0A, N_("line break")}, {0x0B, N_("vertical tab")}, {0x0C, N_("form feed")},
	{0x0D, N_("carriage return")}, {0x1B, N_("escape")}, {0x7F, N_("delete")},
	{0x85, N_("next line, NEL")}, {0x2028, N_("line separator")}, {0x2029, N_("paragraph separator")},
	{0x061C, N_("Arabic letter mark")}, {0x200B, N_("zero-width space")},
	{0x200C, N_("zero-width non-joiner")}, {0x200D, N_("zero-width joiner")},
	{0x200E, N_("left-to-right mark")}, {0x200F, N_("right-to-left mark")},
	{0x202A, N_("left-to-right embedding")}, {0x202B, N_("right-to-left embedding")},
	{0x202C, N_("pop directional formatting")}, {0x202D, N_("left-to-right override")},
	{0x202E, N_("right-to-left override")}, {0x2060, N_("word joiner")},
	{0x2066, N_("left-to-right isolate")}, {0x2067, N_("right-to-left isolate")},
	{0x2068, N_("first strong isolate")}, {0x2069, N_("pop directional isolate")},
	{0xFEFF, N_("byte order mark")},
};

const char *text_char_name(unsigned cp)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].cp == cp)
			return _(names[i].name);
	return NULL;
}

const char *text_char_reason(unsigned cp)
{
	if (cp == 0)
		return _("most programs cut the text at a NUL");
	if (cp == 0x1B)
		return _("an escape sequence recolours or rewrites a terminal and shows as junk on a page");
	if (cp == 0x85 || cp == 0x2028 || cp == 0x2029 || cp == 0x0D)
		return _("YAML readers disagree on whether it ends a line");
	if (cp == '\t')
		return _("a tab in one line of text shows as a gap of any width");
	if (cp == '\n')
		return _("this field is one line of text");
	if (text_is_bidi(cp))
		return _("it is invisible and reorders the text around it where it is shown");
	if (text_is_format(cp))
		return _("it is invisible and breaks searching, sorting and copying");
	return _("a control character is invisible on a page and can garble a terminal");
}

char *text_meant(const char *s, size_t len, size_t max)
{
	struct buf b = BUF_INIT;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		n = text_decode(s + i, len - i, &cp);
		if (cp == 0x1B && i + 1 < len && s[i + 1] == '[') {
			/* A terminal's control sequence: ESC [ parameters final byte. */
			for (i += 2; i < len && !(s[i] >= 0x40 && s[i] <= 0x7E); i++)
				;
			i += i < len;
			continue;
		}
		if (cp == '\t')
			buf_addc(&b, ' ');
		else if (cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029)
			goto none;
		else if (!text_is_control(cp) && !text_is_format(cp))
			buf_add(&b, s + i, n);
		i += n;
	}
	/* A tab or invisible character at either end was a slip, not a space. */
	while (b.len && b.ptr[b.len - 1] == ' ')
		b.ptr[--b.len] = '\0';
	if (!b.len || b.ptr[0] == ' ' || b.len > max || strchr(b.ptr, '"') || strchr(b.ptr, '\\'))
		goto none;
	return buf_detach(&b, NULL);
none:
	buf_release(&b);
	return NULL;
}

char *text_hint(unsigned cp, const char *s, size_t len)
{
	char *meant = s ? text_meant(s, len, 60) : NULL;
	char *hint;

	if (meant)
		hint = xasprintf(_("write \"%s\": %s"), meant, text_char_reason(cp));
	else if (cp == 0x85 || cp == 0x2028 || cp == 0x2029)
		hint = xasprintf(_("write an ordinary line break, or a space: %s"),
				 text_char_reason(cp));
	else if (cp == '\t')
		hint = xasprintf(_("write a space: %s"), text_char_reason(cp));
	else
		hint = xasprintf(_("remove it: %s"), text_char_reason(cp));
	free(meant);
	return hint;
}

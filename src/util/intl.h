/*
 * intl: the message catalogue, GNU gettext's way.
 *
 * Every text briefgen says to a person goes through _() (or ngettext() where
 * a number decides the form), so xgettext finds it for po/briefgen.pot and
 * po/da.po gives it in Danish.  N_() marks a text in a table that is
 * translated where it is used.  Diagnostics pass their English format to
 * diags_add()/diags_at()/diags_note(), which translate it themselves (the
 * untranslated format also names the rule, see diag/rules.h); xgettext is
 * told those functions' format arguments are messages (CMakeLists.txt).
 *
 * The severity words of a diagnostic ("error", "warning", "note") and the
 * FILE:LINE:COL before them are never translated: editors and CI look for them.
 */
#ifndef BRIEFGEN_INTL_H
#define BRIEFGEN_INTL_H

#include <libintl.h>
#include <stdio.h>

#define BRIEFGEN_DOMAIN "briefgen"

#define _(s) gettext(s)
#define N_(s) (s)

/*
 * Choose the language from the environment (LANGUAGE, LC_ALL, LC_MESSAGES,
 * LANG) and bind the catalogue: first the folder `locale` beside the running
 * binary (the build tree), then the locale folder where the install puts it
 * relative to the binary (<bindir>/../share/locale, so an installed tree
 * moved elsewhere, e.g. a .deb unpacked into a scratch root, finds its
 * own), else the LOCALEDIR compiled in.  When the
 * environment's locale is C or POSIX, C.UTF-8 is used instead, so that
 * `LANGUAGE=da` alone speaks Danish on a machine with no other locale (glibc
 * ignores LANGUAGE under the plain C locale).  Call once, first in main().
 */
void intl_init(void);

/* The language messages are given in now: "da" or "en". */
const char *intl_language(void);

/*
 * Switch the message language to lang ("da", "en"), or back to the
 * environment's own with NULL: LANGUAGE is set (or restored) and gettext's
 * cache invalidated, as the gettext manual describes.  A no-op when lang
 * is already in use.  serve's build thread calls it for the content's
 * language; no other thread may call gettext() or getenv() meanwhile, so a
 * thread that does (the PDF print of a request) holds intl_hold() over it.
 */
void intl_use(const char *lang);
/* Keep the message language and the environment still until intl_release(). */
void intl_hold(void);
void intl_release(void);

/* Print "briefgen: ", the translation of fmt with its arguments and a line
 * break to out: a line the user reads on the terminal. */
void intl_say(FILE *out, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

#endif

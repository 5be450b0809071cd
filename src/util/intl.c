#include "intl.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BRIEFGEN_LOCALEDIR
#define BRIEFGEN_LOCALEDIR "/usr/share/locale"
#endif

/* The folder `locale` beside the running binary, when it holds a catalogue:
 * a binary run from the build tree finds the catalogues the build compiled. */
static int beside_binary(char *dir, size_t size)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct stat st;

	if (n <= 0)
		return 0;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	if ((size_t)snprintf(dir, size, "%s/locale", exe) >= size)
		return 0;
	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

void intl_init(void)
{
	char dir[PATH_MAX];
	const char *loc = setlocale(LC_ALL, "");

	if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX")) {
		/* Keep LC_CTYPE etc. as they were if C.UTF-8 is missing too. */
		if (!setlocale(LC_ALL, "C.UTF-8"))
			setlocale(LC_ALL, "C");
	}
	/* Numbers in messages are written by briefgen, not by the locale. */
	setlocale(LC_NUMERIC, "C");
	bindtextdomain(BRIEFGEN_DOMAIN, beside_binary(dir, sizeof(dir)) ? dir : BRIEFGEN_LOCALEDIR);
	bind_textdomain_codeset(BRIEFGEN_DOMAIN, "UTF-8");
	textdomain(BRIEFGEN_DOMAIN);
}

const char *intl_language(void)
{
	/* TRANSLATORS: the code of the language you translate into ("da"). */
	const char *lang = gettext("en");

	return strcmp(lang, "da") == 0 ? "da" : "en";
}

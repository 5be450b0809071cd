#include "intl.h"

#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BRIEFGEN_LOCALEDIR
#define BRIEFGEN_LOCALEDIR "/usr/share/locale"
#endif

#ifndef BRIEFGEN_LOCALEDIR_FROM_BINDIR
#define BRIEFGEN_LOCALEDIR_FROM_BINDIR "../share/locale"
#endif

/* The folder of the running binary. */
static int exe_folder(char *dir, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", dir, size - 1);
	char *slash;

	if (n <= 0)
		return 0;
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	return 1;
}

/* Whether the folder dir holds <lang>/LC_MESSAGES/briefgen.mo for some lang. */
static int holds_catalogue(const char *dir)
{
	char mo[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(mo, sizeof(mo), "%s/%s/LC_MESSAGES/" BRIEFGEN_DOMAIN ".mo", dir,
				     e->d_name) < sizeof(mo))
			found = stat(mo, &st) == 0 && S_ISREG(st.st_mode);
	}
	closedir(d);
	return found;
}

/* The installed locale folder found from the binary's own place
 * (<bindir>/../share/locale), when it holds a catalogue of ours: an
 * installed tree moved as a whole (a .deb unpacked with `dpkg-deb -x` into
 * a scratch root, a prefix copied elsewhere) speaks its own catalogues. */
static int relocated(char *dir, size_t size)
{
	char exe[PATH_MAX];

	if (!exe_folder(exe, sizeof(exe)))
		return 0;
	if ((size_t)snprintf(dir, size, "%s/%s", exe, BRIEFGEN_LOCALEDIR_FROM_BINDIR) >= size)
		return 0;
	return holds_catalogue(dir);
}

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

/* gettext's cache counter: incremented when the language changes. */
extern int _nl_msg_cat_cntr;

static pthread_rwlock_t switching = PTHREAD_RWLOCK_INITIALIZER;
static char *env_language;     /* LANGUAGE as the environment gave it; NULL: unset */
static char using[16];         /* the language intl_use() set; "": the environment's */

void intl_init(void)
{
	const char *env = getenv("LANGUAGE");
	const char *loc = setlocale(LC_ALL, "");
	char dir[PATH_MAX];

	free(env_language);
	env_language = env ? strdup(env) : NULL;
	if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX")) {
		/* Keep LC_CTYPE etc. as they were if C.UTF-8 is missing too. */
		if (!setlocale(LC_ALL, "C.UTF-8"))
			setlocale(LC_ALL, "C");
	}
	/* Numbers in messages are written by briefgen, not by the locale. */
	setlocale(LC_NUMERIC, "C");
	bindtextdomain(BRIEFGEN_DOMAIN, beside_binary(dir, sizeof(dir)) || relocated(dir, sizeof(dir))
					? dir : BRIEFGEN_LOCALEDIR);
	bind_textdomain_codeset(BRIEFGEN_DOMAIN, "UTF-8");
	textdomain(BRIEFGEN_DOMAIN);
}

const char *intl_language(void)
{
	/* TRANSLATORS: the code of the language you translate into ("da"). */
	const char *lang = gettext("en");

	return strcmp(lang, "da") == 0 ? "da" : "en";
}

void intl_use(const char *lang)
{
	const char *want = lang ? lang : "";

	pthread_rwlock_wrlock(&switching);
	if (strcmp(using, want) != 0 && strlen(want) < sizeof(using)) {
		if (lang)
			setenv("LANGUAGE", lang, 1);
		else if (env_language)
			setenv("LANGUAGE", env_language, 1);
		else
			unsetenv("LANGUAGE");
		strcpy(using, want);
		++_nl_msg_cat_cntr;
	}
	pthread_rwlock_unlock(&switching);
}

void intl_hold(void)
{
	pthread_rwlock_rdlock(&switching);
}

void intl_release(void)
{
	pthread_rwlock_unlock(&switching);
}

void intl_say(FILE *out, const char *fmt, ...)
{
	va_list ap;

	/* serve's main thread says things while its build thread may switch
	 * the language (intl_use): look the text up under the lock. */
	intl_hold();
	fputs("briefgen: ", out);
	va_start(ap, fmt);
	vfprintf(out, gettext(fmt), ap);
	va_end(ap);
	fputc('\n', out);
	intl_release();
}

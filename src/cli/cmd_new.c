/* briefgen new: start a content folder, or add a candidate partner to one
 * (write/scaffold.h does the writing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/intl.h"
#include "../write/scaffold.h"
#include "cli.h"

struct new_args {
	char *dir;
	struct scaffold_partner partner;
};

/* "--opt VALUE" or "--opt=VALUE": the value, or NULL when argv[*i] is not opt. */
static const char *option(int argc, char **argv, int *i, const char *opt, bool *missing)
{
	size_t n = strlen(opt);

	if (strncmp(argv[*i], opt, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

static int parse(int argc, char **argv, const struct command *self, struct new_args *a)
{
	static const char *const opts[] = {"--partner", "--name", "--country"};
	const char **slots[] = {&a->partner.slug, &a->partner.name, &a->partner.country};
	const char *v;
	bool missing = false;
	int i, k;

	for (i = 1; i < argc; i++) {
		for (k = 0, v = NULL; k < 3 && !v && !missing; k++)
			if ((v = option(argc, argv, &i, opts[k], &missing)))
				*slots[k] = v;
		if (missing)
			return cli_usage_error(self, _("%s needs a value"), argv[i]);
		if (v)
			continue;
		if (argv[i][0] == '-')
			return cli_usage_error(self, _("unknown option '%s'"), argv[i]);
		if (a->dir)
			return cli_usage_error(self, _("more than one folder given"));
		a->dir = xstrdup(argv[i]);
	}
	if (!a->partner.slug && (a->partner.name || a->partner.country))
		return cli_usage_error(self, _("--name and --country go with --partner SLUG"));
	if (a->partner.slug && (!a->partner.name || !a->partner.country))
		return cli_usage_error(self, _("--partner needs --name NAME and --country CC"));
	if (!a->dir)
		a->dir = xstrdup("content");
	/* "content/" is written "content/briefing.yaml" in messages. */
	for (size_t n = strlen(a->dir); n > 1 && a->dir[n - 1] == '/'; n--)
		a->dir[n - 1] = '\0';
	return 0;
}

static int fail(char *err, char *hint)
{
	fprintf(stderr, _("briefgen: new: %s\n"), err);
	if (hint)
		fprintf(stderr, "    %s%s\n", _("hint: "), hint);
	free(err);
	free(hint);
	return EXIT_TROUBLE;
}

static int run(const struct new_args *args)
{
	const struct new_args a = *args;
	char *err = NULL, *hint = NULL;

	if (!a.partner.slug) {
		if (scaffold_create(a.dir, &err) < 0)
			return fail(err, NULL);
		fprintf(stderr, _("briefgen: wrote %s/briefing.yaml, %s/partners/%s.yaml and the "
				  "editor schemas in %s/%s/\n"),
			a.dir, a.dir, SCAFFOLD_EXAMPLE_SLUG, a.dir, SCAFFOLD_SCHEMA_DIR);
	} else {
		if (scaffold_add_partner(a.dir, &a.partner, &err, &hint) < 0)
			return fail(err, hint);
		fprintf(stderr, _("briefgen: wrote %s/partners/%s.yaml (status explore) and named "
				  "'%s' under new_partnerships.candidates in %s/briefing.yaml\n"),
			a.dir, a.partner.slug, a.partner.slug, a.dir);
	}
	fprintf(stderr, _("briefgen: check it with: briefgen check %s\n"), a.dir);
	return 0;
}

int cmd_new(int argc, char **argv)
{
	const struct command *self = cli_find("new");
	struct new_args a;
	int rc;

	if (cli_wants_help(argc, argv, self))
		return 0;
	memset(&a, 0, sizeof(a));
	if ((rc = parse(argc, argv, self, &a)) != 0) {
		free(a.dir);
		return rc;
	}
	rc = run(&a);
	free(a.dir);
	return rc;
}

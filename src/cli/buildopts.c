#include "buildopts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/intl.h"
#include "cli.h"

void buildopts_init(struct buildopts *o)
{
	memset(o, 0, sizeof(*o));
	site_options_init(&o->site);
	o->source = true;
}

static bool lang_ok(const char *s)
{
	size_t n = strlen(s), k;

	/* A language file name: two or three lower-case letters (i18n/xx.yaml). */
	if (n < 2 || n > 3)
		return false;
	for (k = 0; k < n; k++)
		if (s[k] < 'a' || s[k] > 'z')
			return false;
	return true;
}

int buildopts_parse(struct buildopts *o, int argc, char **argv, int *i, bool last)
{
	const char *arg = argv[*i];

	if (!strcmp(arg, "--include-internal")) {
		o->site.include_internal = true;
	} else if (!strcmp(arg, "--strict")) {
		o->strict = true;
	} else if (!strcmp(arg, "--no-source")) {
		o->source = false;
	} else if (!strcmp(arg, "-j") || !strcmp(arg, "--jobs")) {
		char *end;
		long n;

		if (*i + 1 >= argc) {
			cli_usage_error(NULL, "%s needs a number", arg);
			return -1;
		}
		(*i)++;
		errno = 0;
		n = strtol(argv[*i], &end, 10);
		if (errno || end == argv[*i] || *end || n < 1 || n > SITE_MAX_JOBS) {
			cli_usage_error(NULL, "%s takes a number of threads from 1 to %d, not '%s'", arg,
					SITE_MAX_JOBS, argv[*i]);
			return -1;
		}
		o->site.jobs = (int)n;
	} else if (!strcmp(arg, "--lang") || !strcmp(arg, "--templates")) {
		if (*i + 1 >= argc) {
			cli_usage_error(NULL, "%s needs a value", arg);
			return -1;
		}
		(*i)++;
		if (!strcmp(arg, "--lang")) {
			if (!lang_ok(argv[*i])) {
				cli_usage_error(NULL, "--lang takes a language code like da or en, "
						      "not '%s'", argv[*i]);
				return -1;
			}
			o->site.lang = argv[*i];
		} else {
			o->site.templates_dir = argv[*i];
		}
	} else if (arg[0] != '-' && o->dir) {
		cli_usage_error(NULL, "more than one content folder given");
		return -1;
	} else if (arg[0] != '-') {
		o->dir = arg;
	} else if (last) {
		cli_usage_error(NULL, "unknown option '%s' (see --help)", arg);
		return -1;
	} else {
		return 0;
	}
	return 1;
}

int buildopts_load(const struct buildopts *o, struct content *c)
{
	const char *dir = o->dir ? o->dir : "content";
	struct diags diags;
	int status = 0;

	diags_init(&diags);
	diags.strict = o->strict;
	{
		struct content_options copt = {&site_prose, o->site.jobs};
		content_load(c, dir, &copt, &diags);
	}
	diags_sort(&diags);
	diags_print(&diags, stderr, o->source);
	diags_print_summary(&diags, stderr);
	if (c->io_error || diags_failed(&diags)) {
		status = c->io_error ? EXIT_TROUBLE : EXIT_INVALID;
		if (!c->io_error)
			intl_say(stderr, "%s has errors; nothing was written", dir);
		content_release(c);
	}
	diags_release(&diags);
	return status;
}

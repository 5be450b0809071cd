#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../diag/report.h"
#include "../model/content.h"
#include "../util/intl.h"
#include "cli.h"

/*
 * --format json|sarif: the diagnostics as one document on stdout, and
 * nothing on stderr; the exit status is the text mode's.  False when stdout
 * could not be written.
 */
static bool print_report(const struct diags *diags, enum report_format format)
{
	char *root;
	bool ok;

	if (format == REPORT_JSON)
		return report_json(diags, stdout);
	root = getcwd(NULL, 0);
	ok = report_sarif(diags, root, stdout);
	free(root);
	return ok;
}

/* The value of --format at argv[*i] ("--format X" or "--format=X"), or
 * NULL when it is missing; *i moves past it. */
static const char *format_arg(int argc, char **argv, int *i)
{
	if (argv[*i][8] == '=')
		return argv[*i] + 9;
	return *i + 1 < argc ? argv[++*i] : NULL;
}

int cmd_check(int argc, char **argv)
{
	const struct command *self = cli_find("check");
	const char *dir = NULL, *fmt;
	bool strict = false, source = true;
	enum report_format format = REPORT_TEXT;
	struct diags diags;
	struct content content;
	int i, status;

	if (cli_wants_help(argc, argv, self))
		return 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--strict")) {
			strict = true;
		} else if (!strcmp(argv[i], "--no-source")) {
			source = false;
		} else if (!strcmp(argv[i], "--format") || !strncmp(argv[i], "--format=", 9)) {
			if (!(fmt = format_arg(argc, argv, &i)))
				return cli_usage_error(self, "--format needs text, json or sarif");
			if (!report_format_parse(fmt, &format))
				return cli_usage_error(self, "unknown format '%s' (text, json or sarif)",
						       fmt);
		} else if (argv[i][0] == '-') {
			return cli_usage_error(self, "unknown option '%s'", argv[i]);
		} else if (dir) {
			return cli_usage_error(self, "more than one folder given");
		} else {
			dir = argv[i];
		}
	}
	diags_init(&diags);
	diags.strict = strict;
	content_load(&content, dir ? dir : "content", NULL, &diags);
	diags_sort(&diags);
	if (content.io_error)
		status = EXIT_TROUBLE;
	else if (diags_failed(&diags))
		status = EXIT_INVALID;
	else
		status = 0;
	if (format != REPORT_TEXT) {
		if (!print_report(&diags, format)) {
			fputs("briefgen: ", stderr);
			fprintf(stderr, _("cannot write the report: %s"), strerror(errno));
			fputc('\n', stderr);
			status = EXIT_TROUBLE;
		}
	} else {
		diags_print(&diags, stderr, source);
		diags_print_summary(&diags, stderr);
		if (!status)
			fprintf(stderr,
				ngettext("%s: %zu partner, valid\n", "%s: %zu partners, valid\n",
					 content.npartners),
				content.dir, content.npartners);
	}
	content_release(&content);
	diags_release(&diags);
	return status;
}

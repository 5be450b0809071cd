#include <stdio.h>
#include <string.h>

#include "../model/content.h"
#include "cli.h"

int cmd_check(int argc, char **argv)
{
	const struct command *self = cli_find("check");
	const char *dir = NULL;
	bool strict = false, source = true;
	struct diags diags;
	struct content content;
	int i, status;

	if (cli_wants_help(argc, argv, self))
		return 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--strict"))
			strict = true;
		else if (!strcmp(argv[i], "--no-source"))
			source = false;
		else if (argv[i][0] == '-')
			return cli_usage_error(self, "unknown option '%s'", argv[i]);
		else if (dir)
			return cli_usage_error(self, "more than one folder given");
		else
			dir = argv[i];
	}
	diags_init(&diags);
	diags.strict = strict;
	content_load(&content, dir ? dir : "content", &diags);
	diags_sort(&diags);
	diags_print(&diags, stderr, source);
	diags_print_summary(&diags, stderr);
	if (content.io_error)
		status = EXIT_TROUBLE;
	else if (diags_failed(&diags))
		status = EXIT_INVALID;
	else
		status = 0;
	if (!status)
		fprintf(stderr, "%s: %zu partner%s, valid\n", content.dir, content.npartners,
			content.npartners == 1 ? "" : "s");
	content_release(&content);
	diags_release(&diags);
	return status;
}

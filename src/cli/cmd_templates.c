/* briefgen templates: the built-in templates as a starting point. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../render/embedded.h"
#include "../render/templates.h"
#include "../util/intl.h"
#include "cli.h"

int cmd_templates(int argc, char **argv)
{
	const struct command *self = cli_find("templates");
	const struct embedded_file *e;
	char *err = NULL;
	int n;

	if (cli_wants_help(argc, argv, self))
		return 0;
	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (e = embedded_files; e->path; e++)
			printf("%s\n", e->path);
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "export"))
		return cli_usage_error(self, "expected 'export DIR' or 'list'");
	n = templates_export(argv[2], &err);
	if (n < 0) {
		fprintf(stderr, "briefgen: %s\n", err);
		free(err);
		return EXIT_TROUBLE;
	}
	fputs("briefgen: ", stderr);
	fprintf(stderr, ngettext("wrote %d template file to %s/ (existing files kept); "
				 "use them with --templates %s",
				 "wrote %d template files to %s/ (existing files kept); "
				 "use them with --templates %s", (unsigned long)n),
		n, argv[2], argv[2]);
	fputc('\n', stderr);
	return 0;
}

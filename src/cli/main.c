/* briefgen: validate and render a committee appendix from YAML. */
#include <stdio.h>
#include <string.h>

#include "../util/intl.h"
#include "cli.h"

static void usage(FILE *out)
{
	const struct command *c;

	fputs(_("usage: briefgen COMMAND [options] [DIR]\n"
		"       briefgen --help | --version\n\n"
		"commands:\n"), out);
	for (c = cli_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, _(c->summary));
	fputs(_("\n"
		"  -h, --help  show this help\n"
		"  --version   print briefgen's version\n\n"
		"Run 'briefgen COMMAND --help' for a command's options.\n"), out);
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	intl_init();
	if (argc < 2) {
		usage(stderr);
		return EXIT_TROUBLE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("briefgen %s\n", BRIEFGEN_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	cmd = cli_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, _("briefgen: unknown command '%s'\n"), argv[1]);
		usage(stderr);
		return EXIT_TROUBLE;
	}
	return cmd->run(argc - 1, argv + 1);
}

#include <stdio.h>

#include "../validate/schema.h"
#include "cli.h"

int cmd_schema(int argc, char **argv)
{
	const struct command *self = cli_find("schema");

	if (cli_wants_help(argc, argv, self))
		return 0;
	if (argc > 1)
		return cli_usage_error(self, "unexpected argument '%s'", argv[1]);
	schema_print_reference(stdout);
	return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
}

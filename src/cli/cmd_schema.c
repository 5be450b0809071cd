/* briefgen schema: the content format reference (Markdown) or, for
 * editors, a file kind's JSON Schema (validate/jsonschema.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/intl.h"
#include "../validate/jsonschema.h"
#include "../validate/schema.h"
#include "cli.h"

static int print_json_schema(const char *name)
{
	const struct schema *s;
	char *text;
	size_t len;

	if (!name) {
		fputs(_("briefgen: schema: --format json-schema needs a file kind: briefing or "
			"partner\n"),
		      stderr);
		return EXIT_TROUBLE;
	}
	s = schema_find(name);
	if (!s) {
		fprintf(stderr, _("briefgen: schema: unknown file kind '%s' (use briefing or "
				  "partner)\n"), name);
		return EXIT_TROUBLE;
	}
	text = jsonschema_text(s, &len);
	fwrite(text, 1, len, stdout);
	free(text);
	return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
}

int cmd_schema(int argc, char **argv)
{
	const struct command *self = cli_find("schema");
	const char *format = "markdown", *name = NULL;
	int i;

	if (cli_wants_help(argc, argv, self))
		return 0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc)
			format = argv[++i];
		else if (!strncmp(argv[i], "--format=", 9))
			format = argv[i] + 9;
		else if (!strcmp(argv[i], "--format"))
			return cli_usage_error(self, _("--format needs a value: markdown or json-schema"));
		else if (argv[i][0] == '-')
			return cli_usage_error(self, _("unknown option '%s'"), argv[i]);
		else if (name)
			return cli_usage_error(self, _("unexpected argument '%s'"), argv[i]);
		else
			name = argv[i];
	}
	if (!strcmp(format, "json-schema"))
		return print_json_schema(name);
	if (strcmp(format, "markdown")) {
		fprintf(stderr, _("briefgen: schema: unknown format '%s' (use markdown or "
				  "json-schema)\n"), format);
		return EXIT_TROUBLE;
	}
	if (name)
		return cli_usage_error(self, _("unexpected argument '%s'"), name);
	schema_print_reference(stdout);
	return fflush(stdout) == 0 ? 0 : EXIT_TROUBLE;
}

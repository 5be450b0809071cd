#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../write/manifest.h"
#include "cli.h"

int cmd_verify(int argc, char **argv)
{
	const struct command *self = cli_find("verify");
	const char *path = NULL;
	struct manifest_report rep = {NULL, 0, 0, 0};
	char *err = NULL;
	size_t len, i;
	int status;

	if (cli_wants_help(argc, argv, self))
		return 0;
	for (i = 1; i < (size_t)argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error(self, "unknown option '%s'", argv[i]);
		if (path)
			return cli_usage_error(self, "more than one folder given");
		path = argv[i];
	}
	if (!path)
		return cli_usage_error(self, "say which folder to verify");
	/* "site/" prints as "site/x", not "site//x". */
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (manifest_verify(path, &rep, &err) < 0) {
		fprintf(stderr, "briefgen: %s\n", err);
		free(err);
		status = EXIT_TROUBLE;
		goto out;
	}
	for (i = 0; i < rep.n; i++)
		printf("%.*s/%s: %s\n", (int)len, path, rep.items[i].path,
		       manifest_problem_name(rep.items[i].problem));
	if (rep.n) {
		fprintf(stderr, "briefgen: %.*s: %zu problem%s, %zu file%s verified\n", (int)len, path,
			rep.n, rep.n == 1 ? "" : "s", rep.verified, rep.verified == 1 ? "" : "s");
		status = EXIT_INVALID;
	} else {
		printf("%.*s: %zu file%s verified\n", (int)len, path, rep.verified,
		       rep.verified == 1 ? "" : "s");
		status = 0;
	}
out:
	manifest_report_release(&rep);
	return status;
}

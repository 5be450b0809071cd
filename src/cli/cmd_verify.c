#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../publish/publish.h"
#include "../util/alloc.h"
#include "../util/intl.h"
#include "../write/manifest.h"
#include "cli.h"

/* "DIR: live now: ..." and, when one is kept, "DIR: kept for --rollback:
 * ...": the same words publish uses.  Nothing when DIR has no SHA256SUMS
 * (the check below says why). */
static void print_state(const char *path, int len)
{
	struct publish_state state;
	char *label = xasprintf("%.*s", len, path);
	char *text;

	publish_describe(label, &state);
	if (state.live.kind == PUBLISH_VERSION) {
		text = publish_state_text(&state, label);
		fputs(text, stdout);
		free(text);
	}
	free(label);
}

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
	print_state(path, (int)len);
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
		/* TRANSLATORS: "site: 3 problems, 17 files verified"; the
		 * second half is the next message. */
		fprintf(stderr, ngettext("briefgen: %.*s: %zu problem, ", "briefgen: %.*s: %zu problems, ",
					 rep.n), (int)len, path, rep.n);
		fprintf(stderr, ngettext("%zu file verified\n", "%zu files verified\n", rep.verified),
			rep.verified);
		status = EXIT_INVALID;
	} else {
		printf(ngettext("%.*s: %zu file verified\n", "%.*s: %zu files verified\n",
				rep.verified), (int)len, path, rep.verified);
		status = 0;
	}
out:
	manifest_report_release(&rep);
	return status;
}

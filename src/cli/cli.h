/*
 * cli: the subcommands.  This is the only layer that prints usage, maps
 * outcomes to exit statuses and exits.
 *
 * Exit statuses (documented in briefgen(1)):
 *   0  success (warnings allowed, unless --strict)
 *   1  the content is invalid, or a build/publish/verify found problems
 *   2  usage error or I/O trouble
 */
#ifndef BRIEFGEN_CLI_H
#define BRIEFGEN_CLI_H

#include <stdbool.h>

#define EXIT_INVALID 1
#define EXIT_TROUBLE 2

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;   /* one line for briefgen --help; English, N_() */
	const char *usage;     /* the --help text: usage lines, a blank line, the
				* options one to a line (commands.c); N_() */
};

extern const struct command cli_commands[];

/* True when argv holds -h or --help; prints usage to stdout. */
bool cli_wants_help(int argc, char **argv, const struct command *cmd);
/* Print "briefgen: message" (fmt is translated here, so callers pass the
 * English) and the command's usage lines to stderr; returns EXIT_TROUBLE. */
int cli_usage_error(const struct command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
const struct command *cli_find(const char *name);

int cmd_check(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_templates(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_new(int argc, char **argv);

#endif

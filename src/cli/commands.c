/*
 * commands: the table of subcommands with their summaries and --help texts,
 * and the helpers that print them.  Every text here is a message: the table
 * holds the English (N_()) and it is translated where it is printed (_()).
 *
 * A command's usage text starts with its usage lines ("usage: briefgen ...",
 * then "       briefgen ..." for another form), ends them with a blank line,
 * and lists every option it accepts, one to a line, indented; the docs test
 * (tests/docs/) compares those lists with what the command accepts, with
 * man/briefgen.1 and with the bash completion.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../util/intl.h"
#include "cli.h"

const struct command cli_commands[] = {
	{"check", cmd_check, N_("validate a content folder and report every problem"),
	 /* TRANSLATORS: keep "usage:", "briefgen", the command and every option
	  * name (--strict, -o, ...) as they are, and the layout: usage lines, a
	  * blank line, and each option on a line of its own starting with
	  * spaces and the option.  Translate the words in capitals (DIR, OUT)
	  * and the descriptions. */
	 N_("usage: briefgen check [--strict] [--no-source] [--format text|json|sarif] [DIR]\n\n"
	    "Validate DIR (default: content) and print every error and warning as\n"
	    "FILE:LINE:COL: severity: message, sorted by file and line.\n\n"
	    "  --strict            treat warnings as errors\n"
	    "  --no-source         do not show the source line and caret under each diagnostic\n"
	    "  --format FORMAT     text (default): diagnostics on stderr; json: one JSON array\n"
	    "                      on stdout; sarif: a SARIF 2.1.0 log on stdout.  Both give\n"
	    "                      every diagnostic with its rule id (briefgen(5), RULES)\n\n"
	    "Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage or I/O trouble.\n")},
	{"build", cmd_build, N_("validate and render the site and Markdown into a folder"),
	 N_("usage: briefgen build [-o OUT] [--pdf] [--chromium PATH] [--lang da|en]\n"
	    "                      [--templates TDIR] [--include-internal] [--strict]\n"
	    "                      [--no-source] [-j N] [DIR]\n\n"
	    "Validate DIR (default: content) and render the appendix as HTML and Markdown\n"
	    "into OUT (default: public).  Nothing is written when the content has errors;\n"
	    "the new OUT replaces the old one whole.\n\n"
	    "  -o, --output OUT    output folder (default: public)\n"
	    "  --pdf               also write OUT/bilag.pdf, the appendix as a tagged A4 PDF\n"
	    "  --chromium PATH     the Chromium that prints the PDF (default: BRIEFGEN_CHROMIUM,\n"
	    "                      else chromium on PATH; install it with apt-get install chromium)\n"
	    "  --lang da|en        language of labels, numbers and dates\n"
	    "                      (default: the briefing's language)\n"
	    "  --templates TDIR    templates that override the built-in ones, file by file\n"
	    "  --include-internal  include items marked internal: true (visibly marked)\n"
	    "  --strict            treat warnings as errors\n"
	    "  --no-source         do not show the source line under each diagnostic\n"
	    "  -j, --jobs N        render partners with N threads (default: one per CPU,\n"
	    "                      at most 8); the output is the same whatever N is\n"
	    "\n"
	    "SOURCE_DATE_EPOCH, when set, dates the pages' \"built\" line and the PDF.\n"
	    "BRIEFGEN_PDF_TIMEOUT (seconds, default 60) stops a PDF print that hangs.\n"
	    "Without Chromium, --pdf fails before anything is read or written (status 2).\n\n"
	    "Exit status: 0 built, 1 invalid content or a failed build, 2 usage or I/O trouble.\n")},
	{"schema", cmd_schema, N_("print the content format: Markdown reference or JSON Schema"),
	 N_("usage: briefgen schema [--format markdown|json-schema] [briefing|partner]\n\n"
	    "Print the content format reference in Markdown (the default): every field of\n"
	    "briefing.yaml and partners/<slug>.yaml with its type, whether it is required,\n"
	    "allowed values and an example.  With --format json-schema, print the JSON\n"
	    "Schema (draft-07) of briefing.yaml or of a partner file, for editors\n"
	    "(yaml-language-server, VS Code's YAML extension) and CI: see docs/editor.md.\n"
	    "Both are made from the tables the validator uses.\n\n"
	    "  --format FORMAT     markdown (default) or json-schema\n")},
	{"dump", cmd_dump, N_("print an intermediate form as text (tree, budget)"),
	 N_("usage: briefgen dump tree FILE\n"
	    "       briefgen dump budget [--include-internal] [DIR]\n\n"
	    "  tree FILE           the positioned YAML tree of FILE\n"
	    "  budget DIR          the computed budget of the content folder DIR\n"
	    "                      (default: content)\n"
	    "  --include-internal  count items marked internal: true in the budget\n")},
	{"templates", cmd_templates, N_("export the built-in templates as a starting point"),
	 N_("usage: briefgen templates export TDIR\n"
	    "       briefgen templates list\n\n"
	    "  export TDIR  write the built-in templates into TDIR (existing files are kept);\n"
	    "               use them with --templates TDIR\n"
	    "  list         list the built-in template files\n")},
	{"serve", cmd_serve, N_("preview in the browser with live reload"),
	 N_("usage: briefgen serve [--port N] [--bind ADDR] [--open] [--chromium PATH]\n"
	    "                      [--lang da|en] [--templates TDIR] [--include-internal]\n"
	    "                      [--strict] [--no-source] [-j N] [DIR]\n\n"
	    "Build DIR (default: content) in memory and serve it on http://ADDR:PORT/.\n"
	    "When a file in DIR, DIR/partners/ or the --templates folder changes, the\n"
	    "site is rebuilt and open pages reload by themselves.  While the content\n"
	    "has errors, every page shows them (with status 500) until they are fixed.\n"
	    "Nothing is written to disk.  Ctrl-C stops it.\n\n"
	    "  --port N            port (default 8000; 0 picks a free one)\n"
	    "  --bind ADDR         address to listen on (default 127.0.0.1): a numeric\n"
	    "                      address such as 127.0.0.1, ::1 or 0.0.0.0, or\n"
	    "                      localhost, which means 127.0.0.1\n"
	    "  --open              open the desktop browser (xdg-open), where there is one\n"
	    "  --chromium PATH     the Chromium that prints /bilag.pdf (as for build)\n"
	    "  --lang da|en        language of labels, numbers and dates\n"
	    "  --templates TDIR    templates that override the built-in ones, file by file\n"
	    "  --include-internal  include items marked internal: true (visibly marked)\n"
	    "  --strict            treat warnings as errors\n"
	    "  --no-source         do not show the source line under each diagnostic\n"
	    "  -j, --jobs N        render partners with N threads (default: one per CPU,\n"
	    "                      at most 8); the output is the same whatever N is\n"
	    "\n"
	    "/bilag.pdf is the appendix as PDF, printed from the current build when it is\n"
	    "first asked for (a second or two).\n\n"
	    "When it is ready it prints one line on stderr:\n"
	    "  briefgen: serving DIR at http://127.0.0.1:PORT/\n"
	    "Only GET and HEAD are answered, only with files of the build, and only to\n"
	    "requests addressed to this host (Host: localhost, 127.0.0.1, [::1] or ADDR).\n")},
	{"publish", cmd_publish, N_("build and publish atomically to a folder"),
	 N_("usage: briefgen publish --to PATH [--force] [--pdf] [--chromium PATH]\n"
	    "                        [--lang da|en] [--templates TDIR] [--include-internal]\n"
	    "                        [--strict] [--no-source] [-j N] [DIR]\n"
	    "       briefgen publish --rollback --to PATH\n\n"
	    "Validate and build DIR (default: content) into a staging folder beside PATH,\n"
	    "flush it to disk and swap it in with one rename, so PATH always holds a whole\n"
	    "version.  The version it replaces is kept as .NAME.previous beside PATH.\n"
	    "Nothing is written when the content has errors.\n\n"
	    "  --to PATH           the published folder (required)\n"
	    "  --force             replace a folder that briefgen did not publish, or one\n"
	    "                      holding files it did not write (kept as the previous)\n"
	    "  --rollback          swap PATH and its previous version (twice: back again)\n"
	    "  --pdf               also publish bilag.pdf, as for build\n"
	    "  --chromium PATH     the Chromium that prints the PDF (as for build)\n"
	    "  --lang da|en        language of labels, numbers and dates\n"
	    "  --templates TDIR    templates that override the built-in ones, file by file\n"
	    "  --include-internal  include items marked internal: true (visibly marked)\n"
	    "  --strict            treat warnings as errors\n"
	    "  --no-source         do not show the source line under each diagnostic\n"
	    "  -j, --jobs N        render partners with N threads (default: one per CPU,\n"
	    "                      at most 8); the output is the same whatever N is\n"
	    "\n"
	    "A lock (.NAME.lock beside PATH) keeps two publishes to PATH from\n"
	    "interleaving; a second one waits up to BRIEFGEN_LOCK_WAIT seconds (default\n"
	    "10).  PATH carries SHA256SUMS: check it with 'briefgen verify PATH'.\n\n"
	    "Exit status: 0 published, 1 invalid content or PATH is not briefgen's,\n"
	    "2 usage or I/O trouble (PATH is then unchanged).\n")},
	{"verify", cmd_verify, N_("check a published folder against its SHA256SUMS"),
	 N_("usage: briefgen verify PATH\n\n"
	    "Check every file of PATH against PATH/SHA256SUMS and print each missing,\n"
	    "changed or extra file as PATH/FILE: missing|changed|extra.\n\n"
	    "Exit status: 0 all files match, 1 a file is missing, changed or extra,\n"
	    "2 PATH or its SHA256SUMS cannot be read or is malformed.\n")},
	{"new", cmd_new, N_("start a content folder, or add a candidate partner to one"),
	 N_("usage: briefgen new [DIR]\n"
	    "       briefgen new --partner SLUG --name NAME --country CC [DIR]\n\n"
	    "Without --partner, write a new content folder DIR (default: content) that\n"
	    "'briefgen check' passes: briefing.yaml with Danish comments explaining each\n"
	    "field, one example partner in partners/, and the JSON Schemas an editor's\n"
	    "YAML extension reads in DIR/.schema/ (each YAML file names its schema on its\n"
	    "first line).  DIR must not exist or be empty; it is written whole or not at all.\n\n"
	    "With --partner, add DIR/partners/SLUG.yaml (status explore) and name SLUG\n"
	    "under new_partnerships.candidates in DIR/briefing.yaml; every other line of\n"
	    "briefing.yaml, comments included, stays as it was.\n\n"
	    "  --partner SLUG      the new partner's file name: lower-case letters, digits and -\n"
	    "  --name NAME         its name as the document writes it (needed with --partner)\n"
	    "  --country CC        its ISO 3166-1 alpha-2 country code, e.g. SE (needed with\n"
	    "                      --partner too)\n\n"
	    "Exit status: 0 written, 2 usage error, DIR not empty, SLUG taken or I/O trouble\n"
	    "(nothing is then written).\n")},
	{NULL, NULL, NULL, NULL}};

const struct command *cli_find(const char *name)
{
	const struct command *c;

	for (c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

bool cli_wants_help(int argc, char **argv, const struct command *cmd)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(_(cmd->usage), stdout);
			return true;
		}
	}
	return false;
}

/* The usage lines of a command: its usage text up to the first blank line. */
static void print_usage_lines(const struct command *cmd, FILE *out)
{
	const char *usage = _(cmd->usage);
	const char *end = strstr(usage, "\n\n");

	fprintf(out, "%.*s\n", end ? (int)(end - usage) : (int)strcspn(usage, "\n"), usage);
}

int cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("briefgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, _(fmt), ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd)
		print_usage_lines(cmd, stderr);
	return EXIT_TROUBLE;
}

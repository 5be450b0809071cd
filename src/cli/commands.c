#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const struct command cli_commands[] = {
	{"check", cmd_check, "validate a content folder and report every problem",
	 "usage: briefgen check [--strict] [--no-source] [DIR]\n\n"
	 "Validate DIR (default: content) and print every error and warning as\n"
	 "FILE:LINE:COL: severity: message, sorted by file and line.\n\n"
	 "  --strict     treat warnings as errors\n"
	 "  --no-source  do not show the source line and caret under each diagnostic\n\n"
	 "Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage or I/O trouble.\n"},
	{"build", cmd_build, "validate and render the site and Markdown into a folder",
	 "usage: briefgen build [options] [DIR]\n\n"
	 "Validate DIR (default: content) and render the appendix as HTML and Markdown\n"
	 "into OUT (default: public).  Nothing is written when the content has errors;\n"
	 "the new OUT replaces the old one whole.\n\n"
	 "  -o, --output OUT      output folder (default: public)\n"
	 "  --pdf                 also write OUT/bilag.pdf, the appendix as a tagged A4 PDF\n"
	 "  --chromium PATH       the Chromium that prints the PDF (default: BRIEFGEN_CHROMIUM,\n"
	 "                        else chromium on PATH; install it with apt-get install chromium)\n"
	 "  --lang da|en          language of labels, numbers and dates\n"
	 "  --templates DIR       templates that override the built-in ones, file by file\n"
	 "  --include-internal    include items marked internal: true (visibly marked)\n"
	 "  --strict              treat warnings as errors\n"
	 "  --no-source           do not show source lines under diagnostics\n\n"
	 "SOURCE_DATE_EPOCH, when set, dates the pages' \"built\" line and the PDF.\n"
	 "BRIEFGEN_PDF_TIMEOUT (seconds, default 60) stops a PDF print that hangs.\n"
	 "Without Chromium, --pdf fails before anything is read or written (status 2).\n"},
	{"schema", cmd_schema, "print the reference of every content field (Markdown)",
	 "usage: briefgen schema\n\n"
	 "Print the content format reference in Markdown: every field of briefing.yaml\n"
	 "and partners/<slug>.yaml with its type, whether it is required, allowed\n"
	 "values and an example.  It is made from the tables the validator uses.\n"},
	{"dump", cmd_dump, "print an intermediate form as text (tree, budget)",
	 "usage: briefgen dump tree FILE | budget [DIR]\n\n"
	 "  tree FILE    the positioned YAML tree of FILE\n"
	 "  budget DIR   the computed budget of the content folder DIR\n"},
	{"templates", cmd_templates, "export the built-in templates as a starting point",
	 "usage: briefgen templates export DIR | list\n\n"
	 "  export DIR   write the built-in templates into DIR (refuses to overwrite)\n"
	 "  list         list the built-in template files\n"},
	{"serve", cmd_serve, "preview in the browser with live reload",
	 "usage: briefgen serve [--port N] [--bind ADDR] [--open] [options] [DIR]\n\n"
	 "Build DIR (default: content) in memory and serve it on http://ADDR:PORT/.\n"
	 "When a file in DIR, DIR/partners/ or the --templates folder changes, the\n"
	 "site is rebuilt and open pages reload by themselves.  While the content\n"
	 "has errors, every page shows them (with status 500) until they are fixed.\n"
	 "Nothing is written to disk.  Ctrl-C stops it.\n\n"
	 "  --port N             port (default 8000; 0 picks a free one)\n"
	 "  --bind ADDR          address to listen on: localhost (the default), or a\n"
	 "                       numeric address such as 127.0.0.1, ::1 or 0.0.0.0\n"
	 "  --open               open the desktop browser (xdg-open), where there is one\n"
	 "  --chromium PATH      the Chromium that prints /bilag.pdf (as for build)\n"
	 "  --lang, --templates, --include-internal, --strict, --no-source as for build\n\n"
	 "/bilag.pdf is the appendix as PDF, printed from the current build when it is\n"
	 "first asked for (a second or two).\n\n"
	 "When it is ready it prints one line on stderr:\n"
	 "  briefgen: serving DIR at http://127.0.0.1:PORT/\n"
	 "Only GET and HEAD are answered, only with files of the build, and only to\n"
	 "requests addressed to this host (Host: localhost, 127.0.0.1, [::1] or ADDR).\n"},
	{"publish", cmd_publish, "build and publish atomically to a folder",
	 "usage: briefgen publish [options] [DIR] --to PATH\n"
	 "       briefgen publish --rollback --to PATH\n\n"
	 "Validate and build DIR (default: content) into a staging folder beside PATH,\n"
	 "flush it to disk and swap it in with one rename, so PATH always holds a whole\n"
	 "version.  The version it replaces is kept as .NAME.previous beside PATH.\n"
	 "Nothing is written when the content has errors.\n\n"
	 "  --to PATH            the published folder (required)\n"
	 "  --pdf, --chromium PATH  also publish bilag.pdf, as for build\n"
	 "  --rollback           swap PATH and its previous version (twice: back again)\n"
	 "  --force              replace a folder that briefgen did not publish, or one\n"
	 "                       holding files it did not write (kept as the previous)\n"
	 "  --lang, --templates, --include-internal, --strict, --no-source as for build\n\n"
	 "A lock (.NAME.lock beside PATH) keeps two publishes to PATH from\n"
	 "interleaving; a second one waits up to BRIEFGEN_LOCK_WAIT seconds (default\n"
	 "10).  PATH carries SHA256SUMS: check it with 'briefgen verify PATH'.\n\n"
	 "Exit status: 0 published, 1 invalid content or PATH is not briefgen's,\n"
	 "2 usage or I/O trouble (PATH is then unchanged).\n"},
	{"verify", cmd_verify, "check a published folder against its SHA256SUMS",
	 "usage: briefgen verify PATH\n\n"
	 "Check every file of PATH against PATH/SHA256SUMS and print each missing,\n"
	 "changed or extra file as PATH/FILE: missing|changed|extra.\n\n"
	 "Exit status: 0 all files match, 1 a file is missing, changed or extra,\n"
	 "2 PATH or its SHA256SUMS cannot be read or is malformed.\n"},
	{"new", cmd_new, "start a content folder, or add a candidate partner to one",
	 "usage: briefgen new [DIR]\n"
	 "       briefgen new --partner SLUG --name NAME --country CC [DIR]\n\n"
	 "Without --partner, write a new content folder DIR (default: content) that\n"
	 "'briefgen check' passes: briefing.yaml with Danish comments explaining each\n"
	 "field, one example partner in partners/, and the JSON Schemas an editor's\n"
	 "YAML extension reads in DIR/.schema/ (each YAML file names its schema on its\n"
	 "first line).  DIR must not exist or be empty; it is written whole or not at all.\n\n"
	 "With --partner, add DIR/partners/SLUG.yaml (status explore) and name SLUG\n"
	 "under new_partnerships.candidates in DIR/briefing.yaml; every other line of\n"
	 "briefing.yaml, comments included, stays as it was.\n\n"
	 "  --partner SLUG   the new partner's file name: lower-case letters, digits, '-'\n"
	 "  --name NAME      its name as the document writes it (required with --partner)\n"
	 "  --country CC     its ISO 3166-1 alpha-2 country code, e.g. SE (required with\n"
	 "                   --partner)\n\n"
	 "Exit status: 0 written, 2 usage error, DIR not empty, SLUG taken or I/O trouble\n"
	 "(nothing is then written).\n"},
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
			fputs(cmd->usage, stdout);
			return true;
		}
	}
	return false;
}

int cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("briefgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cmd) {
		const char *nl = strchr(cmd->usage, '\n');
		fprintf(stderr, "%.*s\n", nl ? (int)(nl - cmd->usage) : (int)strlen(cmd->usage),
			cmd->usage);
	}
	return EXIT_TROUBLE;
}

/*
 * floor: the least work any tool must do to build a briefgen content folder.
 *
 *   floor DIR
 *
 * Parses DIR/briefing.yaml and every DIR/partners/<slug>.yaml with libyaml's event
 * API (a yaml_parser_parse loop, no tree, nothing kept) and renders every
 * Markdown prose field once with cmark_markdown_to_html: the scalar values of
 * the keys introduction, partners_intro, summary, body and text, and the
 * items of the lists background, considerations, purposes and priorities.
 * It writes nothing; the lengths of the HTML are summed and printed so that
 * the compiler cannot drop the work.
 *
 * Not part of briefgen's build: bench/run compiles it with
 *   cc -O2 floor.c $(pkg-config --cflags --libs yaml-0.1 libcmark)
 */
#define _POSIX_C_SOURCE 200809L
#include <cmark.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 64

static const char *const prose_keys[] = { "introduction", "partners_intro", "summary", "body",
					  "text" };
static const char *const prose_lists[] = { "background", "considerations", "purposes",
					   "priorities" };

struct totals {
	size_t files, bytes, fields, html;
};

static int in(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f) {
		fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (!buf) {
				fputs("floor: out of memory\n", stderr);
				exit(1);
			}
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	*len = n;
	return buf;
}

static void render(const char *s, size_t len, struct totals *t)
{
	char *html = cmark_markdown_to_html(s, len, CMARK_OPT_DEFAULT);

	t->html += strlen(html);
	t->fields++;
	free(html);
}

/*
 * One frame per open mapping or sequence.  In a mapping, `key` is the key
 * whose value comes next (empty while a key is expected); a sequence remembers
 * the key it is the value of.
 */
struct frame {
	int mapping;
	int want_key;
	char key[32];
};

static void parse_file(const char *path, struct totals *t)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct frame st[MAX_DEPTH];
	int depth = 0, done = 0;
	size_t len;
	char *buf = slurp(path, &len);

	t->files++;
	t->bytes += len;
	if (!yaml_parser_initialize(&parser)) {
		fputs("floor: yaml_parser_initialize failed\n", stderr);
		exit(1);
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			fprintf(stderr, "floor: %s:%zu: %s\n", path, parser.problem_mark.line + 1,
				parser.problem ? parser.problem : "parse error");
			exit(1);
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT: {
			const char *key = "";

			if (depth == MAX_DEPTH) {
				fprintf(stderr, "floor: %s: nested too deeply\n", path);
				exit(1);
			}
			if (depth > 0) {
				struct frame *up = &st[depth - 1];
				key = up->key;
				if (up->mapping)
					up->want_key = 1;
			}
			st[depth].mapping = ev.type == YAML_MAPPING_START_EVENT;
			st[depth].want_key = 1;
			snprintf(st[depth].key, sizeof st[depth].key, "%s",
				 st[depth].mapping ? "" : key);
			depth++;
			break;
		}
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			break;
		case YAML_SCALAR_EVENT: {
			const char *v = (const char *)ev.data.scalar.value;
			size_t vl = ev.data.scalar.length;
			struct frame *f = depth ? &st[depth - 1] : NULL;

			if (!f)
				break;
			if (f->mapping && f->want_key) {
				snprintf(f->key, sizeof f->key, "%s", v);
				f->want_key = 0;
			} else if (f->mapping) {
				if (in(f->key, prose_keys, sizeof prose_keys / sizeof *prose_keys))
					render(v, vl, t);
				f->want_key = 1;
			} else if (in(f->key, prose_lists, sizeof prose_lists / sizeof *prose_lists)) {
				render(v, vl, t);
			}
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	free(buf);
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	char path[4096];
	DIR *d;
	struct dirent *de;

	if (argc != 2) {
		fputs("usage: floor DIR\n", stderr);
		return 2;
	}
	snprintf(path, sizeof path, "%s/briefing.yaml", argv[1]);
	parse_file(path, &t);
	snprintf(path, sizeof path, "%s/partners", argv[1]);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0)
			continue;
		snprintf(path, sizeof path, "%s/partners/%s", argv[1], de->d_name);
		parse_file(path, &t);
	}
	closedir(d);
	printf("floor: %zu files, %zu bytes of YAML, %zu prose fields, %zu bytes of HTML\n",
	       t.files, t.bytes, t.fields, t.html);
	return 0;
}

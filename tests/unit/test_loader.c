/* Unit tests of src/load: positions, BOM, CRLF, scalar typing, every refusal. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/node.h"
#include "load/text.h"
#include "util/bytes.h"
#include "unit.h"
#include "util/tempdir.h"

static struct arena arena;
static struct diags diags;

static void setup(void)
{
	arena_init(&arena);
	diags_init(&diags);
}

static void teardown(void)
{
	diags_release(&diags);
	arena_release(&arena);
}

static void refuse_n(const char *text, size_t len, const char *needle, int line, int col);

/* The same for a NUL-terminated text. */
static void refuse(const char *text, const char *needle, int line, int col)
{
	refuse_n(text, strlen(text), needle, line, col);
}

static struct node *load(const char *text)
{
	return load_text("t.yaml", text, strlen(text), &arena, &diags);
}

/* Load text (len bytes) that must be refused with exactly one error (plus notes). */
static void refuse_n(const char *text, size_t len, const char *needle, int line, int col)
{
	struct node *root = load_text("t.yaml", text, len, &arena, &diags);

	ck_assert_ptr_null(root);
	ck_assert_int_eq(diags.errors, 1);
	ck_assert_diag(&diags, SEV_ERROR, needle, line, col);
	ck_assert_str_eq(diags.items[0].file, "t.yaml");
}

/* ---- positions and typing ------------------------------------------------ */

START_TEST(positions_are_one_based)
{
	struct node *root = load("name: Brasov\ncosts:\n  - label: DAROBI\n    amount: 450000\n");
	struct node *costs, *cost;

	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(diags.n, 0);
	ck_assert_int_eq(root->kind, NODE_MAP);
	ck_assert_int_eq(root->line, 1);
	ck_assert_int_eq(root->col, 1);
	ck_assert_int_eq(root->n, 2);
	ck_assert_str_eq(root->pairs[0].key->value, "name");
	ck_assert_int_eq(root->pairs[0].value->line, 1);
	ck_assert_int_eq(root->pairs[0].value->col, 7);
	costs = node_get(root, "costs");
	ck_assert_int_eq(costs->kind, NODE_SEQ);
	ck_assert_int_eq(costs->line, 3);
	ck_assert_int_eq(costs->col, 3);
	cost = costs->items[0];
	ck_assert_int_eq(cost->kind, NODE_MAP);
	ck_assert_int_eq(cost->line, 3);
	ck_assert_int_eq(cost->col, 5);
	ck_assert_int_eq(cost->pairs[1].key->line, 4);
	ck_assert_int_eq(cost->pairs[1].key->col, 5);
	ck_assert_int_eq(cost->pairs[1].value->col, 13);
	ck_assert_str_eq(cost->pairs[1].value->file, "t.yaml");
}
END_TEST

START_TEST(columns_count_characters)
{
	/* "æøå: " is 5 characters but 8 bytes: libyaml counts characters. */
	struct node *root = load("æøå: x\nby: Århus\n");

	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(root->pairs[0].value->col, 6);
	ck_assert_str_eq(root->pairs[1].value->value, "Århus");
}
END_TEST

START_TEST(bom_is_accepted)
{
	struct node *root = load("\xEF\xBB\xBFname: Brasov\ncountry: RO\n");

	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(diags.n, 0);
	ck_assert_str_eq(root->pairs[0].key->value, "name");
	ck_assert_int_eq(root->pairs[0].key->line, 1);
	ck_assert_int_eq(root->pairs[0].key->col, 1);
	ck_assert_int_eq(root->pairs[1].key->line, 2);
}
END_TEST

START_TEST(crlf_is_accepted)
{
	struct node *root = load("name: Brasov\r\nbody: |\r\n  one\r\n  two\r\ncountry: RO\r\n");

	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(diags.n, 0);
	ck_assert_str_eq(node_get(root, "name")->value, "Brasov");
	ck_assert_str_eq(node_get(root, "body")->value, "one\ntwo\n");
	ck_assert_int_eq(root->pairs[2].key->line, 5);
	ck_assert_int_eq(root->pairs[2].key->col, 1);
}
END_TEST

/* libyaml ends a line at a lone CR; a reader's editor and the diagnostics
 * do not, so places are counted by line feeds alone, here too. */
START_TEST(lone_cr_positions)
{
	struct node *root = load("a: 1\rb: x\nc: long enough value\r\rd: 2\n");

	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq((int)root->n, 4);
	ck_assert_int_eq(root->pairs[1].key->line, 1);
	ck_assert_int_eq(root->pairs[1].key->col, 6);
	ck_assert_int_eq(root->pairs[1].value->col, 9);
	ck_assert_int_eq(root->pairs[2].value->line, 2);
	ck_assert_int_eq(root->pairs[2].value->col, 4);
	ck_assert_int_eq(root->pairs[3].key->line, 2);
	ck_assert_int_eq(root->pairs[3].key->col, 23);
	ck_assert_int_eq(root->pairs[3].value->col, 26);
}
END_TEST

START_TEST(bom_and_crlf_positions)
{
	struct node *root = load("\xEF\xBB\xBF"
				 "a: 1\r\nb:\r\n  - x\r\n");

	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(node_get(root, "b")->items[0]->line, 3);
	ck_assert_int_eq(node_get(root, "b")->items[0]->col, 5);
}
END_TEST

START_TEST(scalars_stay_text)
{
	struct node *root = load("country: NO\nquoted: 'NO'\nyes: yes\nn: 050\nf: 50.000\n"
				 "t: true\nempty:\ntilde: ~\nnull_text: 'null'\nd: 2006-10-23\n");
	struct node *v;

	ck_assert_ptr_nonnull(root);
	v = node_get(root, "country");
	ck_assert_str_eq(v->value, "NO");
	ck_assert_int_eq(v->len, 2);
	ck_assert(v->plain);
	ck_assert(!node_is_null(v));
	v = node_get(root, "quoted");
	ck_assert_str_eq(v->value, "NO");
	ck_assert(!v->plain);
	ck_assert_str_eq(node_get(root, "yes")->value, "yes");
	ck_assert_str_eq(node_get(root, "n")->value, "050");
	ck_assert_str_eq(node_get(root, "f")->value, "50.000");
	ck_assert_str_eq(node_get(root, "t")->value, "true");
	ck_assert_str_eq(node_get(root, "d")->value, "2006-10-23");
	ck_assert(node_is_null(node_get(root, "empty")));
	ck_assert(node_is_null(node_get(root, "tilde")));
	ck_assert(!node_is_null(node_get(root, "null_text")));
	ck_assert(node_is_null(node_get(root, "absent")));
}
END_TEST

START_TEST(node_helpers)
{
	struct node *root = load("a: [1]\n");
	struct node *nulls = load("a: null\nb: Null\nc: NULL\nd: nULL\ne: nul\nf: N\n"
				  "g: nullx\nh: '~'\ni: ~x\nj: \"\"\nk: none\n");
	static const char null_keys[] = "abc", not_null_keys[] = "defghijk";
	char key[2] = "";
	size_t i;

	ck_assert_ptr_nonnull(nulls);
	for (i = 0; null_keys[i]; i++) {
		key[0] = null_keys[i];
		ck_assert_msg(node_is_null(node_get(nulls, key)), "%s", key);
	}
	for (i = 0; not_null_keys[i]; i++) {
		key[0] = not_null_keys[i];
		ck_assert_msg(!node_is_null(node_get(nulls, key)), "%s", key);
	}

	ck_assert_ptr_null(node_get(node_get(root, "a"), "a")); /* not a map */
	ck_assert_ptr_null(node_get(NULL, "a"));
	ck_assert_str_eq(node_kind_name(NODE_SCALAR), "a scalar");
	ck_assert_str_eq(node_kind_name(NODE_SEQ), "a list");
	ck_assert_str_eq(node_kind_name(NODE_MAP), "a mapping");
}
END_TEST

START_TEST(depth_limit_is_exact)
{
	char text[256];
	size_t i, n = 0;

	/* The top mapping is level 1: 15 brackets more make LOAD_MAX_DEPTH. */
	n += (size_t)snprintf(text, sizeof(text), "a: ");
	for (i = 0; i < LOAD_MAX_DEPTH - 1; i++)
		text[n++] = '[';
	for (i = 0; i < LOAD_MAX_DEPTH - 1; i++)
		text[n++] = ']';
	text[n++] = '\n';
	text[n] = '\0';
	ck_assert_ptr_nonnull(load(text));
	ck_assert_int_eq(diags.n, 0);
}
END_TEST

START_TEST(size_limit_is_exact)
{
	char *text = malloc(LOAD_MAX_FILE + 2);

	/* "a: xxx...x\n" of exactly LOAD_MAX_FILE bytes loads. */
	memcpy(text, "a: ", 3);
	memset(text + 3, 'x', LOAD_MAX_FILE - 4);
	text[LOAD_MAX_FILE - 1] = '\n';
	text[LOAD_MAX_FILE] = '\0';
	ck_assert_ptr_nonnull(load_text("t.yaml", text, LOAD_MAX_FILE, &arena, &diags));
	ck_assert_int_eq(diags.n, 0);
	/* One byte more is refused, before parsing. */
	text[LOAD_MAX_FILE] = '\n';
	text[LOAD_MAX_FILE + 1] = '\0';
	refuse_n(text, LOAD_MAX_FILE + 1, "larger than the limit of 262144 bytes", 0, 0);
	free(text);
}
END_TEST

/* briefing.yaml's limit: 256 KiB, 128 bytes more per partner file, 2 MiB at most. */
START_TEST(briefing_limit_grows_with_partner_files)
{
	ck_assert_uint_eq(load_briefing_limit(0), 262144);
	ck_assert_uint_eq(load_briefing_limit(1), 262144 + 128);
	ck_assert_uint_eq(load_briefing_limit(7), 262144 + 7 * 128);
	/* 20 000 partners with seed-like slugs need about 1 MB. */
	ck_assert_uint_ge(load_briefing_limit(20000), 2 * 1000 * 1000);
	ck_assert_uint_eq(load_briefing_limit(14335), 2 * 1024 * 1024 - 128);
	ck_assert_uint_eq(load_briefing_limit(14336), 2 * 1024 * 1024);
	ck_assert_uint_eq(load_briefing_limit(14337), 2 * 1024 * 1024);
	ck_assert_uint_eq(load_briefing_limit((size_t)-1), LOAD_MAX_BRIEFING);
}
END_TEST

/* A text of max bytes loads, max + 1 is refused before parsing; a limit
 * other than 256 KiB is explained in the message. */
START_TEST(text_limit_is_exact)
{
	size_t max = load_briefing_limit(3);
	char *text = malloc(max + 2);

	memcpy(text, "a: ", 3);
	memset(text + 3, 'x', max - 4);
	text[max - 1] = '\n';
	text[max] = '\0';
	ck_assert_ptr_nonnull(load_text_limit("briefing.yaml", text, max, max, &arena, &diags));
	ck_assert_int_eq(diags.n, 0);
	ck_assert_ptr_null(load_text("briefing.yaml", text, max, &arena, &diags));
	ck_assert_diag(&diags, SEV_ERROR, "larger than the limit of 262144 bytes (256 KiB)", 0, 0);
	teardown();
	setup();
	/* Garbage that would be an error at line 1: refused from its size alone. */
	text[0] = '[';
	text[max] = '\n';
	text[max + 1] = '\0';
	ck_assert_ptr_null(load_text_limit("briefing.yaml", text, max + 1, max, &arena, &diags));
	ck_assert_int_eq(diags.n, 1);
	ck_assert_diag(&diags, SEV_ERROR,
		       "file is larger than the limit of 262528 bytes (256 KiB and 128 bytes for "
		       "each file in partners/, at most 2 MiB)", 0, 0);
	free(text);
}
END_TEST

/* Write len bytes of c (a comment line, so it loads) to path. */
static void write_filled(const char *path, size_t len)
{
	FILE *f = fopen(path, "w");
	size_t i;

	ck_assert_ptr_nonnull(f);
	fputs("a: 1\n#", f);
	for (i = 6; i < len; i++)
		fputc(i + 1 == len ? '\n' : 'x', f);
	ck_assert_int_eq(fclose(f), 0);
}

/* Build a test tree under dir: a folder, a file with text, a link to
 * target, a FIFO, each at dir/rel. */
static char *tree_path(const char *dir, const char *rel)
{
	return xasprintf("%s/%s", dir, rel);
}

static void make_dir(const char *dir, const char *rel)
{
	char *p = tree_path(dir, rel);

	ck_assert_int_eq(mkdir(p, 0700), 0);
	free(p);
}

static void make_file(const char *dir, const char *rel, const char *text)
{
	char *p = tree_path(dir, rel);
	size_t n = strlen(text);
	int fd = open(p, O_WRONLY | O_CREAT, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
	close(fd);
	free(p);
}

static void make_link(const char *dir, const char *rel, const char *target)
{
	char *p = tree_path(dir, rel);

	ck_assert_int_eq(symlink(target, p), 0);
	free(p);
}

static void make_fifo(const char *dir, const char *rel)
{
	char *p = tree_path(dir, rel);

	ck_assert_int_eq(mkfifo(p, 0600), 0);
	free(p);
}

START_TEST(briefing_file_limit_counts_partner_files)
{
	char *err = NULL, *dir = tempdir_create("loader", &err), *p;
	const char *names[] = {"a.yaml", "b-2.yaml", "Bad.yaml", ".hidden.yaml", "c.yml", "d.txt",
			       "e.yaml~", ".yaml"};
	size_t i, max = load_briefing_limit(3);
	int io = 0;
	struct node *root;

	ck_assert_ptr_nonnull(dir);
	p = xasprintf("%s/briefing.yaml", dir);
	/* No partners/ folder: 256 KiB. */
	ck_assert_uint_eq(load_count_partner_files(dir), 0);
	ck_assert_uint_eq(load_limit_for(p), LOAD_MAX_FILE);
	free(p);
	make_dir(dir, "partners");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		p = xasprintf("%s/partners/%s", dir, names[i]);
		write_filled(p, 10);
		free(p);
	}
	/* a.yaml, b-2.yaml and Bad.yaml: what check lists as partner files. */
	ck_assert_uint_eq(load_count_partner_files(dir), 3);
	p = xasprintf("%s/briefing.yaml", dir);
	ck_assert_uint_eq(load_limit_for(p), max);
	ck_assert_uint_eq(load_limit_for("partners/a.yaml"), LOAD_MAX_FILE);
	ck_assert_uint_eq(load_limit_for("notbriefing.yaml"), LOAD_MAX_FILE);
	write_filled(p, max);
	root = load_file_limit(p, NULL, load_limit_for(p), &arena, &diags, &io);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(diags.n, 0);
	/* One byte more: refused from its size, and not an I/O error. */
	write_filled(p, max + 1);
	ck_assert_ptr_null(load_file_limit(p, NULL, load_limit_for(p), &arena, &diags, &io));
	ck_assert_int_eq(io, 0);
	ck_assert_int_eq(diags.n, 1);
	ck_assert_diag(&diags, SEV_ERROR, "larger than the limit of 262528 bytes (256 KiB and", 0,
		       0);
	/* Any other file keeps 256 KiB. */
	teardown();
	setup();
	ck_assert_ptr_null(load_file(p, &arena, &diags, &io));
	ck_assert_diag(&diags, SEV_ERROR, "larger than the limit of 262144 bytes (256 KiB)", 0, 0);
	free(p);
	ck_assert_int_eq(tempdir_remove(dir), 0);
	free(dir);
}
END_TEST

/* ---- refusals ------------------------------------------------------------ */

START_TEST(refuses_duplicate_key_with_note)
{
	const struct diag *err, *note;

	refuse("name: a\ncountry: RO\nname: b\n", "duplicate key 'name'", 3, 1);
	ck_assert_int_eq(diags.n, 2);
	err = find_diag(&diags, "duplicate key");
	note = find_diag(&diags, "first given here");
	ck_assert_ptr_nonnull(note);
	ck_assert_int_eq(note->severity, SEV_NOTE);
	ck_assert_int_eq(note->line, 1);
	ck_assert_int_eq(note->col, 1);
	ck_assert_int_eq(note->parent, err->seq + 1);
	ck_assert_str_eq(err->hint, "remove one of them or merge their values");
}
END_TEST

START_TEST(reports_every_duplicate)
{
	ck_assert_ptr_null(load("a: 1\nb: 2\na: 3\nb: 4\n"));
	ck_assert_int_eq(diags.errors, 2);
	ck_assert_diag(&diags, SEV_ERROR, "duplicate key 'a'", 3, 1);
	ck_assert_diag(&diags, SEV_ERROR, "duplicate key 'b'", 4, 1);
}
END_TEST

/* A key whose first byte no earlier key had is new without a search: keys
 * whose first bytes share a mark (modulo 64: 'a' and '!', '' and '@') are
 * still told apart, and a duplicate always found, in a short map and a
 * long one. */
START_TEST(duplicates_found_whatever_the_first_byte)
{
	struct buf b = BUF_INIT;
	size_t i;

	ck_assert_ptr_nonnull(load("a: 1\n'!': 2\n'': 3\n'@': 4\nb: 5\nD: 6\n\"\\u0100\": 7\n"
				   "C: 8\n\"\\xC0\": 9\naa: 10\n"));
	ck_assert_int_eq(diags.n, 0);
	teardown();
	setup();
	ck_assert_ptr_null(load("a: 1\n'!': 2\n'': 3\n'@': 4\n'!': 5\n'': 6\nb: 7\na: 8\n"));
	ck_assert_int_eq(diags.errors, 3);
	ck_assert_diag(&diags, SEV_ERROR, "duplicate key '!'", 5, 1);
	ck_assert_diag(&diags, SEV_ERROR, "duplicate key ''", 6, 1);
	ck_assert_diag(&diags, SEV_ERROR, "duplicate key 'a'", 8, 1);
	teardown();
	setup();
	for (i = 0; i < 40; i++)
		buf_addf(&b, "k%zu: %zu\n", i, i);
	buf_adds(&b, "'': x\nk7: y\n'': z\n");
	ck_assert_ptr_null(load(b.ptr));
	ck_assert_int_eq(diags.errors, 2);
	ck_assert_diag(&diags, SEV_ERROR, "duplicate key 'k7'", 42, 1);
	ck_assert_diag(&diags, SEV_ERROR, "duplicate key ''", 43, 1);
	buf_release(&b);
}
END_TEST

/* A map of many keys is indexed (node.h, NODE_INDEX_MIN): every key is
 * found, no other, and duplicates are reported as in a short map. */
START_TEST(long_maps_find_every_key)
{
	struct buf b = BUF_INIT;
	struct node *root, *v;
	char key[32];
	int i, n;

	for (n = 1; n <= 70; n += 23) {
		teardown();
		setup();
		buf_reset(&b);
		for (i = 0; i < n; i++)
			buf_addf(&b, "k%d: v%d\n", i * 7, i);
		buf_adds(&b, "'': empty\n");
		root = load(b.ptr);
		ck_assert_ptr_nonnull(root);
		ck_assert_int_eq((int)root->n, n + 1);
		ck_assert(n + 1 < NODE_INDEX_MIN ? !root->index : root->index != NULL);
		for (i = 0; i < 7 * n; i++) {
			snprintf(key, sizeof(key), "k%d", i);
			v = node_get(root, key);
			if (i % 7) {
				ck_assert_ptr_null(v);
				continue;
			}
			ck_assert_ptr_nonnull(v);
			snprintf(key, sizeof(key), "v%d", i / 7);
			ck_assert_str_eq(v->value, key);
			ck_assert_int_eq(v->line, i / 7 + 1);
		}
		ck_assert_str_eq(node_get(root, "")->value, "empty");
		ck_assert_ptr_null(node_get(root, "k"));
		ck_assert_ptr_null(node_get(root, "v0"));
	}
	/* Duplicates in a long map: each at its place, with the first's. */
	teardown();
	setup();
	buf_reset(&b);
	for (i = 0; i < 40; i++)
		buf_addf(&b, "k%d: %d\n", i, i);
	buf_adds(&b, "k3: again\nk39: again\nk40: new\nk0: again\n");
	ck_assert_ptr_null(load(b.ptr));
	ck_assert_int_eq(diags.errors, 3);
	ck_assert_diag(&diags, SEV_ERROR, "duplicate key 'k3'", 41, 1);
	ck_assert_diag(&diags, SEV_ERROR, "duplicate key 'k39'", 42, 1);
	ck_assert_diag(&diags, SEV_ERROR, "duplicate key 'k0'", 44, 1);
	ck_assert_diag(&diags, SEV_NOTE, "'k3' first given here", 4, 1);
	ck_assert_diag(&diags, SEV_NOTE, "'k39' first given here", 40, 1);
	ck_assert_diag(&diags, SEV_NOTE, "'k0' first given here", 1, 1);
	buf_release(&b);
}
END_TEST

START_TEST(refuses_nested_duplicate)
{
	refuse("costs:\n  - label: a\n    label: b\n", "duplicate key 'label'", 3, 5);
}
END_TEST

START_TEST(refuses_anchor)
{
	refuse("name: &n Brasov\nlocal_name: *n\n", "anchors and aliases are not supported", 1, 7);
}
END_TEST

START_TEST(refuses_anchor_on_collections)
{
	refuse("a: &l [1]\n", "anchors and aliases", 1, 4);
	teardown();
	setup();
	refuse("a: &m {b: 1}\n", "anchors and aliases", 1, 4);
}
END_TEST

/* Every form of event is given back once (event_done): anchors and tags on
 * keys, values, items and collections, aliases, empty collections, nested
 * ones, in a file loaded and in files refused at each.  What this checks is
 * said by the leak and double-free checks of the debug preset's sanitizers. */
START_TEST(events_given_back_in_every_form)
{
	static const char *const texts[] = {
		"a: [1, [], {}, {b: [c, {d: e}]}]\nf: {}\ng: []\n\"h\": 'i'\n",
		"&k a: 1\n", "!t a: 1\n", "a: [&x 1]\n", "a: [!t 1]\n", "a: [&x [1]]\n",
		"a: [!t {b: 1}]\n", "? [a]\n: 1\n", "a: [*x]\n", "*x : 1\n", "a: {&x b: 1}\n",
		"a: {b: !t [1]}\n",
	};
	size_t i;

	ck_assert_ptr_nonnull(load(texts[0]));
	ck_assert_int_eq(diags.n, 0);
	for (i = 1; i < sizeof(texts) / sizeof(texts[0]); i++) {
		teardown();
		setup();
		ck_assert_msg(load(texts[i]) == NULL, "%s loaded", texts[i]);
		ck_assert_int_eq(diags.errors, 1);
	}
}
END_TEST

START_TEST(refuses_alias)
{
	/* An alias to an anchor that was never defined is still an alias. */
	refuse("name: *n\n", "anchors and aliases are not supported", 1, 7);
}
END_TEST

START_TEST(refuses_alias_bomb_at_first_anchor)
{
	const char *bomb =
	    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";

	refuse(bomb, "anchors and aliases", 1, 4);
	/* Nothing was expanded: the arena holds a few nodes at most. */
	ck_assert_uint_lt(arena.used, 4096);
}
END_TEST

START_TEST(refuses_tags)
{
	refuse("amount: !!int 5\n", "YAML tags are not supported", 1, 9);
	teardown();
	setup();
	refuse("a: !local [1]\n", "YAML tags", 1, 4);
	teardown();
	setup();
	refuse("--- !map\na: 1\n", "YAML tags", 1, 5);
}
END_TEST

START_TEST(refuses_deep_nesting)
{
	char text[256];
	size_t i, n = 0;

	n += (size_t)snprintf(text, sizeof(text), "a: ");
	for (i = 0; i < LOAD_MAX_DEPTH; i++)
		text[n++] = '[';
	for (i = 0; i < LOAD_MAX_DEPTH; i++)
		text[n++] = ']';
	text[n++] = '\n';
	refuse_n(text, n, "nesting deeper than 16 levels", 1, 4 + LOAD_MAX_DEPTH - 1);
}
END_TEST

START_TEST(refuses_very_deep_nesting_quickly)
{
	/* 100000 open brackets: refused at level 17, without recursing further. */
	size_t n = 100000, i;
	char *text = malloc(n + 4);

	memcpy(text, "a: ", 3);
	for (i = 0; i < n; i++)
		text[3 + i] = '[';
	text[3 + n] = '\0';
	refuse_n(text, n + 3, "nesting deeper", 1, 3 + LOAD_MAX_DEPTH);
	free(text);
}
END_TEST

START_TEST(refuses_invalid_utf8)
{
	refuse("origin: Ringk\xF8"
	       "bing\n",
	       "invalid UTF-8 byte 0xF8", 1, 14);
	ck_assert_ptr_nonnull(strstr(diags.items[0].hint, "UTF-8"));
}
END_TEST

START_TEST(refuses_bad_utf8_forms)
{
	static const char *const bad[] = {
	    "a: \xC0\xAF\n",	     /* overlong '/' */
	    "a: \xE0\x80\xAF\n",     /* overlong, 3 bytes */
	    "a: \xED\xA0\x80\n",     /* UTF-16 surrogate */
	    "a: \xF4\x90\x80\x80\n", /* past U+10FFFF */
	    "a: \xC3\n",	     /* cut short by a newline */
	    "a: \xC3",		     /* cut short by the end */
	    "a: \x80\n",	     /* stray continuation byte */
	    "a: \xFF\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		teardown();
		setup();
		refuse(bad[i], "invalid UTF-8", 1, 4);
	}
}
END_TEST

/* check_utf8 steps over a letter of two bytes at once: every two-byte
 * sequence is still what the full check says it is.  C2 80 to C2 9F are
 * controls (refused where they stand), D8 9C is a format character (its
 * place kept on the node), the rest load as they are; a lead byte not
 * followed by a continuation byte, or at the very end, is invalid. */
START_TEST(two_byte_letters_checked_as_ever)
{
	unsigned lead, cont;
	char text[32];
	struct node *root, *v;

	for (lead = 0xC2; lead <= 0xDF; lead++) {
		for (cont = 0x80; cont <= 0xBF; cont++) {
			teardown();
			setup();
			snprintf(text, sizeof(text), "a: \xC3\xA6x%c%cy\nb: 1\n", (char)lead, (char)cont);
			root = load(text);
			if (lead == 0xC2 && cont < 0xA0) {
				ck_assert_ptr_null(root);
				ck_assert_int_eq(diags.errors, 1);
				ck_assert_diag(&diags, SEV_ERROR, "control character", 1, 6);
				continue;
			}
			ck_assert_msg(root != NULL, "%02X %02X refused", lead, cont);
			ck_assert_int_eq(diags.n, 0);
			v = node_get(root, "a");
			ck_assert_uint_eq(v->len, 6);
			ck_assert_mem_eq(v->value, text + 3, 6);
			if (lead == 0xD8 && cont == 0x9C) {
				ck_assert_ptr_nonnull(v->chars);
				ck_assert_uint_eq(v->chars->format, 0x061C);
				ck_assert_int_eq(v->chars->format_col, 6);
			} else {
				ck_assert_ptr_null(v->chars);
			}
		}
		teardown();
		setup();
		snprintf(text, sizeof(text), "a: \xC3\xA6x%cy\n", (char)lead);
		refuse(text, "invalid UTF-8", 1, 6);
		teardown();
		setup();
		snprintf(text, sizeof(text), "a: \xC3\xA6x%c", (char)lead);
		refuse(text, "invalid UTF-8", 1, 6);
	}
	/* A tab after two-byte letters: still found, so the file is checked. */
	teardown();
	setup();
	root = load("a: \xC3\xA6\xC3\xB8x\ty\n");
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(node_get(root, "a")->chars->tab_col, 7);
}
END_TEST

/* check_utf8's 32- and sixteen-byte steps over ASCII and two-byte letters:
 * random texts of ASCII, two-byte letters (easy and not: C2 and D8 leads),
 * three- and four-byte ones and line breaks, of up to most of them, at
 * every offset to the blocks, load; one wrong byte sequence put anywhere
 * is reported at its own line and column. */
static void easy_blocks(size_t most)
{
	static const char *const good[] = {
		"a", "b", " ", "\n  ", "\xC3\xA6", "\xC3\x9F", "\xC5\x90", "\xC2\xBB", "\xD8\xA0",
		"\xDF\xBF", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xD7\x90", "\xC3\x80",
		"\xD8\x9C",   /* U+061C, a format character: kept on the node */
	};
	static const struct {
		const char *bytes, *message;
	} bad[] = {
		{"\xC3" "a", "invalid UTF-8 byte 0xC3"},
		{"\xC3\xC3\xA6", "invalid UTF-8 byte 0xC3"},
		{"\x80", "invalid UTF-8 byte 0x80"},
		{"\xBF", "invalid UTF-8 byte 0xBF"},
		{"\xC1\x81", "invalid UTF-8 byte 0xC1"},
		{"\xC2\x85", "control character \\u0085"},
		{"\x01", "control character \\x01"},
		{"\xE2\x80", "invalid UTF-8 byte 0xE2"},
		{"\xED\xA0\x80", "invalid UTF-8 byte 0xED"},
	};
	uint64_t seed = 0x2545F4914F6CDD1Dull;
	struct buf b = BUF_INIT;
	size_t round, k, at;
	int line, col, want_line = 0, want_col = 0;

	for (round = 0; round < 3000; round++) {
		size_t n, which = round % (sizeof(bad) / sizeof(bad[0]) + 1);
		bool put_bad = which > 0, format = false;
		struct node *root;

		buf_reset(&b);
		buf_adds(&b, "a: x");
		line = 1;
		col = 5;
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		n = 5 + seed % most;
		at = put_bad ? (size_t)(seed >> 20) % n : n;
		for (k = 0; k < n; k++) {
			const char *t;

			if (k == at) {
				want_line = line;
				want_col = col;
				buf_adds(&b, bad[which - 1].bytes);
				col++;
			}
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			t = good[seed % (sizeof(good) / sizeof(good[0]))];
			buf_adds(&b, t);
			format = format || strcmp(t, "\xD8\x9C") == 0;
			if (t[0] == '\n') {
				line++;
				col = 3;
			} else {
				col++;
			}
		}
		buf_adds(&b, "\nb: 1\n");
		teardown();
		setup();
		if (!put_bad) {
			root = load(b.ptr);
			ck_assert_msg(root != NULL, "refused: %s", diags.n ? diags.items[0].message : "");
			ck_assert_int_eq(diags.n, 0);
			ck_assert_msg((node_get(root, "a")->chars != NULL) == format, "%s", b.ptr);
			continue;
		}
		ck_assert_ptr_null(load(b.ptr));
		ck_assert_int_eq(diags.errors, 1);
		ck_assert_diag(&diags, SEV_ERROR, bad[which - 1].message, want_line, want_col);
	}
	buf_release(&b);
}

START_TEST(easy_blocks_checked_as_ever)
{
	easy_blocks(60);
}
END_TEST

/* Long texts, which check_utf8 steps over 32 bytes at a time: with AVX2
 * where the processor has it, and with SSE2. */
START_TEST(wide_easy_blocks_checked_as_ever)
{
	easy_blocks(300);
	load_scan_wide(false);
	easy_blocks(300);
	load_scan_wide(true);
}
END_TEST

/* ---- parsers kept for the next text -------------------------------------- */

static void dump_node(struct buf *b, const struct node *n, int depth)
{
	size_t i;

	buf_addf(b, "%*s%d %s:%d:%d p%d o%d", depth * 2, "", (int)n->kind, n->file, n->line, n->col,
		 n->plain, n->one_line);
	if (n->chars)
		buf_addf(b, " tab %d:%d format %X %d:%d x%zu", n->chars->tab_line, n->chars->tab_col,
			 n->chars->format, n->chars->format_line, n->chars->format_col,
			 n->chars->nformat);
	if (n->kind == NODE_SCALAR) {
		buf_addf(b, " %zu [", n->len);
		buf_add(b, n->value, n->len);
		buf_adds(b, "]\n");
		return;
	}
	buf_addf(b, " n%zu\n", n->n);
	for (i = 0; i < n->n; i++) {
		if (n->kind == NODE_SEQ) {
			dump_node(b, n->items[i], depth + 1);
		} else {
			dump_node(b, n->pairs[i].key, depth + 1);
			dump_node(b, n->pairs[i].value, depth + 1);
		}
	}
}

/* Everything the loader said (root and diags), as text. */
static void dump_result(const struct node *root, struct buf *b)
{
	size_t i;

	buf_reset(b);
	for (i = 0; i < diags.n; i++)
		buf_addf(b, "%s:%d:%d:%d %s | %s | %zu\n", diags.items[i].file, diags.items[i].line,
			 diags.items[i].col, (int)diags.items[i].severity, diags.items[i].message,
			 diags.items[i].hint ? diags.items[i].hint : "-", diags.items[i].parent);
	if (root)
		dump_node(b, root, 0);
	else
		buf_adds(b, "(none)\n");
}

/* Everything load_text says of text, as text. */
static void dump_load(const char *text, struct buf *b)
{
	teardown();
	setup();
	dump_result(load(text), b);
}

/* A libyaml parser kept from one text and made new for the next (not
 * initialized again) parses as a new one: for every pair of texts, the
 * first loaded or refused (by libyaml or by the loader, at its start, in
 * its middle or after its end, with directives, over libyaml's 16 KiB
 * input buffer), the second gives the very trees and diagnostics it gives
 * with no parser kept. */
START_TEST(kept_parsers_parse_as_new)
{
	static const char *const texts[] = {
		"a: 1\n",
		"name: x\nlist:\n  - a\n  - {b: c, d: [e, f]}\n  - |\n    block \xC3\xA6\n",
		"%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\na: b\n...\n",
		"%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
		"a: 'unclosed\n",
		"a: [1, 2\n",
		"a: 1\na: 2\nb: {c: 1, c: 2}\n",
		"a: 1\n---\nb: 2\n",
		"a: x\ry\nb: \"\\t\"\n",
		"\xEF\xBB\xBF" "a: 1\r\nb: \"x\\ty\"\r\n",
		"a: &x 1\nb: *x\n",
		"- a\n",
		"",
		NULL,   /* a long text, made below */
		NULL,   /* a long list: a stack too big to keep */
	};
	size_t n = sizeof(texts) / sizeof(texts[0]), i, j;
	const char *t[sizeof(texts) / sizeof(texts[0])];
	struct buf fresh = BUF_INIT, kept = BUF_INIT, scratch = BUF_INIT, big = BUF_INIT;
	struct buf list = BUF_INIT;

	for (i = 0; i < 2000; i++)
		buf_addf(&big, "key%zu: \"value %zu \xC3\xB8\"\n", i, i);
	buf_adds(&big, "list:\n  - [x, y]\n");
	ck_assert_uint_gt(big.len, 2 * 16384);
	buf_adds(&list, "a:\n");
	for (i = 0; i < 8500; i++)   /* 8 bytes each on the stack: over 64 KiB */
		buf_adds(&list, "  - x\n");
	for (i = 0; i < n; i++)
		t[i] = texts[i] ? texts[i] : i == n - 2 ? big.ptr : list.ptr;
	load_drop_parsers();
	ck_assert_uint_eq(load_parser_spares(), 0);
	dump_load("a: 1\n", &scratch);
	ck_assert_uint_eq(load_parser_spares(), 1);   /* kept: the next text takes it */
	dump_load("a: 1\n", &scratch);
	ck_assert_uint_eq(load_parser_spares(), 1);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			/* The long texts (slow under sanitizers) after a few. */
			if (j >= n - 2 && i % 4 && i < n - 2)
				continue;
			load_drop_parsers();
			dump_load(t[j], &fresh);
			load_drop_parsers();
			dump_load("a: 1\n", &scratch);
			dump_load(t[i], &scratch);
			dump_load(t[j], &kept);
			ck_assert_msg(strcmp(fresh.ptr, kept.ptr) == 0, "after %zu, %zu:\n%s\nvs\n%s", i,
				      j, fresh.ptr, kept.ptr);
		}
	}
	load_drop_parsers();
	buf_release(&fresh);
	buf_release(&kept);
	buf_release(&scratch);
	buf_release(&big);
	buf_release(&list);
}
END_TEST

/* load_file reads a file into the buffer of the parser kept for it: files
 * of every size in turn (small after large, larger than the buffer kept,
 * too large for it to be kept, over the limit, missing) load as their
 * texts do. */
START_TEST(kept_buffers_read_files_as_ever)
{
	char *err = NULL, *dir = tempdir_create("loader", &err), *path, name[32];
	struct buf text = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
	static const size_t sizes[] = {5, 5000, 7, 70000, 3, 300000, 0, 9, 40000, 6};
	size_t k, i;
	int io;

	ck_assert_ptr_nonnull(dir);
	load_drop_parsers();
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		buf_reset(&text);
		for (i = 0; text.len < sizes[k]; i++)
			buf_addf(&text, "k%zu_%zu: \"v \xC3\xA6 %zu\"\n", k, i, i);
		if (k == 4)
			buf_adds(&text, "bad: 'unclosed\n");
		snprintf(name, sizeof(name), "f%zu.yaml", k);
		path = tree_path(dir, name);
		if (sizes[k])   /* 0: a file that is not there */
			make_file(dir, name, text.ptr);
		teardown();
		setup();
		if (sizes[k] && text.len <= LOAD_MAX_FILE) {
			dump_result(load_text(path, text.ptr, text.len, &arena, &diags), &want);
		} else {
			ck_assert_ptr_null(load_file(path, &arena, &diags, &io));
			ck_assert_int_eq(diags.errors, 1);
			ck_assert_ptr_nonnull(strstr(diags.items[0].message, sizes[k] ? "larger" : "cannot read"));
			free(path);
			continue;
		}
		teardown();
		setup();
		io = 0;
		dump_result(load_file(path, &arena, &diags, &io), &got);
		ck_assert_int_eq(io, 0);
		ck_assert_msg(strcmp(want.ptr, got.ptr) == 0, "%s:\n%.300s\nvs\n%.300s", name, want.ptr,
			      got.ptr);
		free(path);
	}
	load_drop_parsers();
	buf_release(&text);
	buf_release(&want);
	buf_release(&got);
	ck_assert_int_eq(tempdir_remove(dir), 0);
	free(dir);
}
END_TEST

/* one_line: said of a scalar on one line of the source, never of one that
 * runs over lines or may hold an escaped line break. */
START_TEST(one_line_said_only_when_known)
{
	static const struct {
		const char *text;
		bool one_line;
	} cases[] = {
		{"a: plain æ\n", true},
		{"a: 'single'\n", true},
		{"a: \"double\"\n", true},
		{"a: \"double\"\nb: \"x\\ty\"\n", false},   /* a backslash in the file */
		{"a: two\n  lines\n", false},
		{"a: two\n\n  lines\n", false},
		{"a: 'two\n\n  lines'\n", false},
		{"a: |\n  block\n", false},
		{"a: >-\n  folded\n", false},
		{"a: [x]\n", true},
		{"a: \"x\ry\"\n", false},   /* a lone CR: a line break to libyaml */
	};
	size_t i;
	struct node *root, *v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		teardown();
		setup();
		root = load(cases[i].text);
		ck_assert_msg(root != NULL, "%s", cases[i].text);
		v = node_get(root, "a");
		if (v->kind == NODE_SEQ)
			v = v->items[0];
		ck_assert_msg(v->one_line == cases[i].one_line, "%zu: %s", i, cases[i].text);
		ck_assert(node_get(root, "a") == NULL || root->pairs[0].key->one_line);
		if (v->one_line)
			ck_assert_ptr_null(memchr(v->value, '\n', v->len));
	}
}
END_TEST

START_TEST(accepts_four_byte_utf8)
{
	struct node *root = load("a: \xF0\x9F\x98\x80 x\n");

	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq(diags.n, 0);
}
END_TEST

START_TEST(refuses_nul_byte)
{
	refuse_n("a: 1\nb: x\0y\n", 12, "NUL byte in file", 2, 5);
}
END_TEST

START_TEST(refuses_two_documents)
{
	refuse("a: 1\n---\nb: 2\n", "more than one document", 2, 1);
}
END_TEST

START_TEST(accepts_explicit_document_markers)
{
	ck_assert_ptr_nonnull(load("---\na: 1\n...\n"));
	ck_assert_int_eq(diags.n, 0);
}
END_TEST

START_TEST(refuses_top_level_list)
{
	refuse("- a\n- b\n", "the top level must be a mapping, not a list", 1, 1);
}
END_TEST

START_TEST(refuses_top_level_scalar)
{
	refuse("Brasov Amt\n", "the top level must be a mapping, not a scalar", 1, 1);
}
END_TEST

START_TEST(refuses_empty_file)
{
	refuse_n("", 0, "the file is empty", 1, 1);
	teardown();
	setup();
	refuse("# only a comment\n\n", "the file is empty", 3, 1);
	teardown();
	setup();
	refuse("\xEF\xBB\xBF", "the file is empty", 1, 1);
}
END_TEST

START_TEST(refuses_non_scalar_keys)
{
	refuse("[a, b]: x\n", "a key must be a scalar, not a list", 1, 1);
	teardown();
	setup();
	refuse("? {a: 1}\n: x\n", "a key must be a scalar, not a mapping", 1, 3);
}
END_TEST

START_TEST(syntax_error_has_place_and_hint)
{
	const struct diag *g;

	ck_assert_ptr_null(load("name: a\n  bad: indent\n"));
	ck_assert_int_eq(diags.errors, 1);
	g = &diags.items[0];
	ck_assert_int_eq(g->line, 2);
	ck_assert_ptr_nonnull(g->hint);
}
END_TEST

START_TEST(unclosed_quote_notes_where_it_begins)
{
	/* The error stands at the quotation mark, not at the end of the file. */
	ck_assert_ptr_null(load("name: a\nsummary: \"Samarbejde om\n  energi\n"));
	ck_assert_diag(&diags, SEV_ERROR, "quotation mark \" is never closed", 2, 10);
	ck_assert_ptr_nonnull(strstr(diags.items[0].hint, "end the text with \""));
}
END_TEST

START_TEST(unclosed_bracket_notes_where_it_begins)
{
	/* Non-ASCII text before the end: libyaml's index counts characters. */
	ck_assert_ptr_null(load("å: æ\npartners: [brasov, shanghai\n"));
	ck_assert_diag(&diags, SEV_ERROR, "'[' is never closed", 2, 11);
	ck_assert_str_eq(diags.items[0].hint,
			 "close it on the same line: `partners: [brasov, shanghai]`");
}
END_TEST

START_TEST(tab_indentation_hint)
{
	ck_assert_ptr_null(load("costs:\n\t- label: a\n"));
	ck_assert_int_eq(diags.errors, 1);
	ck_assert_ptr_nonnull(strstr(diags.items[0].hint, "tabs"));
	ck_assert_int_eq(diags.items[0].line, 2);
}
END_TEST

/* ---- files --------------------------------------------------------------- */

START_TEST(load_file_missing_is_io_error)
{
	int io = 0;

	ck_assert_ptr_null(load_file("/nonexistent/briefgen/x.yaml", &arena, &diags, &io));
	ck_assert_int_eq(io, 1);
	ck_assert_diag(&diags, SEV_ERROR, "cannot read file", 0, 0);
}
END_TEST

START_TEST(load_file_too_big_is_not_io_error)
{
	char path[] = "/tmp/briefgen-test-XXXXXX";
	int fd = mkstemp(path), io = 0;
	char *chunk = calloc(1, 65536);
	int i;

	ck_assert_int_ge(fd, 0);
	memset(chunk, '#', 65535);
	chunk[65535] = '\n';
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(write(fd, chunk, 65536), 65536);
	close(fd);
	ck_assert_ptr_null(load_file(path, &arena, &diags, &io));
	ck_assert_int_eq(io, 0);
	ck_assert_diag(&diags, SEV_ERROR, "larger than the limit", 0, 0);
	ck_assert_str_eq(diags.items[0].file, path);
	unlink(path);
	free(chunk);
}
END_TEST

START_TEST(load_file_reads_and_places)
{
	char path[] = "/tmp/briefgen-test-XXXXXX";
	int fd = mkstemp(path), io = 0;
	struct node *root;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "a: 1\nb: 2\n", 10), 10);
	close(fd);
	root = load_file(path, &arena, &diags, &io);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(root->pairs[1].key->file, path);
	ck_assert_int_eq(root->pairs[1].key->line, 2);
	unlink(path);
}
END_TEST

START_TEST(read_file_refuses_over_max)
{
	size_t len;

	errno = 0;
	ck_assert_ptr_null(load_read_file("/nonexistent/briefgen", 10, &len));
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* ---- text hygiene: control characters at their places -------------------- */

/* Load text that must be refused; the error containing needle is at line:col. */
static void refuse_at(const char *text, const char *needle, int line, int col)
{
	ck_assert_ptr_null(load(text));
	ck_assert_diag(&diags, SEV_ERROR, needle, line, col);
}

START_TEST(escaped_controls_at_their_backslash)
{
	/* Double quotes: each escape that writes a control character, at its
	 * backslash, however the scalar runs over lines. */
	refuse_at("name: \"Bra\\0sov\"\n", "control character \\0 (NUL) in 'name'", 1, 11);
	ck_assert_str_eq(diags.items[0].hint, "write \"Brasov\": most programs cut the text at a NUL");
	teardown();
	setup();
	refuse_at("a: 1\norigin: \"æøå\\e[31mx\"\n", "\\x1b (escape) in 'origin'", 2, 13);
	teardown();
	setup();
	refuse_at("summary: \"første linje\n  anden \\N linje\"\n", "\\u0085 (next line, NEL)", 2, 9);
	teardown();
	setup();
	refuse_at("s: \"a \\\n  b\\x7f\"\n", "\\x7f (delete) in 's'", 2, 4);
	teardown();
	setup();
	refuse_at("s: \"\\u2028\"\n", "\\u2028 (line separator)", 1, 5);
	teardown();
	setup();
	/* In a key, the key is not named (it holds the character). */
	refuse_at("\"k\\ae\": 1\n", "control character \\x07 (bell) in a key", 1, 3);
	teardown();
	setup();
	/* Every one is reported, in order. */
	ck_assert_ptr_null(load("x: \"\\a\\b\"\ny: [\"\\v\"]\n"));
	ck_assert_int_eq(diags.errors, 3);
	ck_assert_diag(&diags, SEV_ERROR, "\\x08 (backspace) in 'x'", 1, 7);
	ck_assert_diag(&diags, SEV_ERROR, "\\x0b (vertical tab) in 'y'", 2, 6);
}
END_TEST

START_TEST(raw_controls_at_their_place)
{
	/* Written into the file: refused before libyaml, whose line count NEL
	 * would shift, at the character's own line and column. */
	refuse_at("a: 1\nb: Ringk\033[1m\n", "control character \\x1b (escape) in the file", 2, 9);
	teardown();
	setup();
	refuse_at("a: 1\nb: æ\302\205x\n", "\\u0085 (next line, NEL) in the file", 2, 5);
	teardown();
	setup();
	/* In a comment too: a YAML 1.1 reader ends the comment there. */
	refuse_at("# note\302\205evil: 1\na: 1\n", "\\u0085", 1, 7);
	teardown();
	setup();
	refuse_at("a: x\342\200\250y\n", "\\u2028 (line separator) in the file", 1, 5);
	teardown();
	setup();
	refuse_at("a: 1\nb: x\357\273\277\n", "byte order mark \\ufeff inside the file", 2, 5);
	teardown();
	setup();
	refuse_at("a: \177\n", "\\x7f (delete) in the file", 1, 4);
	teardown();
	setup();
	refuse_at("a: \302\233\n", "\\u009b", 1, 4);
	teardown();
	setup();
	/* Tab, CR of a CRLF and a BOM at the start are fine. */
	ck_assert_ptr_nonnull(load("\357\273\277a: x\ty\r\nb: 1\r\n"));
	ck_assert_int_eq(diags.n, 0);
}
END_TEST

START_TEST(no_message_holds_a_raw_control)
{
	size_t i;
	const char *p;

	ck_assert_ptr_null(load("\"\\e]0;x\\a\": \"\\e[2J\\0\"\nb: \033\n"));
	for (i = 0; i < diags.n; i++)
		for (p = diags.items[i].message; *p; p++)
			ck_assert_msg((unsigned char)*p >= 0x20 && *p != 0x7f, "raw control in '%s'",
				      diags.items[i].message);
}
END_TEST

/* What text_plain_run may skip: the characters text_decode finds in its
 * run are none that a check looks at, and the run ends where one starts. */
static void check_plain_run(const char *s, size_t len)
{
	size_t run = text_plain_run(s, len), i = 0;
	unsigned cp;

	/* Asserted only when wrong: this runs a million times. */
	if (run > len)
		ck_abort_msg("run of %zu in %zu bytes", run, len);
	while (i < run) {
		i += text_decode(s + i, len - i, &cp);
		if (text_is_control(cp) || cp == '\t' || text_is_format(cp))
			ck_abort_msg("U+%04X skipped before byte %zu", cp, i);
	}
	if (i != run)
		ck_abort_msg("run of %zu ends inside a character", run);
}

START_TEST(plain_run_skips_nothing_a_check_needs)
{
	/* Every lead byte with continuations that make each special case. */
	static const unsigned char tails[] = {0x00, 0x09, 0x0A, 0x20, 0x41, 0x7F, 0x80, 0x81, 0x82,
					      0x85, 0x8B, 0x8F, 0x90, 0x9C, 0x9F, 0xA0, 0xA6, 0xA8,
					      0xA9, 0xAE, 0xBB, 0xBF, 0xC0, 0xC3, 0xE2, 0xEF, 0xF0,
					      0xFF};
	size_t nt = sizeof(tails), a, b, c, k;
	unsigned char buf[24];
	uint64_t x = 0x9E3779B97F4A7C15u;

	for (a = 0; a < 256; a++)
		for (b = 0; b < nt; b++)
			for (c = 0; c < nt; c++) {
				/* Alone, at the end of a run of 8 plain bytes, and
				 * cut short. */
				buf[0] = (unsigned char)a, buf[1] = tails[b], buf[2] = tails[c];
				buf[3] = 0x80, buf[4] = 0x80;
				check_plain_run((const char *)buf, 5);
				check_plain_run((const char *)buf, 2);
				memcpy(buf, "abcdefgh", 8);
				buf[8] = (unsigned char)a, buf[9] = tails[b], buf[10] = tails[c];
				buf[11] = 0x80;
				check_plain_run((const char *)buf, 12);
				check_plain_run((const char *)buf, 10);
			}
	/* Random strings of the same bytes and of text. */
	for (k = 0; k < 200000; k++) {
		size_t len = 1 + k % sizeof(buf), i;
		for (i = 0; i < len; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			buf[i] = x % 3 ? tails[x % nt] : (unsigned char)(x >> 8);
			if (x % 5 == 0)
				buf[i] = (unsigned char)('a' + x % 26);
		}
		check_plain_run((const char *)buf, len);
	}
	/* What it is for: ordinary text goes by whole. */
	ck_assert_uint_eq(text_plain_run("Ærø, «Győr» ¿中文? 😀\nline", 36), 36);
	ck_assert_uint_eq(text_plain_run("abcdefghij\tk", 12), 10);
	ck_assert_uint_eq(text_plain_run("abcdefghijkl\342\200\213", 15), 12);
}
END_TEST

/* util/bytes.h: the printable bytes at the start of a word, for every
 * byte value at every place, after printable bytes and before any. */
START_TEST(printable_prefix_of_a_word)
{
	unsigned char w[8];
	unsigned at, b, after, want;

	for (at = 0; at < 8; at++)
		for (b = 0; b < 256; b++)
			for (after = 0; after < 256; after += 17) {
				memset(w, 'x', sizeof(w));
				w[at] = (unsigned char)b;
				if (at < 7)
					memset(w + at + 1, (int)after, 7 - at);
				want = b >= 0x20 && b < 0x7F ? at + 1 : at;
				while (want < 8 && want > at && w[want] >= 0x20 && w[want] < 0x7F)
					want++;
				if (bytes_printable_prefix(w) != want)
					ck_abort_msg("byte 0x%02x at %u, then 0x%02x: %u, not %u", b, at,
						     after, bytes_printable_prefix(w), want);
			}
}
END_TEST

/* Places after long lines of plain text and of other scripts, which the
 * loader steps over eight bytes at a time. */
START_TEST(places_after_long_lines)
{
	refuse_at("name: Bydgoszcz and Toruń, Kujawsko-Pomorskie\n"
		  "body: plain text that runs on for a while, æøå and then \033 here\n",
		  "control character \\x1b (escape) in the file", 2, 57);
	teardown();
	setup();
	refuse("name: Bydgoszcz and Toruń, Kujawsko-Pomorskie\n"
	       "city: Ringkøbing-Skjern Kommune, Vestjylland \xF8x\n",
	       "invalid UTF-8 byte 0xF8", 2, 46);
	teardown();
	setup();
	refuse_n("a: 1\nlocal_name: Сибирский федеральный округ\nb: abcdefghijklmno\0\n", 90,
		 "NUL byte in file", 3, 19);
	teardown();
	setup();
	refuse_at("summary: \"Plain words, æøå, more plain words \\e[1m here\"\n",
		  "\\x1b (escape) in 'summary'", 1, 46);
	teardown();
	setup();
	{
		struct node *root = load("name: Bydgoszcz and Toruń, Kujawsko-Pomorskie\n"
					 "origin: Сибирский федеральный округ and more\n"
					 "since: 2006\n");
		ck_assert_ptr_nonnull(root);
		ck_assert_int_eq(node_get(root, "origin")->col, 9);
		ck_assert_int_eq(node_get(root, "since")->line, 3);
		ck_assert_int_eq(node_get(root, "since")->col, 8);
		ck_assert_int_eq(root->pairs[1].key->line, 2);
	}
}
END_TEST

/* The places of tabs and format characters, kept for the decoder. */
START_TEST(format_and_tab_places_on_the_node)
{
	struct node *root = load("a: plain \342\200\256x\n"
				 "b: 'it''s \342\200\213'\n"
				 "c: \"x\\ty \\u202e\"\n"
				 "d: |\n  line one\n  two\t\342\201\240\n"
				 "e: \"one\n  \ttwo\\u200b\"\n"
				 "f: clean\n");
	const struct node_chars *c;

	ck_assert_ptr_nonnull(root);
	c = node_get(root, "a")->chars;
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->format, 0x202E);
	ck_assert_int_eq(c->format_line, 1);
	ck_assert_int_eq(c->format_col, 10);
	ck_assert_int_eq(c->tab_line, 0);
	c = node_get(root, "b")->chars;
	ck_assert_uint_eq(c->format, 0x200B);
	ck_assert_int_eq(c->format_col, 11);
	c = node_get(root, "c")->chars;
	ck_assert_int_eq(c->tab_line, 3);
	ck_assert_int_eq(c->tab_col, 6);
	ck_assert_int_eq(c->format_col, 10);
	c = node_get(root, "d")->chars;
	ck_assert_int_eq(c->tab_line, 6);
	ck_assert_int_eq(c->tab_col, 6);
	ck_assert_uint_eq(c->format, 0x2060);
	ck_assert_int_eq(c->format_line, 6);
	ck_assert_int_eq(c->format_col, 7);
	/* A tab that folding drops is not the value's. */
	c = node_get(root, "e")->chars;
	ck_assert_int_eq(c->tab_line, 0);
	ck_assert_int_eq(c->format_line, 8);
	ck_assert_int_eq(c->format_col, 7);
	ck_assert_ptr_null(node_get(root, "f")->chars);
}
END_TEST

/* In a file without a raw tab or format character only double-quoted
 * values are looked at, and only when the file has a backslash: what the
 * escapes write is still found there, in any scalar of the file. */
START_TEST(escapes_found_in_a_plain_file)
{
	struct node *root = load("a: plain\n"
				 "b: 'single \\t'\n"
				 "c: \"x\\ty \\u202e\"\n"
				 "d: |\n  block \\u200b\n"
				 "e: [\"\\u2060\", f]\n");
	const struct node_chars *c;

	ck_assert_ptr_nonnull(root);
	ck_assert_ptr_null(node_get(root, "a")->chars);
	ck_assert_ptr_null(node_get(root, "b")->chars);   /* a backslash and a t */
	ck_assert_ptr_null(node_get(root, "d")->chars);
	c = node_get(root, "c")->chars;
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->tab_line, 3);
	ck_assert_int_eq(c->tab_col, 6);
	ck_assert_uint_eq(c->format, 0x202E);
	ck_assert_int_eq(c->format_col, 10);
	c = node_get(root, "e")->items[0]->chars;
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->format, 0x2060);
	ck_assert_int_eq(c->format_line, 6);
	ck_assert_int_eq(c->format_col, 6);
	teardown();
	setup();
	/* An escaped control in a key and in a value of a plain file. */
	ck_assert_ptr_null(load("\"k\\x01\": 1\nv: [a, \"b\\x1b\"]\n"));
	ck_assert_int_eq(diags.errors, 2);
	ck_assert_diag(&diags, SEV_ERROR, "\\x01", 1, 3);
	ck_assert_diag(&diags, SEV_ERROR, "\\x1b (escape) in 'v'", 2, 10);
	teardown();
	setup();
	/* A raw tab, or a raw format character, alone in a file: found. */
	root = load("k: 'a\tb'\n");
	ck_assert_ptr_nonnull(root);
	ck_assert_ptr_nonnull(node_get(root, "k")->chars);
	ck_assert_int_eq(node_get(root, "k")->chars->tab_col, 6);
	teardown();
	setup();
	root = load("k: a\342\201\240b\n");
	ck_assert_ptr_nonnull(root);
	ck_assert_ptr_nonnull(node_get(root, "k")->chars);
	ck_assert_uint_eq(node_get(root, "k")->chars->format, 0x2060);
}
END_TEST

/* Collections inside collections, of every kind and size, keep their own
 * children (the loader collects them on one stack). */
START_TEST(nested_collections_keep_their_children)
{
	struct buf y = BUF_INIT;
	struct node *root, *a, *m, *list;
	size_t i, k;

	buf_adds(&y, "a: [1, {b: 2, c: [3, {d: 4}, [], {}]}, 5]\n"
		     "list:\n  - x: 1\n  - y: [2, 3]\n    w: {}\n  - z\n  - - 6\n    - {e: 7}\n");
	for (i = 0; i < 40; i++) {   /* a long list of maps of lists, and a map of 40 keys */
		buf_addf(&y, "k%zu:\n", i);
		for (k = 0; k <= i % 5; k++)
			buf_addf(&y, "  - {n: %zu, l: [%zu, x]}\n", k, i);
	}
	root = load(y.ptr);
	ck_assert_ptr_nonnull(root);
	ck_assert_uint_eq(root->n, 42);
	a = node_get(root, "a");
	ck_assert_uint_eq(a->n, 3);
	ck_assert_str_eq(a->items[0]->value, "1");
	ck_assert_str_eq(a->items[2]->value, "5");
	m = a->items[1];
	ck_assert_int_eq(m->kind, NODE_MAP);
	ck_assert_uint_eq(m->n, 2);
	ck_assert_str_eq(node_get(m, "b")->value, "2");
	ck_assert_uint_eq(node_get(m, "c")->n, 4);
	ck_assert_str_eq(node_get(node_get(m, "c")->items[1], "d")->value, "4");
	ck_assert_uint_eq(node_get(m, "c")->items[2]->n, 0);
	ck_assert_int_eq(node_get(m, "c")->items[3]->kind, NODE_MAP);
	list = node_get(root, "list");
	ck_assert_uint_eq(list->n, 4);
	ck_assert_str_eq(node_get(list->items[0], "x")->value, "1");
	ck_assert_str_eq(node_get(list->items[1], "y")->items[1]->value, "3");
	ck_assert_uint_eq(node_get(list->items[1], "w")->n, 0);
	ck_assert_str_eq(list->items[2]->value, "z");
	ck_assert_str_eq(node_get(list->items[3]->items[1], "e")->value, "7");
	for (i = 0; i < 40; i++) {
		char key[8];
		struct node *l;

		snprintf(key, sizeof(key), "k%zu", i);
		l = node_get(root, key);
		ck_assert_ptr_nonnull(l);
		ck_assert_uint_eq(l->n, i % 5 + 1);
		for (k = 0; k < l->n; k++) {
			ck_assert_uint_eq(strtoul(node_get(l->items[k], "n")->value, NULL, 10), k);
			ck_assert_uint_eq(strtoul(node_get(l->items[k], "l")->items[0]->value, NULL,
						  10), i);
		}
	}
	buf_release(&y);
}
END_TEST

START_TEST(read_file_refuses_a_fifo_at_once)
{
	char *err = NULL, *dir = tempdir_create("test", &err);
	char *path;
	size_t len;
	int io = 0;

	ck_assert_ptr_nonnull(dir);
	path = xasprintf("%s/p.yaml", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	/* Opening it for reading without O_NONBLOCK would wait for a writer. */
	alarm(5);
	errno = 0;
	ck_assert_ptr_null(load_read_file(path, 100, &len));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(load_file(path, &arena, &diags, &io));
	alarm(0);
	ck_assert_int_eq(io, 0);
	ck_assert_diag(&diags, SEV_ERROR, "not a regular file but a named pipe (FIFO); not read", 0, 0);
	ck_assert_ptr_null(load_file(dir, &arena, &diags, &io));
	ck_assert_diag(&diags, SEV_ERROR, "not a regular file but a folder", 0, 0);
	ck_assert_int_eq(tempdir_remove(dir), 0);
	free(dir);
	free(path);
}
END_TEST

START_TEST(file_in_root_refuses_links_out)
{
	char *err = NULL, *dir = tempdir_create("test", &err);
	char *root, *inside, *out, *link_out, *link_in, *sub;
	struct load_failure why;
	size_t len;
	char *text;
	int fd, io = 0;

	ck_assert_ptr_nonnull(dir);
	sub = xasprintf("%s/content", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	inside = xasprintf("%s/a.yaml", sub);
	out = xasprintf("%s/secret.yaml", dir);
	link_out = xasprintf("%s/out.yaml", sub);
	link_in = xasprintf("%s/in.yaml", sub);
	fd = open(inside, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_eq(write(fd, "a: 1\n", 5), 5);
	close(fd);
	fd = open(out, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_eq(write(fd, "secret: 1\n", 10), 10);
	close(fd);
	ck_assert_int_eq(symlink(out, link_out), 0);
	ck_assert_int_eq(symlink("a.yaml", link_in), 0);
	root = load_real_root(sub);
	ck_assert_ptr_nonnull(root);

	text = load_read_file_in(link_out, root, 100, &len, &why);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(why.kind, LOAD_OUTSIDE);
	ck_assert_ptr_null(load_file_in(link_out, root, &arena, &diags, &io));
	ck_assert_int_eq(io, 0);
	ck_assert_diag(&diags, SEV_ERROR,
		       "symbolic link to a file outside the content folder; not read", 0, 0);
	text = load_read_file_in(link_in, root, 100, &len, &why);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "a: 1\n");
	free(text);
	/* Without a root, only regularity is checked. */
	text = load_read_file_in(link_out, NULL, 100, &len, &why);
	ck_assert_ptr_nonnull(text);
	free(text);
	ck_assert(load_path_inside("/a/b", "/a"));
	ck_assert(load_path_inside("/a", "/a"));
	ck_assert(!load_path_inside("/ab", "/a"));
	ck_assert(load_path_inside("/x", "/"));

	ck_assert_int_eq(tempdir_remove(dir), 0);
	free(dir);
	free(root);
	free(sub);
	free(inside);
	free(out);
	free(link_out);
	free(link_in);
}
END_TEST

/* The folders on the way may be links too: what counts is where the file
 * really is (the quick way, open_inside, and the careful one agree). */
START_TEST(file_in_root_through_folder_links)
{
	char *err = NULL, *dir = tempdir_create("test", &err);
	char *sub, *root, *p;
	struct load_failure why;
	size_t len;
	char *text;

	ck_assert_ptr_nonnull(dir);
	sub = xasprintf("%s/content", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	make_dir(dir, "content/real");
	make_dir(dir, "elsewhere");
	make_file(dir, "content/real/a.yaml", "a: 1\n");
	make_file(dir, "elsewhere/a.yaml", "secret: 1\n");
	make_link(dir, "content/partners", "../elsewhere");
	make_link(dir, "content/in", "real");
	make_fifo(dir, "content/fifo.yaml");
	root = load_real_root(sub);
	ck_assert_ptr_nonnull(root);

	/* A plain file in a folder of the root: read, whole. */
	p = xasprintf("%s/content/real/a.yaml", dir);
	text = load_read_file_in(p, root, 100, &len, &why);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "a: 1\n");
	ck_assert_uint_eq(len, 5);
	free(text);
	/* Over the limit by its size, and to the byte. */
	ck_assert_ptr_null(load_read_file_in(p, root, 4, &len, &why));
	ck_assert_int_eq(why.kind, LOAD_TOO_BIG);
	text = load_read_file_in(p, root, 5, &len, &why);
	ck_assert_ptr_nonnull(text);
	free(text);
	free(p);
	/* Through a folder link that stays inside: read. */
	p = xasprintf("%s/content/in/a.yaml", dir);
	text = load_read_file_in(p, root, 100, &len, &why);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "a: 1\n");
	free(text);
	free(p);
	/* Through a folder link out of the root: refused, nothing read. */
	p = xasprintf("%s/content/partners/a.yaml", dir);
	ck_assert_ptr_null(load_read_file_in(p, root, 100, &len, &why));
	ck_assert_int_eq(why.kind, LOAD_OUTSIDE);
	free(p);
	/* A FIFO inside, and a file that is not there. */
	p = xasprintf("%s/content/fifo.yaml", dir);
	ck_assert_ptr_null(load_read_file_in(p, root, 100, &len, &why));
	ck_assert_int_eq(why.kind, LOAD_NOT_REGULAR);
	free(p);
	p = xasprintf("%s/content/real/none.yaml", dir);
	ck_assert_ptr_null(load_read_file_in(p, root, 100, &len, &why));
	ck_assert_int_eq(why.kind, LOAD_ERRNO);
	ck_assert_int_eq(why.err, ENOENT);
	free(p);

	ck_assert_int_eq(tempdir_remove(dir), 0);
	free(dir);
	free(root);
	free(sub);
}
END_TEST

/* The checks of file_at_folder_decides_as_file_in through the folder open
 * at dfd (q: its path), with the listing's word (regular) or without. */
static void check_file_at(int dfd, const char *q, const char *dir, const char *root, bool regular)
{
	struct load_failure why;
	size_t len;
	char *text, *p;

	p = xasprintf("%s/a.yaml", q);
	text = load_read_file_at(dfd, "a.yaml", regular, p, root, 100, &len, &why);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "a: 1\n");
	ck_assert_uint_eq(len, 5);
	free(text);
	ck_assert_ptr_null(load_read_file_at(dfd, "a.yaml", regular, p, root, 4, &len, &why));
	ck_assert_int_eq(why.kind, LOAD_TOO_BIG);
	free(p);
	p = xasprintf("%s/out.yaml", q);
	ck_assert_ptr_null(load_read_file_at(dfd, "out.yaml", regular, p, root, 100, &len, &why));
	ck_assert_int_eq(why.kind, LOAD_OUTSIDE);
	free(p);
	p = xasprintf("%s/in.yaml", q);
	text = load_read_file_at(dfd, "in.yaml", regular, p, root, 100, &len, &why);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text, "a: 1\n");
	free(text);
	free(p);
	p = xasprintf("%s/fifo.yaml", q);
	ck_assert_ptr_null(load_read_file_at(dfd, "fifo.yaml", regular, p, root, 100, &len, &why));
	ck_assert_int_eq(why.kind, LOAD_NOT_REGULAR);
	free(p);
	p = xasprintf("%s/none.yaml", q);
	ck_assert_ptr_null(load_read_file_at(dfd, "none.yaml", regular, p, root, 100, &len, &why));
	ck_assert_int_eq(why.kind, LOAD_ERRNO);
	ck_assert_int_eq(why.err, ENOENT);
	free(p);
	/* The name is only ever a name in the folder: a path in it is not
	 * looked up from dirfd (this one would lead out). */
	p = xasprintf("%s/elsewhere/s.yaml", dir);
	ck_assert_ptr_null(load_read_file_at(dfd, "sub/../../../elsewhere/s.yaml", regular, p,
					     root, 100, &len, &why));
	ck_assert_int_eq(why.kind, LOAD_OUTSIDE);
	free(p);
	p = xasprintf("%s/sub", q);
	ck_assert_ptr_null(load_read_file_at(dfd, "sub", regular, p, root, 100, &len, &why));
	ck_assert_int_eq(why.kind, LOAD_NOT_REGULAR);
	ck_assert(S_ISDIR(why.mode));
	free(p);
}

/* The quick way through a folder opened once (load_folder_open,
 * load_read_file_at) decides as the careful way does: a plain file is
 * read, a link out, a FIFO, a missing file and a name with a '/' go the
 * careful way and are refused or read as it says, with or without the
 * listing's word that a name is a regular file; a folder that is a link
 * out of the root is not opened at all. */
START_TEST(file_at_folder_decides_as_file_in)
{
	char *err = NULL, *dir = tempdir_create("test", &err);
	char *sub, *root, *p, *q;
	int dfd;

	ck_assert_ptr_nonnull(dir);
	sub = xasprintf("%s/content", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	make_dir(dir, "content/partners");
	make_dir(dir, "elsewhere");
	make_file(dir, "content/partners/a.yaml", "a: 1\n");
	make_file(dir, "elsewhere/s.yaml", "secret: 1\n");
	make_link(dir, "content/partners/out.yaml", "../../elsewhere/s.yaml");
	make_link(dir, "content/partners/in.yaml", "a.yaml");
	make_fifo(dir, "content/partners/fifo.yaml");
	make_link(dir, "content/away", "../elsewhere");
	make_dir(dir, "content/partners/sub");
	root = load_real_root(sub);
	ck_assert_ptr_nonnull(root);

	/* A folder linking out of the root, and no root: no quick way. */
	p = xasprintf("%s/content/away", dir);
	ck_assert_int_eq(load_folder_open(p, root), -1);
	ck_assert_int_eq(load_folder_open(p, NULL), -1);
	free(p);
	q = xasprintf("%s/content/partners", dir);
	dfd = load_folder_open(q, root);
	ck_assert_int_ge(dfd, 0);

	check_file_at(dfd, q, dir, root, false);
	/* A listing that says "regular file" of each of them (d_type DT_REG:
	 * as if each was swapped in after readdir) changes nothing: the link
	 * out, the FIFO (opened without waiting), the folder are refused
	 * with the same reasons, the link inside is read. */
	check_file_at(dfd, q, dir, root, true);
	close(dfd);

	ck_assert_int_eq(tempdir_remove(dir), 0);
	free(dir);
	free(root);
	free(sub);
	free(q);
}
END_TEST

static Suite *loader_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *t = tcase_create("positions");
	TCase *r = tcase_create("refusals");
	TCase *f = tcase_create("files");
	TCase *h = tcase_create("hygiene");
	/* Many long texts: time enough under the sanitizers on a busy machine. */
	TCase *l = tcase_create("long");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, positions_are_one_based);
	tcase_add_test(t, columns_count_characters);
	tcase_add_test(t, bom_is_accepted);
	tcase_add_test(t, crlf_is_accepted);
	tcase_add_test(t, bom_and_crlf_positions);
	tcase_add_test(t, lone_cr_positions);
	tcase_add_test(t, scalars_stay_text);
	tcase_add_test(t, node_helpers);
	tcase_add_test(t, depth_limit_is_exact);
	tcase_add_test(t, size_limit_is_exact);
	tcase_add_test(t, briefing_limit_grows_with_partner_files);
	tcase_add_test(t, text_limit_is_exact);
	tcase_add_test(t, accepts_four_byte_utf8);
	tcase_add_test(t, accepts_explicit_document_markers);
	suite_add_tcase(s, t);

	tcase_add_checked_fixture(r, setup, teardown);
	tcase_add_test(r, refuses_duplicate_key_with_note);
	tcase_add_test(r, reports_every_duplicate);
	tcase_add_test(r, long_maps_find_every_key);
	tcase_add_test(r, refuses_nested_duplicate);
	tcase_add_test(r, refuses_anchor);
	tcase_add_test(r, refuses_anchor_on_collections);
	tcase_add_test(r, refuses_alias);
	tcase_add_test(r, refuses_alias_bomb_at_first_anchor);
	tcase_add_test(r, refuses_tags);
	tcase_add_test(r, refuses_deep_nesting);
	tcase_add_test(r, refuses_very_deep_nesting_quickly);
	tcase_add_test(r, refuses_invalid_utf8);
	tcase_add_test(r, refuses_bad_utf8_forms);
	tcase_add_test(r, events_given_back_in_every_form);
	tcase_add_test(r, two_byte_letters_checked_as_ever);
	tcase_add_test(r, easy_blocks_checked_as_ever);
	tcase_add_test(r, one_line_said_only_when_known);
	tcase_add_test(r, duplicates_found_whatever_the_first_byte);
	tcase_add_test(r, refuses_nul_byte);
	tcase_add_test(r, refuses_two_documents);
	tcase_add_test(r, refuses_top_level_list);
	tcase_add_test(r, refuses_top_level_scalar);
	tcase_add_test(r, refuses_empty_file);
	tcase_add_test(r, refuses_non_scalar_keys);
	tcase_add_test(r, syntax_error_has_place_and_hint);
	tcase_add_test(r, unclosed_quote_notes_where_it_begins);
	tcase_add_test(r, unclosed_bracket_notes_where_it_begins);
	tcase_add_test(r, tab_indentation_hint);
	suite_add_tcase(s, r);

	tcase_add_checked_fixture(f, setup, teardown);
	tcase_add_test(f, load_file_missing_is_io_error);
	tcase_add_test(f, load_file_too_big_is_not_io_error);
	tcase_add_test(f, briefing_file_limit_counts_partner_files);
	tcase_add_test(f, load_file_reads_and_places);
	tcase_add_test(f, read_file_refuses_over_max);
	tcase_add_test(f, read_file_refuses_a_fifo_at_once);
	tcase_add_test(f, file_in_root_refuses_links_out);
	tcase_add_test(f, file_in_root_through_folder_links);
	tcase_add_test(f, file_at_folder_decides_as_file_in);
	suite_add_tcase(s, f);

	tcase_add_checked_fixture(h, setup, teardown);
	tcase_add_test(h, escaped_controls_at_their_backslash);
	tcase_add_test(h, raw_controls_at_their_place);
	tcase_add_test(h, no_message_holds_a_raw_control);
	tcase_add_test(h, format_and_tab_places_on_the_node);
	tcase_add_test(h, escapes_found_in_a_plain_file);
	tcase_add_test(h, nested_collections_keep_their_children);
	tcase_add_test(h, plain_run_skips_nothing_a_check_needs);
	tcase_add_test(h, printable_prefix_of_a_word);
	tcase_add_test(h, places_after_long_lines);
	suite_add_tcase(s, h);
	tcase_add_checked_fixture(l, setup, teardown);
	tcase_set_timeout(l, 60);
	tcase_add_test(l, wide_easy_blocks_checked_as_ever);
	tcase_add_test(l, kept_parsers_parse_as_new);
	tcase_add_test(l, kept_buffers_read_files_as_ever);
	suite_add_tcase(s, l);
	return s;
}

int main(void)
{
	return run_suite(loader_suite());
}

/* briefgen dump: intermediate forms as text, so tests can be diffs. */
#include <stdio.h>
#include <string.h>

#include "../load/loader.h"
#include "../model/budget.h"
#include "../model/content.h"
#include "../validate/schema.h"
#include "cli.h"

static void dump_scalar(const struct node *n)
{
	const char *p;

	putchar('"');
	for (p = n->value; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else
			putchar(*p);
	}
	printf("\"%s", n->plain ? " plain" : "");
}

static void dump_node(const struct node *n, int depth)
{
	size_t i;

	printf("%*s%d:%d ", depth * 2, "", n->line, n->col);
	switch (n->kind) {
	case NODE_SCALAR:
		fputs("scalar ", stdout);
		dump_scalar(n);
		putchar('\n');
		break;
	case NODE_SEQ:
		printf("list (%zu)\n", n->n);
		for (i = 0; i < n->n; i++)
			dump_node(n->items[i], depth + 1);
		break;
	case NODE_MAP:
		printf("map (%zu)\n", n->n);
		for (i = 0; i < n->n; i++) {
			printf("%*s%d:%d key ", (depth + 1) * 2, "", n->pairs[i].key->line,
			       n->pairs[i].key->col);
			dump_scalar(n->pairs[i].key);
			putchar('\n');
			dump_node(n->pairs[i].value, depth + 2);
		}
		break;
	}
}

static int dump_tree(const char *path)
{
	struct arena a;
	struct diags d;
	struct node *root;
	int io = 0, status;

	arena_init(&a);
	diags_init(&d);
	root = load_file_limit(path, NULL, load_limit_for(path), &a, &d, &io);
	if (root)
		dump_node(root, 0);
	diags_sort(&d);
	diags_print(&d, stderr, true);
	status = io ? EXIT_TROUBLE : root ? 0 : EXIT_INVALID;
	diags_release(&d);
	arena_release(&a);
	return status;
}

static void print_money(const char *what, const struct money *m)
{
	printf("%-22s %s%lld%s\n", what, m->lower_bound ? ">= " : "", m->amount,
	       m->any ? "" : " (no lines)");
}

static int dump_budget(const char *dir, bool include_internal)
{
	struct content c;
	struct diags d;
	struct budget b;
	size_t i, j;
	int status = 0;

	diags_init(&d);
	content_load(&c, dir, NULL, &d);
	if (c.io_error || diags_failed(&d)) {
		diags_sort(&d);
		diags_print(&d, stderr, true);
		status = c.io_error ? EXIT_TROUBLE : EXIT_INVALID;
		goto out;
	}
	budget_compute(&b, &c, include_internal);
	printf("budget year %d\n", b.year);
	for (i = 0; i < b.npartners; i++) {
		const struct budget_partner *bp = &b.partners[i];
		printf("partner %s\n", bp->partner->slug);
		for (j = 0; j < bp->n; j++) {
			const struct budget_line *l = &bp->lines[j];
			const struct cost *k = l->cost;
			printf("  %-4s %-8s %-6s ", l->in_year ? "year" : "-",
			       schema_kind_values[k->kind], schema_recurrence_values[k->recurrence]);
			if (k->amount.stated)
				printf("%10lld", k->amount.value);
			else
				printf("%10s", "null");
			printf("  %s%s%s%s%s\n", k->label, l->shared_in ? " (shared from " : "",
			       l->shared_in ? l->owner->slug : "", l->shared_in ? ")" : "",
			       l->ended ? " (ends)" : "");
		}
		print_money("  subtotal", &bp->year_total);
	}
	for (i = 0; i < b.npot; i++)
		printf("pot  %-4s %10lld  %s\n", b.pot[i].in_year ? "year" : "-",
		       b.pot[i].cost->amount.value, b.pot[i].cost->label);
	print_money("partners once", &b.partners_once);
	print_money("partners yearly", &b.partners_yearly);
	print_money("partners total", &b.partners_total);
	print_money("new partnerships", &b.pot_total);
	print_money("total", &b.total);
	if (b.ended_total.any)   /* partnerships the recommendation ends */
		print_money("ended, not in totals", &b.ended_total);
	if (b.has_alternatives) {
		printf("scenario: %s\n", b.alt_label ? b.alt_label : "(mixed)");
		print_money("  partners total", &b.alt_partners_total);
		print_money("  total", &b.alt_total);
	}
	budget_release(&b);
out:
	content_release(&c);
	diags_release(&d);
	return status;
}

int cmd_dump(int argc, char **argv)
{
	const struct command *self = cli_find("dump");
	const char *dir = NULL;
	bool internal = false;
	int i;

	if (cli_wants_help(argc, argv, self))
		return 0;
	if (argc < 2)
		return cli_usage_error(self, "say what to dump");
	if (!strcmp(argv[1], "tree")) {
		if (argc != 3 || (argv[2][0] == '-' && argv[2][1]))
			return cli_usage_error(self, "dump tree takes one file");
		return dump_tree(argv[2]);
	}
	if (strcmp(argv[1], "budget"))
		return cli_usage_error(self, "unknown form '%s' (tree or budget)", argv[1]);
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--include-internal"))
			internal = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error(self, "unknown option '%s'", argv[i]);
		else if (dir)
			return cli_usage_error(self, "more than one folder given");
		else
			dir = argv[i];
	}
	return dump_budget(dir ? dir : "content", internal);
}

#include "node.h"
#include "../util/intl.h"

#include <stdarg.h>
#include <string.h>

struct node *node_get(const struct node *map, const char *key)
{
	size_t i;

	if (!map || map->kind != NODE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key->value, key) == 0)
			return map->pairs[i].value;
	return NULL;
}

bool node_is_null(const struct node *n)
{
	if (!n)
		return true;
	if (n->kind != NODE_SCALAR || !n->plain)
		return false;
	return n->len == 0 || strcmp(n->value, "~") == 0 || strcmp(n->value, "null") == 0 ||
	       strcmp(n->value, "Null") == 0 || strcmp(n->value, "NULL") == 0;
}

const char *node_kind_name(enum node_kind kind)
{
	switch (kind) {
	/* TRANSLATORS: the three kinds of YAML value, put into messages such
	 * as "'amount' must be a number, not a list". */
	case NODE_SCALAR: return _("a scalar");
	case NODE_SEQ: return _("a list");
	case NODE_MAP: return _("a mapping");
	}
	return "?";
}

size_t diags_vat(struct diags *d, enum severity sev, const struct node *at, const char *hint,
		 const char *fmt, va_list ap)
{
	return diags_vadd(d, sev, at ? at->file : NULL, at ? at->line : 0, at ? at->col : 0, hint,
			  0, fmt, ap);
}

size_t diags_at(struct diags *d, enum severity sev, const struct node *at, const char *hint,
		const char *fmt, ...)
{
	va_list ap;
	size_t seq;

	va_start(ap, fmt);
	seq = diags_vat(d, sev, at, hint, fmt, ap);
	va_end(ap);
	return seq;
}

void diags_note(struct diags *d, size_t seq, const struct node *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vadd(d, SEV_NOTE, at ? at->file : NULL, at ? at->line : 0, at ? at->col : 0, NULL,
		   seq + 1, fmt, ap);
	va_end(ap);
}

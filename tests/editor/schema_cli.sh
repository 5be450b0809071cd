#!/bin/sh
# schema_cli.sh: `briefgen schema [--format markdown|json-schema] [KIND]`.
# Without --format (or with markdown) it prints the Markdown reference
# (render/schema-doc compares that with docs/format.md); json-schema prints
# each file kind's schema, the same on every run, with every key of the
# tables; a wrong format or kind is one line on stderr and status 2.
set -u
LC_ALL=C
export LC_ALL
: "${BRIEFGEN:?BRIEFGEN must name the briefgen binary}"
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
T=$(mktemp -d "${TMPDIR:-/tmp}/briefgen-schema.XXXXXX") || fail "mktemp"
trap 'rm -rf "$T"' EXIT

"$BRIEFGEN" schema >"$T/md" || fail "schema"
"$BRIEFGEN" schema --format markdown >"$T/md2" || fail "schema --format markdown"
cmp -s "$T/md" "$T/md2" || fail "--format markdown differs from the default"

for k in briefing partner; do
	"$BRIEFGEN" schema --format json-schema $k >"$T/$k" || fail "schema --format json-schema $k"
	"$BRIEFGEN" schema --format=json-schema $k >"$T/$k.2" || fail "schema --format=json-schema $k"
	cmp -s "$T/$k" "$T/$k.2" || fail "the $k schema differs between runs"
	grep -q '"$schema": "http://json-schema.org/draft-07/schema#"' "$T/$k" || fail "$k: not draft-07"
done
# Every key of the Markdown reference is a property, with a description.
keys=$(sed -n 's/^| `\([a-z_]*\)` |.*/\1/p' "$T/md" | sort -u)
for key in $keys; do
	cat "$T/briefing" "$T/partner" | grep -q "^ *\"$key\": {" || fail "key '$key' is not in the JSON Schemas"
done
grep -q '"pattern": "^\[a-z0-9-\]+\$"' "$T/briefing" || fail "no slug pattern in the briefing schema"
grep -q '"enum": \["continue", "terminate", "explore"\]' "$T/partner" || fail "no status enum"
grep -q '"type": \["integer", "null"\]' "$T/partner" || fail "amounts are not integer or null"
[ "$(grep -c '"additionalProperties": false' "$T/partner")" -ge 4 ] || fail "records allow other keys"

refused() {
	"$BRIEFGEN" schema "$@" >"$T/out" 2>"$T/err"
	st=$?
	[ "$st" = 2 ] || fail "schema $*: status $st, not 2"
	[ "$(wc -l <"$T/err")" = 1 ] || { cat "$T/err"; fail "schema $*: not one line"; }
	[ ! -s "$T/out" ] || fail "schema $*: printed on stdout"
}
refused --format xml briefing
refused --format json-schema meeting
refused --format json-schema
echo "ok: schema prints Markdown and JSON Schemas, and refuses in one line"

#!/bin/sh
# rules.sh: every diagnostic format in src/ has a rule id, ids are unique
# and kebab-case, and briefgen(5) documents exactly the ids there are.
#
# The formats are found as po/briefgen.pot finds messages: xgettext with the
# keywords of build-aux/update-pot, less the ones that are not diagnostics
# (NOT_DIAGNOSTICS below: a new keyword there is taken for a diagnostic
# until it is listed).  Fails naming each format without a rule; a rule's
# format no longer in src/ is only reported.
#
# Environment: SRCDIR, RULES_TABLE (the rules-table program), XGETTEXT.
set -u
: "${SRCDIR:?}" "${RULES_TABLE:?}"
XGETTEXT=${XGETTEXT:-xgettext}
NOT_DIAGNOSTICS=" _ N_ ngettext compiler_error warn cli_usage_error intl_say "

tmp=$(mktemp -d "${TMPDIR:-/tmp}/briefgen-rules.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
cd "$SRCDIR" || exit 2
bad=0

# The diagnostic keywords of update-pot, as xgettext options.
for k in $(grep -o -e '--keyword=[A-Za-z_0-9]*\(:[0-9,]*\)\{0,1\}' build-aux/update-pot | sed 's/^--keyword=//'); do
	case $NOT_DIAGNOSTICS in
	*" ${k%%:*} "*) ;;
	*) echo "--keyword=$k" ;;
	esac
done >"$tmp/keywords"
[ -s "$tmp/keywords" ] || { echo "FAIL: no diagnostic keywords found in build-aux/update-pot"; exit 1; }
# shellcheck disable=SC2046
"$XGETTEXT" --from-code=UTF-8 --language=C -k $(cat "$tmp/keywords") --no-wrap \
	-o "$tmp/diags.pot" $(find src -name '*.c' | LC_ALL=C sort) || exit 2
# Each msgid on one line (a msgid with \n is split over several).
awk '
/^msgid / { id = substr($0, 7); inid = 1; next }
/^"/ && inid { id = substr(id, 1, length(id) - 1) substr($0, 2); next }
{ if (inid && id != "\"\"") print substr(id, 2, length(id) - 2); inid = 0 }
END { if (inid && id != "\"\"") print substr(id, 2, length(id) - 2) }
' "$tmp/diags.pot" | LC_ALL=C sort -u >"$tmp/source"

"$RULES_TABLE" >"$tmp/table" || exit 2
sed -n 's/^F\t//p' "$tmp/table" | LC_ALL=C sort -u >"$tmp/mapped"
sed -n 's/^R\t//p' "$tmp/table" >"$tmp/ids"

LC_ALL=C comm -23 "$tmp/source" "$tmp/mapped" >"$tmp/missing"
if [ -s "$tmp/missing" ]; then
	echo "FAIL: diagnostic formats with no rule (add each to diag_rule_formats in src/diag/rules.c):"
	sed 's/^/    "/; s/$/"/' "$tmp/missing"
	bad=1
fi
LC_ALL=C comm -13 "$tmp/source" "$tmp/mapped" >"$tmp/unused"
if [ -s "$tmp/unused" ]; then
	echo "note: formats in src/diag/rules.c that src/ does not pass as a format (today):"
	sed 's/^/    "/; s/$/"/' "$tmp/unused"
fi

dups=$(sort "$tmp/ids" | uniq -d)
if [ -n "$dups" ]; then
	echo "FAIL: rule ids given twice: $dups"
	bad=1
fi
if grep -v -E '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' "$tmp/ids" >"$tmp/badids"; then
	echo "FAIL: rule ids that are not kebab-case:"
	sed 's/^/    /' "$tmp/badids"
	bad=1
fi

# briefgen(5), RULES: one ".It Cm id" per rule.
sed -n '/^\.Sh RULES/,/^\.Sh /p' man/briefgen.5 | sed -n 's/^\.It Cm \([^ ]*\).*/\1/p' |
	LC_ALL=C sort >"$tmp/documented"
LC_ALL=C sort -u "$tmp/ids" >"$tmp/ids.sorted"
LC_ALL=C comm -23 "$tmp/ids.sorted" "$tmp/documented" >"$tmp/undoc"
if [ -s "$tmp/undoc" ]; then
	echo "FAIL: rule ids not documented in man/briefgen.5, RULES (.It Cm ID):"
	sed 's/^/    /' "$tmp/undoc"
	bad=1
fi
LC_ALL=C comm -13 "$tmp/ids.sorted" "$tmp/documented" >"$tmp/stale"
if [ -s "$tmp/stale" ]; then
	echo "FAIL: man/briefgen.5, RULES documents ids that src/diag/rules.c does not have:"
	sed 's/^/    /' "$tmp/stale"
	bad=1
fi
[ $bad = 0 ] && echo "ok: $(wc -l <"$tmp/source") diagnostic formats, $(wc -l <"$tmp/ids") rules, all documented"
exit $bad

#!/bin/sh
# po-complete.sh: po/da.po translates every message, and po/briefgen.pot is
# current.  A message added to src/ without running the `pot` target, or
# left untranslated or fuzzy in da.po, would reach a Danish secretary in
# English: that fails here, naming the messages.
#
# Environment: SRCDIR (the source tree).
set -u
: "${SRCDIR:?set SRCDIR to the source tree}"
cd "$SRCDIR" || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/briefgen-po.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
failed=0

# 1. da.po: no untranslated, no fuzzy message; msgfmt --check passes.
if ! msgfmt --check --statistics -o "$tmp/da.mo" po/da.po 2>"$tmp/stats"; then
	echo "FAIL po/da.po: msgfmt --check fails:"
	cat "$tmp/stats"
	failed=1
fi
if grep -Eq 'untranslated|fuzzy' "$tmp/stats"; then
	echo "FAIL po/da.po: $(cat "$tmp/stats")"
	msgattrib --untranslated --no-wrap po/da.po | grep '^msgid ' | sed 1d | sed 's/^/  untranslated: /'
	msgattrib --only-fuzzy --no-wrap po/da.po | grep '^msgid ' | sed 1d | sed 's/^/  fuzzy: /'
	failed=1
fi

# 2. The pot is current: extract again into a copy of the tree and compare
# the msgids (not the line numbers or dates).
mkdir -p "$tmp/tree/po"
cp -R build-aux src "$tmp/tree/"
cp po/*.po "$tmp/tree/po/"
msgids() {
	msgattrib --no-wrap --no-location --no-obsolete "$1" |
		awk '/^msgid /{id=$0} /^msgid_plural /{id=id" "$0} /^msgstr/{if (id != "msgid \"\"") print id; id=""}' |
		LC_ALL=C sort -u
}
if ! (cd "$tmp/tree" && sh build-aux/update-pot xgettext . >/dev/null 2>"$tmp/xgettext.err"); then
	echo "FAIL xgettext:"
	cat "$tmp/xgettext.err"
	exit 1
fi
msgids po/briefgen.pot >"$tmp/committed"
msgids "$tmp/tree/po/briefgen.pot" >"$tmp/extracted"
missing=$(LC_ALL=C comm -13 "$tmp/committed" "$tmp/extracted")
stale=$(LC_ALL=C comm -23 "$tmp/committed" "$tmp/extracted")
if [ -n "$missing" ]; then
	echo "FAIL po/briefgen.pot lacks messages that src/ has (run the pot target, then translate them in po/da.po):"
	echo "$missing" | sed 's/^/  /'
	failed=1
fi
if [ -n "$stale" ]; then
	echo "FAIL po/briefgen.pot has messages that src/ no longer has (run the pot target):"
	echo "$stale" | sed 's/^/  /'
	failed=1
fi
[ $failed = 0 ] && echo "po/da.po complete, po/briefgen.pot current"
exit $failed

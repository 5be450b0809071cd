#!/bin/sh
# Publishing to a folder on another filesystem than the working folder: the
# staging folder is made beside PATH, so the final rename never crosses
# filesystems (which would fail with EXDEV).
. "$SRCDIR/tests/write/lib.sh"
B=$BRIEFGEN
base=${BRIEFGEN_OTHER_FS:-/dev/shm}
[ -d "$base" ] && [ -w "$base" ] || skip "$base is not a writable folder"
work=${BUILDDIR:-$PWD}
[ "$(stat -c %d "$base")" != "$(stat -c %d "$work")" ] ||
	skip "$base is on the same filesystem as $work"
T=$(mktemp -d "$base/briefgen-test.XXXXXX") || fail "mktemp in $base"
trap 'rm -rf "$T"' EXIT
cd "$work" || fail "cd $work"
$B publish "$CONTENT" --to "$T/site" 2>"$T/err" || { cat "$T/err"; fail "first publish"; }
$B publish --lang en "$CONTENT" --to "$T/site" 2>"$T/err" || { cat "$T/err"; fail "second publish"; }
sums_ok "$T/site"
sums_ok "$T/.site.previous"
$B verify "$T/site" >/dev/null || fail "verify"
$B publish --rollback --to "$T/site" 2>/dev/null || fail "rollback"
grep -q 'lang="da"' "$T/site/index.html" || fail "rollback result"
no_leftovers "$T" site
echo "published from $work to $base (another filesystem): ok"

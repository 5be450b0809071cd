#!/bin/sh
# briefgen publish / verify / --rollback from the command line, on the
# bundled content: what is written, what is kept, what is refused.
. "$SRCDIR/tests/write/lib.sh"
scratch
make_versions
B=$BRIEFGEN
S=$T/site

# First publish: a new folder, no previous version.
$B publish "$CONTENT" --to "$S" 2>"$T/err" || { cat "$T/err"; fail "first publish"; }
n=$(grep -c . "$S/SHA256SUMS")
grep -q "^briefgen: published $CONTENT to $S ($n files)\$" "$T/err" ||
	{ cat "$T/err"; fail "first publish message"; }
[ ! -e "$T/.site.previous" ] || fail "a previous version out of nothing"
sums_ok "$S"
for f in index.html budget.html print.html briefing.md partners/brasov.html assets/style.css \
	.briefgen-files; do
	grep -q "  $f\$" "$S/SHA256SUMS" || fail "SHA256SUMS does not list $f"
done
! grep -q '  SHA256SUMS$' "$S/SHA256SUMS" || fail "SHA256SUMS lists itself"
$B verify "$S" >"$T/out" || fail "verify of a fresh publish"
[ "$(tail -n 1 "$T/out")" = "$S: $n files verified" ] || { cat "$T/out"; fail "verify output"; }
grep -Eq "^$S: live now: built [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}, $n files, SHA256SUMS [0-9a-f]{12}\$" "$T/out" ||
	{ cat "$T/out"; fail "verify does not describe the live version"; }
snap "$S" >"$T/v1"

# Second publish, another version: the first is kept for --rollback.
umask 077
$B publish --lang en "$CONTENT3" --to "$S/" 2>"$T/err" || { cat "$T/err"; fail "second publish"; }
umask 022
grep -q "previous version kept for --rollback" "$T/err" || fail "second publish message"
grep -q '(rettet)' "$S/index.html" || fail "second version not in place"
snap "$T/.site.previous" >"$T/prev"
cmp -s "$T/v1" "$T/prev" || fail "previous version differs from the first publish"
snap "$S" >"$T/v2"
no_leftovers "$T" site
# Readable by colleagues whatever the umask.
bad=$(find "$S" \( -type f ! -perm 0644 \) -o \( -type d ! -perm 0755 \))
[ -z "$bad" ] || fail "wrong modes under umask 077: $bad"

# Rollback restores the first version byte for byte; twice, the second.
$B publish --rollback --to "$S" 2>"$T/err" || { cat "$T/err"; fail "rollback"; }
snap "$S" >"$T/now"
cmp -s "$T/v1" "$T/now" || fail "rollback did not restore the first version"
$B publish --rollback --to "$S" 2>"$T/err" || fail "second rollback"
snap "$S" >"$T/now"
cmp -s "$T/v2" "$T/now" || fail "rollback twice is not the newer version"
$B publish --rollback --to "$T/nothing" 2>"$T/err" && fail "rollback with no previous version"
grep -q "no previous version" "$T/err" || fail "rollback message"

# verify names every missing, changed and extra file, and exits 1.
cp -R "$S" "$T/tampered"
echo x >>"$T/tampered/index.html"
rm "$T/tampered/budget.html"
echo new >"$T/tampered/partners/new.html"
$B verify "$T/tampered" >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || fail "verify of a tampered folder should exit 1"
printf '%s\n' "$T/tampered/budget.html: missing" "$T/tampered/index.html: changed" \
	"$T/tampered/partners/new.html: extra" >"$T/want"
grep -v -e ': live now: ' -e ': kept for --rollback: ' "$T/out" | cmp -s - "$T/want" ||
	{ cat "$T/out"; fail "verify findings"; }
grep -q "3 problems" "$T/err" || fail "verify summary"
$B verify "$T/nowhere" 2>/dev/null
[ $? -eq 2 ] || fail "verify of a missing folder should exit 2"

# A folder that briefgen did not publish is refused, and nothing in it is lost.
mkdir "$T/theirs"
echo precious >"$T/theirs/report.txt"
$B publish "$CONTENT" --to "$T/theirs" 2>"$T/err"
[ $? -eq 1 ] || fail "publish over a foreign folder should exit 1"
clean_stderr "$T/err" "foreign folder"
grep -q "did not create" "$T/err" && grep -q -- "--force" "$T/err" || { cat "$T/err"; fail "refusal message"; }
[ "$(cat "$T/theirs/report.txt")" = precious ] || fail "foreign file touched"
# ... as is a file added to a published folder.
echo mine >"$S/notes.txt"
$B publish "$CONTENT" --to "$S" 2>"$T/err"
[ $? -eq 1 ] || fail "publish over a folder with a foreign file should exit 1"
grep -q "'notes.txt'" "$T/err" || { cat "$T/err"; fail "foreign file not named"; }
[ -f "$S/notes.txt" ] || fail "foreign file deleted"
# --force replaces it and keeps it as the previous version.
$B publish "$CONTENT" --to "$S" --force 2>"$T/err" || { cat "$T/err"; fail "forced publish"; }
[ -f "$T/.site.previous/notes.txt" ] && [ ! -e "$S/notes.txt" ] || fail "forced publish result"

# Invalid content: nothing is written.
snap "$S" >"$T/before"
cp -R "$CONTENT" "$T/broken"
printf 'title: [unclosed\n' >>"$T/broken/briefing.yaml"
$B publish "$T/broken" --to "$S" 2>"$T/err"
[ $? -eq 1 ] || fail "invalid content should exit 1"
clean_stderr "$T/err" "invalid content"
grep -q "briefing.yaml:" "$T/err" || fail "no diagnostic for invalid content"
snap "$S" >"$T/now"
cmp -s "$T/before" "$T/now" || fail "invalid content changed the published folder"
no_leftovers "$T" site

# Usage.
$B publish "$CONTENT" 2>/dev/null
[ $? -eq 2 ] || fail "publish without --to should exit 2"
$B publish --help | grep -q -- "--rollback" || fail "publish --help"
$B verify 2>/dev/null
[ $? -eq 2 ] || fail "verify without a folder should exit 2"
echo "publish, verify and rollback: ok ($n files)"

#!/bin/sh
# What publish, --rollback and verify say about the versions of a folder:
# which one is live and which is kept, each by build time, file count and
# SHA256SUMS digest; a second --rollback says it brought the newer one back;
# build, publish and verify give the same file count.  Two builds dated by
# SOURCE_DATE_EPOCH make two versions whose times and digests differ.
. "$SRCDIR/tests/write/lib.sh"
scratch
make_versions
B=$BRIEFGEN
S=$T/site
TZ=UTC
export TZ
OLD=1161561600   # 2006-10-23 00:00 UTC
NEW=1161854520   # 2006-10-26 09:22 UTC

# digest DIR: the first 12 hex digits of the SHA-256 of DIR/SHA256SUMS.
digest() { sha256sum "$1/SHA256SUMS" | cut -c1-12; }
# version TIME DIR: how a version is named.
version() { echo "built $1, $(grep -c . "$2/SHA256SUMS") files, SHA256SUMS $(digest "$2")"; }
# expect FILE TEXT: FILE has the line TEXT.
expect() { grep -qxF -- "$2" "$1" || { cat "$1" >&2; fail "no line '$2'"; }; }

# One count: build, publish and verify of the bundled content agree with
# the lines of SHA256SUMS (the user can count them with wc -l).
$B build "$CONTENT" -o "$T/public" 2>"$T/err" || { cat "$T/err"; fail "build"; }
n=$(grep -c . "$T/public/SHA256SUMS")
built=$(sed -n 's/^briefgen: wrote \([0-9]*\) files to .*/\1/p' "$T/err")
[ "$built" = "$n" ] || { cat "$T/err"; fail "build says '$built' files, its SHA256SUMS lists $n"; }

SOURCE_DATE_EPOCH=$OLD $B publish "$CONTENT" --to "$S" 2>"$T/err" || { cat "$T/err"; fail "publish 1"; }
old=$(version "2006-10-23 00:00" "$S")
published=$(sed -n 's/^briefgen: published .* (\([0-9]*\) files).*/\1/p' "$T/err")
[ "$published" = "$n" ] || { cat "$T/err"; fail "publish says '$published' files, build $n"; }
expect "$T/err" "briefgen: live now: $old"
! grep -q "kept for --rollback" "$T/err" || fail "first publish names a kept version"
$B verify "$S" >"$T/out" || fail "verify 1"
verified=$(sed -n 's/.*: \([0-9]*\) files verified$/\1/p' "$T/out")
[ "$verified" = "$n" ] || { cat "$T/out"; fail "verify says '$verified' files, build $n"; }
printf '%s\n' "$S: live now: $old" "$S: $n files verified" | cmp -s - "$T/out" ||
	{ cat "$T/out"; fail "verify of a first publish"; }

# A second, newer version: the first is named as kept.
SOURCE_DATE_EPOCH=$NEW $B publish --lang en "$CONTENT3" --to "$S" 2>"$T/err" ||
	{ cat "$T/err"; fail "publish 2"; }
new=$(version "2006-10-26 09:22" "$S")
[ "$(digest "$S")" != "$(digest "$T/.site.previous")" ] || fail "two versions, one digest"
expect "$T/err" "briefgen: live now: $new"
expect "$T/err" "briefgen: kept for --rollback: $old"
$B verify "$S" >"$T/out" || fail "verify 2"
printf '%s\n' "$S: live now: $new" "$S: kept for --rollback: $old" "$S: $n files verified" |
	cmp -s - "$T/out" || { cat "$T/out"; fail "verify names both versions"; }

# Rollback: the older one is live; the newer one kept.
$B publish --rollback --to "$S" 2>"$T/err" || { cat "$T/err"; fail "rollback 1"; }
grep -q "^briefgen: rolled $S back: the older version is live again" "$T/err" ||
	{ cat "$T/err"; fail "first rollback does not say it restored the older version"; }
expect "$T/err" "briefgen: live now: $old"
expect "$T/err" "briefgen: kept for --rollback: $new"

# Rollback again: it says truthfully that the newer one is back.
$B publish --rollback --to "$S" 2>"$T/err" || { cat "$T/err"; fail "rollback 2"; }
grep -q "^briefgen: rolled $S forward: the newer version is live again" "$T/err" ||
	{ cat "$T/err"; fail "second rollback does not say it restored the newer version"; }
! grep -q "older version is live" "$T/err" || fail "second rollback claims the older version"
expect "$T/err" "briefgen: live now: $new"
expect "$T/err" "briefgen: kept for --rollback: $old"
$B verify "$S" >"$T/out" || fail "verify 3"
expect "$T/out" "$S: live now: $new"

# In Danish too (the words are the catalogue's, the numbers the same).
LANGUAGE=da $B verify "$S" >"$T/out" || fail "verify in Danish"
grep -q "$(digest "$S")" "$T/out" || { cat "$T/out"; fail "Danish verify lost the digest"; }
echo "publish state: ok ($n files; live $(digest "$S"), kept $(digest "$T/.site.previous"))"

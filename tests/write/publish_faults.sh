#!/bin/sh
# Faults lose nothing: fail each I/O call of a publish in turn and check that
# the published folder and its previous version are exactly as before.
#
#   publish_faults.sh [exchange|two-renames]
#
# First count the wrapped I/O calls of a publish that succeeds
# (BRIEFGEN_FAULT=count), then for every K from 1 to that count publish a
# new version with the K-th call failing (BRIEFGEN_FAULT=any:K): briefgen
# must exit non-zero, say what failed, leave PATH and .PATH.previous as
# they were (names, modes, sizes, digests) and leave nothing beside them.
# K = count + 1 must succeed.  Then the same for --rollback.
# two-renames forces the fallback of filesystems without RENAME_EXCHANGE.
. "$SRCDIR/tests/write/lib.sh"
scratch
make_versions
B=$BRIEFGEN
S=$T/site
mode=${1:-exchange}
case $mode in
exchange) ;;
two-renames) BRIEFGEN_NO_EXCHANGE=1; export BRIEFGEN_NO_EXCHANGE ;;
*) fail "unknown mode $mode" ;;
esac

# The starting state: version 2 published, version 1 as its previous.
start() {
	rm -rf "$S" "$T/.site.previous"
	$B publish "$CONTENT" --to "$S" 2>/dev/null || fail "publish version 1"
	$B publish --lang en "$CONTENT" --to "$S" 2>/dev/null || fail "publish version 2"
}
start
snap "$S" >"$T/site.want"
snap "$T/.site.previous" >"$T/prev.want"

BRIEFGEN_FAULT=count $B publish "$CONTENT3" --to "$S" 2>"$T/err" || { cat "$T/err"; fail "count run"; }
calls=$(sed -n 's/^briefgen: fault: \([0-9][0-9]*\) calls.*/\1/p' "$T/err")
[ -n "$calls" ] && [ "$calls" -gt 50 ] || { cat "$T/err"; fail "no call count"; }
grep '^briefgen: fault:' "$T/err"
start

check_unchanged() {
	snap "$S" >"$T/site.now"
	cmp -s "$T/site.want" "$T/site.now" || { diff "$T/site.want" "$T/site.now" | head; fail "$1: PATH changed"; }
	snap "$T/.site.previous" >"$T/prev.now"
	cmp -s "$T/prev.want" "$T/prev.now" || fail "$1: previous version changed"
	sums_ok "$S"
	no_leftovers "$T" site
}

k=1
while [ "$k" -le "$calls" ]; do
	BRIEFGEN_FAULT=any:$k $B publish "$CONTENT3" --to "$S" 2>"$T/err"
	rc=$?
	[ $rc -ne 0 ] || fail "any:$k: publish succeeded"
	clean_stderr "$T/err" "any:$k"
	grep -q -e 'Input/output error' -e 'No space left on device' "$T/err" ||
		{ cat "$T/err"; fail "any:$k: no message saying what failed"; }
	grep -q "publish failed; $S is unchanged" "$T/err" || { cat "$T/err"; fail "any:$k: no outcome"; }
	check_unchanged "any:$k"
	k=$((k + 1))
done

BRIEFGEN_FAULT=any:$k $B publish "$CONTENT3" --to "$S" 2>"$T/err" ||
	{ cat "$T/err"; fail "any:$k (one past the count) should succeed"; }
grep -q '(rettet)' "$S/index.html" || fail "new version not in place"
snap "$T/.site.previous" >"$T/prev.now"
cmp -s "$T/site.want" "$T/prev.now" || fail "the replaced version is not the previous one"
if [ "$mode" = two-renames ]; then
	grep -q "two renames" "$T/err" || fail "the fallback was not reported"
fi

# Rollback, every call failing in turn.
snap "$S" >"$T/site.want"
snap "$T/.site.previous" >"$T/prev.want"
BRIEFGEN_FAULT=count $B publish --rollback --to "$S" 2>"$T/err" || fail "rollback count run"
rcalls=$(sed -n 's/^briefgen: fault: \([0-9][0-9]*\) calls.*/\1/p' "$T/err")
$B publish --rollback --to "$S" 2>/dev/null || fail "rollback back"
check_unchanged "rollback back"
k=1
while [ "$k" -le "$rcalls" ]; do
	BRIEFGEN_FAULT=any:$k $B publish --rollback --to "$S" 2>"$T/err" && fail "rollback any:$k succeeded"
	grep -q 'Input/output error' "$T/err" || { cat "$T/err"; fail "rollback any:$k: no message"; }
	clean_stderr "$T/err" "rollback any:$k"
	check_unchanged "rollback any:$k"
	k=$((k + 1))
done
echo "$mode: all $calls I/O calls of publish and $rcalls of rollback failed in turn; nothing lost"

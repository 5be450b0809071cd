#!/bin/sh
# Two publishes to the same PATH never interleave: a second one waits for
# the lock, or gives up clearly; many at once leave one whole version.
. "$SRCDIR/tests/write/lib.sh"
command -v flock >/dev/null || skip "no flock(1)"
scratch
make_versions
B=$BRIEFGEN
S=$T/site
now() { date +%s.%N; }

# Reference snapshots of the three versions, published elsewhere.
$B publish "$CONTENT" --to "$T/ref1" 2>/dev/null || fail "ref1"
$B publish --lang en "$CONTENT" --to "$T/ref2" 2>/dev/null || fail "ref2"
$B publish "$CONTENT3" --to "$T/ref3" 2>/dev/null || fail "ref3"
for r in 1 2 3; do snap "$T/ref$r" >"$T/snap$r"; done
is_a_version() {
	snap "$1" >"$T/snap.now"
	for r in 1 2 3; do cmp -s "$T/snap$r" "$T/snap.now" && return 0; done
	return 1
}

$B publish "$CONTENT" --to "$S" 2>/dev/null || fail "first publish"

# Someone holds the lock for a second: the publish waits, then succeeds.
# flock -o: the lock stays with flock(1), not with the command it runs.
flock -o "$T/.site.lock" sleep 1 &
holder=$!
while flock -n "$T/.site.lock" true; do sleep 0.05; done
t0=$(now)
$B publish --lang en "$CONTENT" --to "$S" 2>"$T/err" || { cat "$T/err"; fail "waiting publish"; }
t1=$(now)
wait $holder
awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.5) }' || fail "publish did not wait for the lock"

# Held for too long: it gives up clearly and PATH is unchanged.
snap "$S" >"$T/before"
flock -o "$T/.site.lock" sh -c 'echo $$ >"$1"; exec sleep 30' sh "$T/sleeper" &
holder=$!
while flock -n "$T/.site.lock" true; do sleep 0.05; done
BRIEFGEN_LOCK_WAIT=0.5 $B publish "$CONTENT3" --to "$S" 2>"$T/err"
rc=$?
BRIEFGEN_LOCK_WAIT=0.5 $B publish --rollback --to "$S" 2>"$T/err2"
rc2=$?
kill "$holder" "$(cat "$T/sleeper")"
wait "$holder" 2>/dev/null
[ $rc -eq 2 ] && [ $rc2 -eq 2 ] || fail "a busy lock should exit 2 (got $rc, $rc2)"
grep -q "another briefgen is publishing to '$S'" "$T/err" || { cat "$T/err"; fail "busy message"; }
grep -q "another briefgen is publishing" "$T/err2" || fail "busy message of rollback"
snap "$S" >"$T/now"
cmp -s "$T/before" "$T/now" || fail "a publish that gave up changed PATH"

# Many at once: all succeed one after the other; PATH and its previous
# version are each one whole version.
pids=
i=0
while [ $i -lt 8 ]; do
	case $((i % 3)) in
	0) $B publish "$CONTENT" --to "$S" 2>"$T/par$i" & ;;
	1) $B publish --lang en "$CONTENT" --to "$S" 2>"$T/par$i" & ;;
	2) $B publish "$CONTENT3" --to "$S" 2>"$T/par$i" & ;;
	esac
	pids="$pids $!"
	i=$((i + 1))
done
i=0
for p in $pids; do
	wait "$p" || { cat "$T/par$i"; fail "concurrent publish $i failed"; }
	i=$((i + 1))
done
is_a_version "$S" || fail "PATH is not one whole version after concurrent publishes"
is_a_version "$T/.site.previous" || fail "the previous version is not whole"
sums_ok "$S"
$B verify "$S" >/dev/null || fail "verify after concurrent publishes"
no_leftovers "$T" site
echo "lock: waits, gives up clearly, and 8 concurrent publishes left whole versions"

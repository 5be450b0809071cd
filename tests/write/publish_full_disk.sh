#!/bin/sh
# A full disk loses nothing.
#
#   publish_full_disk.sh fsize   RLIMIT_FSIZE (ulimit -f) with SIGXFSZ
#                                ignored, so a write past the limit fails
#                                with EFBIG
#   publish_full_disk.sh tmpfs   a small tmpfs in a private mount namespace
#                                (unshare; skipped with 77 where it cannot
#                                be made), filled so that ENOSPC hits each
#                                file of the publish in turn
. "$SRCDIR/tests/write/lib.sh"
B=$BRIEFGEN
how=${1:-fsize}

check_unchanged() {
	snap "$S" >"$T/site.now"
	cmp -s "$T/site.want" "$T/site.now" || fail "$1: PATH changed"
	snap "$P" >"$T/prev.now"
	cmp -s "$T/prev.want" "$T/prev.now" || fail "$1: previous version changed"
	sums_ok "$S"
	no_leftovers "$(dirname "$S")" site
}

start() {
	$B publish "$CONTENT" --to "$S" 2>/dev/null || fail "publish version 1"
	$B publish --lang en "$CONTENT" --to "$S" 2>/dev/null || fail "publish version 2"
	snap "$S" >"$T/site.want"
	snap "$P" >"$T/prev.want"
}

case $how in
fsize)
	scratch
	make_versions
	S=$T/site
	P=$T/.site.previous
	start
	for blocks in 1 8 16 32; do
		(trap '' XFSZ; ulimit -f "$blocks" && exec "$B" publish "$CONTENT3" --to "$S") 2>"$T/err"
		[ $? -ne 0 ] || fail "ulimit -f $blocks: publish succeeded"
		clean_stderr "$T/err" "ulimit -f $blocks"
		grep -q "File too large" "$T/err" || { cat "$T/err"; fail "ulimit -f $blocks: no message"; }
		grep -q "publish failed; $S is unchanged" "$T/err" || fail "ulimit -f $blocks: no outcome"
		check_unchanged "ulimit -f $blocks"
	done
	head -n 1 "$T/err"
	echo "fsize: full disk (EFBIG) left the published folder whole"
	;;
tmpfs)
	if [ "${BRIEFGEN_IN_NS:-}" != 1 ]; then
		command -v unshare >/dev/null || skip "no unshare"
		BRIEFGEN_IN_NS=1
		export BRIEFGEN_IN_NS
		# As root a private mount namespace; otherwise a user namespace too.
		for opts in -m -rm; do
			if unshare $opts true 2>/dev/null; then
				exec unshare $opts sh "$0" tmpfs
			fi
		done
		skip "cannot make a mount namespace here"
	fi
	scratch
	make_versions
	mkdir "$T/mnt"
	mount -t tmpfs -o size=2m,mode=0755 tmpfs "$T/mnt" 2>/dev/null || skip "cannot mount a tmpfs"
	trap 'umount "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT
	S=$T/mnt/site
	P=$T/mnt/.site.previous
	start
	# Leave `free` KiB, 4 KiB more each round, until the publish fits.
	free=0
	failures=0
	while :; do
		rm -f "$T/mnt/filler"
		avail=$(df -k "$T/mnt" | awk 'NR==2 {print $4}')
		[ "$avail" -gt "$free" ] || fail "tmpfs too small"
		dd if=/dev/zero of="$T/mnt/filler" bs=1024 count=$((avail - free)) 2>/dev/null
		if $B publish "$CONTENT3" --to "$S" 2>"$T/err"; then
			break
		fi
		clean_stderr "$T/err" "free $free KiB"
		grep -q "No space left on device" "$T/err" || { cat "$T/err"; fail "free $free KiB: no message"; }
		grep -q "publish failed; $S is unchanged" "$T/err" || fail "free $free KiB: no outcome"
		check_unchanged "free $free KiB"
		failures=$((failures + 1))
		free=$((free + 4))
		[ $free -lt 2048 ] || fail "never fits"
	done
	grep -q '(rettet)' "$S/index.html" || fail "new version not in place"
	sums_ok "$S"
	[ $failures -gt 5 ] || fail "only $failures full-disk failures: the filler did not work"
	echo "tmpfs: $failures publishes into a full tmpfs (0 to $((free - 4)) KiB free) left the folder whole; fits at $free KiB"
	;;
*)
	fail "unknown mode $how"
	;;
esac

#!/bin/sh
# run-formats.sh: `briefgen check --format json|sarif` on the fixtures of
# tests/fixtures (each copied and checked the way run-fixtures.sh does).
#
#   run-formats.sh golden [--bless] NAME...   JSON equal to golden/NAME.json
#   run-formats.sh json [NAME...]             JSON valid, counts = text mode's
#   run-formats.sh sarif [NAME...]            SARIF valid (sarif-multitool, ajv)
#
# Every mode also wants the exit status of the text mode and nothing on
# stderr.  Environment: BRIEFGEN (the binary), SRCDIR; sarif also NODE_BIN
# (tests/web/node_modules/.bin).
set -u
here=$(cd "$(dirname "$0")" && pwd)
srcdir=${SRCDIR:-$(cd "$here/../.." && pwd)}
fixtures=$srcdir/tests/fixtures
mode=${1:?mode: golden, json or sarif}
shift
bless=0
if [ "${1:-}" = --bless ]; then
	bless=1
	shift
fi
: "${BRIEFGEN:?set BRIEFGEN to the briefgen binary}"
case $BRIEFGEN in /*) ;; *) BRIEFGEN=$(pwd)/$BRIEFGEN ;; esac
export LC_ALL=C
unset LANGUAGE

tmp=$(mktemp -d "${TMPDIR:-/tmp}/briefgen-formats.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
failed=0
mkdir -p "$tmp/sarif"

if [ $# -eq 0 ]; then
	for d in "$fixtures"/*/; do
		set -- "$@" "$(basename "$d")"
	done
fi

# run NAME FORMAT: check the fixture copied into $tmp/NAME; output in
# $tmp/NAME/FORMAT.{out,err,status}.
run() {
	r_work=$tmp/$1
	if [ ! -d "$r_work/run" ]; then
		mkdir -p "$r_work/run"
		[ -d "$fixtures/$1/content" ] && cp -R "$fixtures/$1/content" "$r_work/run/content"
		if [ -f "$fixtures/$1/generate.sh" ]; then
			(cd "$r_work/run" && sh "$fixtures/$1/generate.sh") || return 1
		fi
	fi
	r_args=
	[ -f "$fixtures/$1/args" ] && r_args=$(cat "$fixtures/$1/args")
	# shellcheck disable=SC2086  # r_args holds words to split
	(cd "$r_work/run" && "$BRIEFGEN" check --format "$2" $r_args content \
		>"$r_work/$2.out" 2>"$r_work/$2.err")
	echo $? >"$r_work/$2.status"
}

fail() {
	echo "FAIL $name: $*"
	failed=$((failed + 1))
}

# The machine format's status equals the text mode's, its stderr is empty,
# and it printed a report (a usage error prints none: false).
same_outcome() {
	format=$1 work=$tmp/$name
	run "$name" text || { fail "generate.sh failed"; return 1; }
	run "$name" "$format"
	if [ "$(cat "$work/$format.status")" != "$(cat "$work/text.status")" ]; then
		fail "--format $format exits $(cat "$work/$format.status"), text $(cat "$work/text.status")"
		return 1
	fi
	if [ ! -s "$work/$format.out" ] && [ "$(cat "$work/text.status")" = 2 ]; then
		return 1      # a usage error: no report, as in the text mode
	fi
	if [ -s "$work/$format.err" ]; then
		fail "--format $format wrote to stderr:"
		cat "$work/$format.err"
		return 1
	fi
	return 0
}

for name; do
	case $mode in
	golden)
		same_outcome json || continue
		want=$here/golden/$name.json
		if ! cmp -s "$want" "$tmp/$name/json.out"; then
			if [ $bless = 1 ]; then
				diff -u "$want" "$tmp/$name/json.out"
				cp "$tmp/$name/json.out" "$want"
				echo "BLESSED $name: $want"
			else
				fail "JSON differs from golden/$name.json (--- expected, +++ got):"
				diff -u "$want" "$tmp/$name/json.out" | sed '1,2d'
			fi
		fi
		;;
	json)
		same_outcome json || continue
		if ! out=$(node "$here/check-json.js" "$tmp/$name/json.out" "$tmp/$name/text.err"); then
			fail "$out"
		fi
		;;
	sarif)
		same_outcome sarif || continue
		cp "$tmp/$name/sarif.out" "$tmp/sarif/$name.sarif"
		;;
	*)
		echo "run-formats.sh: unknown mode '$mode'" >&2
		exit 2
		;;
	esac
done
[ "$mode" = sarif ] && { sh "$here/validate-sarif.sh" "$tmp/sarif" || failed=$((failed + 1)); }
if [ $failed -gt 0 ]; then
	echo "$failed failed"
	exit 1
fi
echo "ok: $# fixtures"
exit 0

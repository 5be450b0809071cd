#!/bin/sh
# completion.sh: completions/briefgen.bash, sourced in bash, completes what a
# person at the prompt expects.  Fails naming each case.
: "${SRCDIR:?}"
LC_ALL=C
export LC_ALL
command -v bash >/dev/null || { echo "FAIL: bash is not installed"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docs-completion.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
case $SRCDIR in /*) ;; *) SRCDIR=$PWD/$SRCDIR ;; esac
# A folder to complete in: two content folders and a YAML file.
mkdir "$tmp/content" "$tmp/kladde" && : >"$tmp/briefing.yaml"
cd "$tmp" || exit 2
bad=0

# expect EXPECTED WORD...: completing the last WORD after "briefgen" gives
# EXPECTED (sorted, space-separated).
expect() {
	want=$1
	shift
	got=$(bash -c '
		. "$1" || exit 3
		complete -p briefgen >/dev/null || { echo "not registered"; exit 0; }
		shift
		COMP_WORDS=(briefgen "$@"); COMP_CWORD=$#
		_briefgen
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " "' \
		sh "$SRCDIR/completions/briefgen.bash" "$@")
	got=${got% }
	if [ "$got" = "$want" ]; then
		echo "ok: briefgen $*<TAB> -> $want"
	else
		echo "FAIL: briefgen $*<TAB> gives '$got', not '$want'"
		bad=1
	fi
}

expect "--help --version -h build check dump new publish schema serve templates verify" ""
expect "build" b
expect "--templates" build --te
expect "--format --help --no-source --strict" check --
expect "content kladde" check ""
expect "kladde" check k
expect "content kladde" build -o ""
expect "da en" build --lang ""
expect "content kladde" serve --templates ""
expect "budget tree" dump ""
expect "briefing.yaml content kladde" dump tree ""
expect "export list" templates ""
expect "content kladde" templates export ""
expect "" serve --port ""
expect "json sarif text" check --format ""
expect "json-schema markdown" schema --format ""
expect "briefing partner" schema ""
expect "--country --help --name --partner" new --
exit $bad

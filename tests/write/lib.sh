# lib.sh: helpers for the publish/verify shell tests (sourced, POSIX sh).
# Environment from ctest: BRIEFGEN (the binary), SRCDIR, BUILDDIR.
set -u
LC_ALL=C
export LC_ALL
unset BRIEFGEN_FAULT BRIEFGEN_NO_EXCHANGE BRIEFGEN_LOCK_WAIT

: "${BRIEFGEN:?BRIEFGEN must name the briefgen binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"
CONTENT=$SRCDIR/content

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# A scratch folder under $TMPDIR, removed on exit.
scratch() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/briefgen-test.XXXXXX") || fail "mktemp"
	trap 'rm -rf "$T"' EXIT
	trap 'exit 1' HUP INT TERM
}

# Everything that makes a folder what it is: names, modes, types, sizes and
# digests (not times), in a stable order.
snap() {
	(cd "$1" && find . -printf '%p %m %y %s\n' | sort &&
		find . -type f -exec sha256sum {} + | sort) || fail "snapshot of $1"
}

# A second and third version of the bundled content, different in text.
make_versions() {
	CONTENT3=$T/content3
	cp -R "$CONTENT" "$CONTENT3"
	sed -i 's/^title: .*/title: Region Midtjyllands internationale samarbejder (rettet)/' \
		"$CONTENT3/briefing.yaml"
	grep -q '(rettet)' "$CONTENT3/briefing.yaml" || fail "could not edit the copy"
}

# No staging or old folder may be left beside $1/$2.
no_leftovers() {
	left=$(cd "$1" && ls -A | grep -E "^\.$2\.(staging|old)-" || true)
	[ -z "$left" ] || fail "left behind in $1: $left"
}

sums_ok() {
	(cd "$1" && sha256sum -c --strict --quiet SHA256SUMS) || fail "sha256sum -c in $1"
}

# A sanitizer report (debug preset) must fail the test even when briefgen
# was expected to exit non-zero anyway.
clean_stderr() {
	! grep -q -e 'Sanitizer' -e 'runtime error:' "$1" || { cat "$1"; fail "$2: sanitizer report"; }
}

#!/bin/sh
# man.sh: both man pages are clean mdoc (mandoc -T lint, warnings and up),
# read with `man -l` without "BSD" in their header and with briefgen's
# version in their footer, and briefgen.5's field reference is exactly what
# build-aux/schema-mdoc makes of `briefgen schema`.  Fails naming each.
: "${BRIEFGEN:?}" "${SRCDIR:?}"
LC_ALL=C
export LC_ALL
bad=0
fail() {
	echo "FAIL: $*"
	bad=1
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docs-man.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
version=$("$BRIEFGEN" --version) || fail "briefgen --version failed"

command -v mandoc >/dev/null || fail "mandoc is not installed (build-aux/install-deps installs it)"
command -v man >/dev/null || fail "man is not installed"
for page in "$SRCDIR/man/briefgen.1" "$SRCDIR/man/briefgen.5"; do
	name=${page##*/}
	if command -v mandoc >/dev/null; then
		mandoc -T lint -W warning "$page" >"$tmp/lint" 2>&1 ||
			{ fail "$name: mandoc -T lint -W warning:"; cat "$tmp/lint"; }
	fi
	MANWIDTH=80 man -l "$page" 2>/dev/null >"$tmp/page" || fail "$name: man -l failed"
	head=$(sed -n 1p "$tmp/page")
	foot=$(sed -n '$p' "$tmp/page")
	case $head in
	*BSD*) fail "$name: man -l shows the header '$head'" ;;
	*"General Commands Manual"* | *"File Formats Manual"*) ;;
	*) fail "$name: man -l shows an unexpected header '$head'" ;;
	esac
	case $foot in
	"$version "*) ;;
	*) fail "$name: the footer '$foot' does not start with '$version' (.Os)" ;;
	esac
done

awk '/^\.\\" BEGIN FIELDS/ { f = 1; next } /^\.\\" END FIELDS/ { f = 0 } f' \
	"$SRCDIR/man/briefgen.5" >"$tmp/fields.man"
"$BRIEFGEN" schema | sh "$SRCDIR/build-aux/schema-mdoc" >"$tmp/fields.schema" ||
	fail "briefgen schema | build-aux/schema-mdoc failed"
[ -s "$tmp/fields.man" ] || fail "briefgen.5 has no BEGIN FIELDS ... END FIELDS part"
if ! diff -u "$tmp/fields.man" "$tmp/fields.schema" >"$tmp/diff"; then
	fail "briefgen.5's field reference differs from briefgen schema (run" \
		"'briefgen schema | build-aux/schema-mdoc' and paste it between BEGIN FIELDS and END FIELDS):"
	cat "$tmp/diff"
fi
[ $bad = 0 ] && echo "ok: man pages lint clean, no BSD header, footer '$version', fields as briefgen schema"
exit $bad

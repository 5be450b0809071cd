#!/bin/sh
# deb.sh: `cpack -G DEB` makes a .deb that installs a working briefgen.
# Builds the package from BUILDDIR into a scratch folder, unpacks it with
# `dpkg-deb -x` into a scratch root, and checks what an IT department would
# lose otherwise: the package's name, Depends and Recommends; that it holds
# every file the install() rules install (binary, man pages gzip'ed, message
# catalogues, bash completion); that the unpacked binary runs, checks the
# bundled content like the build tree's binary, in Danish too, from its own
# catalogue; that both man pages format without warnings.
# Environment from ctest: BRIEFGEN, SRCDIR, BUILDDIR.
set -u
: "${BRIEFGEN:?}" "${SRCDIR:?}" "${BUILDDIR:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
command -v dpkg-deb >/dev/null 2>&1 || skip "not a Debian system (no dpkg-deb)"
for t in cpack dpkg-shlibdeps man msgfmt; do
	command -v $t >/dev/null 2>&1 || fail "$t is missing: run build-aux/install-deps"
done
T=$(mktemp -d "${TMPDIR:-/tmp}/briefgen-deb.XXXXXX") || fail "mktemp"
trap 'rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM

# The package.
cpack -G DEB -B "$T/pkg" --config "$BUILDDIR/CPackConfig.cmake" >"$T/cpack.log" 2>&1 ||
	{ cat "$T/cpack.log"; fail "cpack -G DEB"; }
version=$("$BRIEFGEN" --version | sed -n 's/^briefgen //p')
deb=$T/pkg/briefgen_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || { ls "$T/pkg"; fail "no $deb"; }
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = briefgen ] && [ "$(field Version)" = "$version" ] || fail "package name or version"
for lib in libcmark libyaml libmicrohttpd libnettle libqpdf; do
	field Depends | grep -q "$lib" || fail "Depends does not name $lib: $(field Depends)"
done
field Recommends | grep -qw chromium || fail "Recommends does not name chromium"
[ -n "$(field Maintainer)" ] && [ -n "$(field Section)" ] || fail "no Maintainer or Section"
field Description | sed -n 2p | grep -q YAML || fail "the description does not say what it is for"

# Every file the install() rules install is in the package (man pages
# gzip'ed), so a rule added later (the bash completion) is packaged too.
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' | sort >"$T/list"
DESTDIR=$T/inst cmake --install "$BUILDDIR" --prefix /usr >/dev/null || fail "cmake --install"
(cd "$T/inst" && find . -type f | sed 's|^\.||') |
	sed 's|\(/share/man/man[1-9]/.*\.[1-9]\)$|\1.gz|' | sort >"$T/want"
[ -s "$T/want" ] || fail "cmake --install installed nothing"
missing=$(comm -23 "$T/want" "$T/list")
[ -z "$missing" ] || fail "installed but not in the .deb: $missing"
for f in /usr/bin/briefgen /usr/share/man/man1/briefgen.1.gz /usr/share/man/man5/briefgen.5.gz \
	/usr/share/locale/da/LC_MESSAGES/briefgen.mo; do
	grep -qx "$f" "$T/list" || fail "the .deb lacks $f"
done
if [ -d "$SRCDIR/completions" ]; then
	grep -q '^/usr/share/bash-completion/completions/briefgen$' "$T/list" ||
		fail "the .deb lacks the bash completion"
fi

# The unpacked binary.
dpkg-deb -x "$deb" "$T/root" || fail "dpkg-deb -x"
R=$T/root/usr/bin/briefgen
[ "$("$R" --version)" = "briefgen $version" ] || fail "--version of the unpacked binary"
cmp -s "$BUILDDIR/locale/da/LC_MESSAGES/briefgen.mo" "$T/root/usr/share/locale/da/LC_MESSAGES/briefgen.mo" ||
	fail "the packaged Danish catalogue is not the one the build compiled"
cd "$SRCDIR" || fail "cd"
"$R" check content >"$T/got" 2>&1 || { cat "$T/got"; fail "check of the bundled content"; }
"$BRIEFGEN" check content >"$T/want" 2>&1
cmp -s "$T/want" "$T/got" || { diff "$T/want" "$T/got"; fail "the unpacked binary checks otherwise"; }
# In Danish on a C.UTF-8 machine: the same words as the build tree's binary.
danish() { env -u LC_ALL LANGUAGE=da LANG=C.UTF-8 "$@"; }
danish "$R" check content >"$T/got" 2>&1 || { cat "$T/got"; fail "LANGUAGE=da check"; }
danish "$BRIEFGEN" check content >"$T/want" 2>&1
cmp -s "$T/want" "$T/got" || { diff "$T/want" "$T/got"; fail "the unpacked binary's Danish differs"; }
# ... read from the catalogue under the unpacked root, not the build tree's
# or the system's: give it one of its own and see its words.
cat >"$T/da.po" <<'PO'
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "%.*s: %zu file verified\n"
msgid_plural "%.*s: %zu files verified\n"
msgstr[0] "%.*s: %zu fil kontrolleret (deb-test)\n"
msgstr[1] "%.*s: %zu filer kontrolleret (deb-test)\n"
PO
msgfmt -o "$T/root/usr/share/locale/da/LC_MESSAGES/briefgen.mo" "$T/da.po" || fail "msgfmt"
"$R" build content -o "$T/site" 2>"$T/err" || { cat "$T/err"; fail "build with the unpacked binary"; }
danish "$R" verify "$T/site" >"$T/got" 2>&1 || { cat "$T/got"; fail "verify in Danish"; }
grep -q "filer kontrolleret (deb-test)" "$T/got" ||
	{ cat "$T/got"; fail "the unpacked binary does not read the catalogue under its root"; }

# The man pages (UTF-8: briefgen.5 quotes "Brașov"): man -l formats them
# without a warning; mandoc, when there,
# finds nothing worse than style.
for page in man1/briefgen.1.gz man5/briefgen.5.gz; do
	p=$T/root/usr/share/man/$page
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" >"$T/man.txt" 2>"$T/man.err" || fail "man -l $page"
	[ ! -s "$T/man.err" ] || { cat "$T/man.err"; fail "man -l $page warns"; }
	grep -q briefgen "$T/man.txt" || fail "man -l $page shows no briefgen"
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -T lint -W warning "$p" >"$T/lint" 2>&1
		[ ! -s "$T/lint" ] || { cat "$T/lint"; fail "mandoc -T lint $page"; }
	fi
done
echo "deb: ok ($(basename "$deb"): $(wc -l <"$T/list") entries; Depends: $(field Depends))"

#!/bin/sh
# new_cli.sh: `briefgen new` and `briefgen new --partner` as a secretary runs
# them.  A new folder passes `check --strict`, names its schemas on the first
# line of each file and refuses a folder that is not empty; a failure part way
# leaves nothing behind.  A partner added to briefing.yaml leaves every other
# line byte for byte as it was (block list, flow list, empty list, no
# candidates key, no section, CRLF line ends), `check --strict` passes after
# each, and a taken or bad slug, a bad country or a missing option is refused
# with the fix and nothing written.
# Environment from ctest: BRIEFGEN (the binary), SRCDIR.
set -u
LC_ALL=C
export LC_ALL
unset BRIEFGEN_FAULT
: "${BRIEFGEN:?BRIEFGEN must name the briefgen binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
T=$(mktemp -d "${TMPDIR:-/tmp}/briefgen-new.XXXXXX") || fail "mktemp"
trap 'rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM

# check passes on $1 ($2 says after what); with --strict ($3) for content
# made by new, which has no warnings (the bundled content has one).
checks() {
	"$BRIEFGEN" check ${3:-} "$1" >"$T/check.out" 2>&1 ||
		{ cat "$T/check.out"; fail "check ${3:-} $1 fails ($2)"; }
}

# $2 is $1 with exactly $3 lines added and none removed or changed.
only_added() {
	diff "$1" "$2" >"$T/diff" && fail "$4: briefing.yaml is unchanged"
	! grep -q '^<' "$T/diff" || { cat "$T/diff"; fail "$4: lines of briefing.yaml changed"; }
	[ "$(grep -c '^>' "$T/diff")" = "$3" ] || { cat "$T/diff"; fail "$4: not $3 lines added"; }
}

# Run briefgen new expecting status $1; stderr in $T/err.
new_status() {
	want=$1
	shift
	"$BRIEFGEN" new "$@" >"$T/out" 2>"$T/err"
	got=$?
	[ "$got" = "$want" ] || { cat "$T/err"; fail "new $*: status $got, not $want"; }
}

add() {
	new_status 0 --partner "$2" --name "$3" --country SE "$1"
}

# ---- a new folder ----------------------------------------------------------
C=$T/ny
new_status 0 "$C"
checks "$C" "new" --strict
for f in briefing.yaml partners/eksempel-region.yaml; do
	[ -f "$C/$f" ] || fail "new wrote no $f"
done
head -1 "$C/briefing.yaml" | grep -qx '# yaml-language-server: $schema=.schema/briefing.schema.json' ||
	fail "briefing.yaml does not start with its schema line"
head -1 "$C/partners/eksempel-region.yaml" |
	grep -qx '# yaml-language-server: $schema=../.schema/partner.schema.json' ||
	fail "the example partner does not start with its schema line"
for k in briefing partner; do
	"$BRIEFGEN" schema --format json-schema $k >"$T/$k.json" || fail "schema $k"
	cmp -s "$T/$k.json" "$C/.schema/$k.schema.json" || fail ".schema/$k.schema.json is not the schema"
done
grep -q '^# .*status' "$C/briefing.yaml" && grep -q 'continue   samarbejdet videreføres' "$C/briefing.yaml" ||
	fail "briefing.yaml does not explain the decisions' statuses in Danish"

# Not into a folder that holds anything; into an empty one.
cp -R "$C" "$T/before"
new_status 2 "$C"
grep -q 'not empty' "$T/err" || fail "refusing a full folder does not say why: $(cat "$T/err")"
diff -r "$T/before" "$C" >/dev/null || fail "new changed a folder it refused"
mkdir "$T/empty"
new_status 0 "$T/empty"
checks "$T/empty" "new into an empty folder" --strict

# A failure part way (the 3rd write, the final rename) leaves no half folder.
for fault in write:3 rename:1; do
	BRIEFGEN_FAULT=$fault "$BRIEFGEN" new "$T/half" >/dev/null 2>"$T/err" &&
		fail "new did not fail under BRIEFGEN_FAULT=$fault"
	[ ! -e "$T/half" ] || fail "BRIEFGEN_FAULT=$fault left $T/half"
	! ls -A "$T" | grep -q '^\.half\.new-' || fail "BRIEFGEN_FAULT=$fault left a temporary folder"
done

# ---- a partner ---------------------------------------------------------------
# The new folder has new_partnerships without candidates: key and item added.
cp "$C/briefing.yaml" "$T/b0"
add "$C" vastra-gotaland "Västra Götaland"
only_added "$T/b0" "$C/briefing.yaml" 2 "no candidates key"
checks "$C" "a first candidate" --strict
P=$C/partners/vastra-gotaland.yaml
head -1 "$P" | grep -qx '# yaml-language-server: $schema=../.schema/partner.schema.json' ||
	fail "the new partner does not start with its schema line"
grep -qx 'status: explore' "$P" || fail "the new partner's status is not explore"
grep -qx 'name: "Västra Götaland"' "$P" || fail "the new partner's name is not as given"
# A second one: a line after the last item of the block list.
cp "$C/briefing.yaml" "$T/b1"
add "$C" skaane "Skåne"
only_added "$T/b1" "$C/briefing.yaml" 1 "block list"
tail -n +1 "$C/briefing.yaml" | grep -qx '    - skaane' || fail "the item is not indented like the others"
checks "$C" "a second candidate" --strict

# The bundled content: a block list between comments.
B=$T/bundled
cp -R "$SRCDIR/content" "$B"
cp "$B/briefing.yaml" "$T/b2"
add "$B" skaane "Skåne"
only_added "$T/b2" "$B/briefing.yaml" 1 "bundled content"
checks "$B" "bundled content with a candidate"

# A flow list: the one line gets the slug; every other line is as it was.
F=$T/flow
cp -R "$SRCDIR/content" "$F"
sed -i 's/^  candidates:$/  candidates: [vastra-gotaland]/; /^    - vastra-gotaland$/d' "$F/briefing.yaml"
cp "$F/briefing.yaml" "$T/b3"
add "$F" skaane "Skåne"
grep -qx '  candidates: \[vastra-gotaland, skaane\]' "$F/briefing.yaml" || fail "flow list not extended"
grep -v '^  candidates:' "$T/b3" >"$T/b3a"
grep -v '^  candidates:' "$F/briefing.yaml" >"$T/b3b"
cmp -s "$T/b3a" "$T/b3b" || fail "flow list: other lines of briefing.yaml changed"
checks "$F" "flow list"

# An empty candidates: key.
E=$T/emptylist
cp -R "$SRCDIR/content" "$E"
sed -i '/^    - vastra-gotaland$/d' "$E/briefing.yaml"
rm "$E/partners/vastra-gotaland.yaml"
cp "$E/briefing.yaml" "$T/b4"
add "$E" skaane "Skåne"
only_added "$T/b4" "$E/briefing.yaml" 1 "empty candidates"
checks "$E" "empty candidates"

# No new_partnerships section at all: it is added at the end.
N=$T/nosection
cp -R "$SRCDIR/content" "$N"
awk '/^new_partnerships:/{skip=1} /^# "Direktionen/{skip=0} !skip' "$SRCDIR/content/briefing.yaml" >"$N/briefing.yaml"
rm "$N/partners/vastra-gotaland.yaml"
checks "$N" "content without new_partnerships"
cp "$N/briefing.yaml" "$T/b5"
add "$N" skaane "Skåne"
only_added "$T/b5" "$N/briefing.yaml" 7 "no section"
checks "$N" "a new section"

# CRLF line ends: the added lines end the same way.
W=$T/crlf
cp -R "$SRCDIR/content" "$W"
sed -i 's/$/\r/' "$W/briefing.yaml"
add "$W" skaane "Skåne"
[ "$(grep -c "$(printf '\r')\$" "$W/briefing.yaml")" = "$(wc -l <"$W/briefing.yaml")" ] ||
	fail "CRLF: an added line ends in a bare LF"
checks "$W" "CRLF"

# ---- refusals: status 2, the fix as hint, nothing written ----------------------
cp -R "$C" "$T/before2"
refused() {
	hint=$1
	shift
	new_status 2 "$@"
	[ -z "$hint" ] || grep -qF -- "$hint" "$T/err" || { cat "$T/err"; fail "new $*: no hint '$hint'"; }
	diff -r "$T/before2" "$C" >/dev/null || fail "new $* changed the folder"
}
refused "choose another slug" --partner skaane --name Skåne --country SE "$C"
refused "choose another slug" --partner eksempel-region --name X --country SE "$C"
rm "$C/partners/skaane.yaml" "$T/before2/partners/skaane.yaml"
refused "choose another slug" --partner skaane --name Skåne --country SE "$C"
refused "use --partner skaane" --partner Skåne --name Skåne --country SE "$C"
refused "use --partner gyor-moson-sopron" --partner "Győr Moson_Sopron" --name Győr --country HU "$C"
refused "--country SE" --partner malmo --name Malmö --country se "$C"
refused "ISO 3166-1" --partner malmo --name Malmö --country XX "$C"
refused "" --partner malmo --country SE "$C"
refused "" --partner malmo --name Malmö "$C"
refused "" --name Malmö --country SE "$C"
refused "" --partner malmo --name "$(printf 'Mal\nmö')" --country SE "$C"
# A briefing.yaml that does not load is not edited.
X=$T/broken
mkdir -p "$X/partners"
printf 'title: [\n' >"$X/briefing.yaml"
new_status 2 --partner malmo --name Malmö --country SE "$X"
grep -q 'briefgen check' "$T/err" || fail "a broken briefing.yaml: no hint to run check"
[ ! -e "$X/partners/malmo.yaml" ] || fail "a broken briefing.yaml: partner written anyway"
# A failure while replacing briefing.yaml (the 3rd rename, after the two
# schemas) takes the new partner file away again.
cp -R "$C" "$T/before3"
BRIEFGEN_FAULT=rename:3 "$BRIEFGEN" new --partner malmo --name Malmö --country SE "$C" \
	>/dev/null 2>"$T/err" && fail "new --partner did not fail under BRIEFGEN_FAULT=rename:3"
diff -r "$T/before3" "$C" >/dev/null || { diff -r "$T/before3" "$C"; fail "a failed new --partner left changes"; }
echo "ok: new writes content that checks, and adds partners without disturbing briefing.yaml"

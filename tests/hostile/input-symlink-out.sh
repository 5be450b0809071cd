# hostile/input-symlink-out: content or template files that are symbolic
# links out of their folder (`partners/evil.yaml -> /etc/passwd` printed the
# target's first line in the diagnostic).  Each is an error naming the link,
# exit 1, and not one byte of the target appears in any output, nor in a
# built page; a link that stays inside the folder is fine.
. "$SRCDIR/tests/write/lib.sh"
scratch

SECRET=BRIEFGEN-SECRET-7f3a9c
printf 'name: %s\ncountry: RO\n%s: %s\n' "$SECRET" "$SECRET" "$SECRET" >"$T/secret.yaml"
mkdir "$T/secretdir"
cp "$T/secret.yaml" "$T/secretdir/brasov.yaml"

# No byte of the secret in stdout, stderr or the output folder.
no_secret() {
	! grep -r -q "$SECRET" "$T/out" "$T/err" "$T/public" 2>/dev/null ||
		{ cat "$T/err"; fail "$1: text of the linked file was shown"; }
}

run() {
	timeout 10 "$BRIEFGEN" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	[ $rc -ne 124 ] || fail "briefgen $* did not finish in 10 s"
	clean_stderr "$T/err" "briefgen $*"
}

expect() {
	[ $rc -eq "$1" ] || { cat "$T/err"; fail "$2: exit status $rc, expected $1"; }
	grep -q -- "$3" "$T/err" || { cat "$T/err"; fail "$2: no '$3' in the diagnostics"; }
	no_secret "$2"
}

mkdir "$T/public"
cp -R "$CONTENT" "$T/c"
ln -s "$T/secret.yaml" "$T/c/partners/evil.yaml"
ln -s /etc/passwd "$T/c/partners/passwd.yaml"
run check "$T/c"
expect 1 "check, partner file linking out" \
	"c/partners/evil.yaml: error: symbolic link to a file outside the content folder; not read"
grep -q "c/partners/passwd.yaml: error: symbolic link to a file outside" "$T/err" ||
	fail "the link to /etc/passwd is not reported"
! grep -q "root:" "$T/err" || fail "a line of /etc/passwd was shown"
run build "$T/c" -o "$T/public"
expect 1 "build, partner file linking out" "c/partners/evil.yaml: error: symbolic link"

# A named partner's file replaced by a link out: not built, not shown.
cp -R "$CONTENT" "$T/c2"
rm "$T/c2/partners/brasov.yaml"
ln -s "$T/secretdir/brasov.yaml" "$T/c2/partners/brasov.yaml"
run build "$T/c2" -o "$T/public"
expect 1 "build, named partner linking out" "c2/partners/brasov.yaml: error: symbolic link"
[ ! -e "$T/public/index.html" ] || fail "a site was built from a file outside the content folder"

# briefing.yaml linking out, and partners/ linking out (its names not listed).
cp -R "$CONTENT" "$T/c3"
rm "$T/c3/briefing.yaml"
ln -s "$T/secret.yaml" "$T/c3/briefing.yaml"
run check "$T/c3"
expect 1 "check, briefing linking out" "c3/briefing.yaml: error: symbolic link"
cp -R "$CONTENT" "$T/c4"
rm -r "$T/c4/partners"
ln -s "$T/secretdir" "$T/c4/partners"
run check "$T/c4"
expect 1 "check, partners/ linking out" \
	"c4/partners: error: symbolic link to a folder outside the content folder; not read"

# A link that stays inside the content folder is fine.
cp -R "$CONTENT" "$T/c5"
mkdir "$T/c5/kilder"
mv "$T/c5/partners/brasov.yaml" "$T/c5/kilder/brasov.yaml"
ln -s ../kilder/brasov.yaml "$T/c5/partners/brasov.yaml"
run check "$T/c5"
[ $rc -eq 0 ] || { cat "$T/err"; fail "a link inside the content folder was refused"; }

# Templates: a language file and a template linking out of --templates.
mkdir -p "$T/tpl/i18n" "$T/tpl/html"
ln -s "$T/secret.yaml" "$T/tpl/i18n/da.yaml"
run build "$CONTENT" -o "$T/public" --templates "$T/tpl"
expect 1 "build, language file linking out" \
	"tpl/i18n/da.yaml: error: symbolic link to a file outside the templates folder; not read"
rm "$T/tpl/i18n/da.yaml"
ln -s "$T/secret.yaml" "$T/tpl/html/index.mustache"
run build "$CONTENT" -o "$T/public" --templates "$T/tpl"
expect 1 "build, template linking out" "tpl/html/index.mustache: error: symbolic link"
[ ! -e "$T/public/index.html" ] || fail "a site was built with a template from outside"
echo "ok: links out refused, nothing of their targets shown"

# hostile/input-fifo: a FIFO where a content file, a template or a language
# file should be.  Opening a FIFO for reading waits for a writer, for ever:
# check and build must instead refuse it at once (O_NONBLOCK, then fstat),
# name the file, exit 1 and leave the output folder as it was.  A socket is
# refused the same way.  Every run is under `timeout 10`, so a regression
# fails instead of hanging the suite.
. "$SRCDIR/tests/write/lib.sh"
scratch

# Run briefgen with a 2-second limit: stderr in $T/err, status in $rc.
run_bounded() {
	start=$(date +%s%N)
	timeout 10 "$BRIEFGEN" "$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ $rc -ne 124 ] || fail "briefgen $* did not finish in 10 s (blocked on the FIFO)"
	[ $ms -lt 2000 ] || fail "briefgen $* took $ms ms (limit 2000)"
	clean_stderr "$T/err" "briefgen $*"
}

expect() {
	[ $rc -eq "$1" ] || { cat "$T/err"; fail "$2: exit status $rc, expected $1"; }
	grep -q -- "$3" "$T/err" || { cat "$T/err"; fail "$2: no '$3' in the diagnostics"; }
}

# A partner file that is a FIFO, and a briefing.yaml that is one.
cp -R "$CONTENT" "$T/c"
rm "$T/c/partners/brasov.yaml"
mkfifo "$T/c/partners/brasov.yaml"
run_bounded check "$T/c"
expect 1 "check, partner FIFO" \
	"c/partners/brasov.yaml: error: not a regular file but a named pipe (FIFO); not read"

mkdir "$T/public"
echo previous >"$T/public/keep.txt"
run_bounded build "$T/c" -o "$T/public"
expect 1 "build, partner FIFO" "c/partners/brasov.yaml: error: not a regular file but a named pipe"
[ "$(cat "$T/public/keep.txt")" = previous ] && [ ! -e "$T/public/index.html" ] ||
	fail "build with a FIFO changed the output folder"

cp -R "$CONTENT" "$T/c2"
rm "$T/c2/briefing.yaml"
mkfifo "$T/c2/briefing.yaml"
run_bounded check "$T/c2"
expect 1 "check, briefing FIFO" "c2/briefing.yaml: error: not a regular file but a named pipe"

# A FIFO among the templates and as the language file of --templates.
mkdir -p "$T/tpl/html" "$T/tpl/i18n"
mkfifo "$T/tpl/html/index.mustache"
run_bounded build "$CONTENT" -o "$T/public2" --templates "$T/tpl"
expect 1 "build, template FIFO" \
	"tpl/html/index.mustache: error: not a regular file but a named pipe (FIFO); not read"
rm "$T/tpl/html/index.mustache"
mkfifo "$T/tpl/i18n/da.yaml"
run_bounded build "$CONTENT" -o "$T/public2" --templates "$T/tpl"
expect 1 "build, language file FIFO" "tpl/i18n/da.yaml: error: not a regular file but a named pipe"
[ ! -e "$T/public2" ] || fail "a failed build wrote its output folder"

# A socket in place of a partner file (python3 binds one), when available.
if command -v python3 >/dev/null 2>&1; then
	cp -R "$CONTENT" "$T/c3"
	rm "$T/c3/partners/brasov.yaml"
	python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' \
		"$T/c3/partners/brasov.yaml"
	run_bounded check "$T/c3"
	expect 1 "check, partner socket" "c3/partners/brasov.yaml: error: not a regular file but a socket"
fi
echo "ok: FIFOs and sockets refused at once"

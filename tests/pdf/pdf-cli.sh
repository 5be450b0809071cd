# pdf-cli.sh: --pdf on the command line, end to end with Debian's Chromium
# and with fake engines.
#   - publish --pdf puts bilag.pdf in the published folder, listed in
#     SHA256SUMS (verify passes), with the document's title;
#   - SIGTERM and SIGINT while the engine hangs stop briefgen within a
#     second or two, kill the engine, leave no temporary file and leave the
#     output as it was;
#   - build --pdf with an engine that crashes after writing half a PDF
#     leaves the output as it was.
. "$SRCDIR/tests/write/lib.sh"
scratch
command -v chromium >/dev/null || fail "chromium is missing: run build-aux/install-deps"
command -v pdfinfo >/dev/null || fail "pdfinfo is missing: run build-aux/install-deps"

# --- publish --pdf ----------------------------------------------------------
"$BRIEFGEN" publish "$CONTENT" --to "$T/pub" --pdf 2>"$T/err" || { cat "$T/err"; fail "publish --pdf"; }
clean_stderr "$T/err" "publish --pdf"
[ -s "$T/pub/bilag.pdf" ] || fail "publish --pdf wrote no bilag.pdf"
grep -q ' bilag.pdf$' "$T/pub/SHA256SUMS" || fail "bilag.pdf is not in SHA256SUMS"
"$BRIEFGEN" verify "$T/pub" || fail "verify after publish --pdf"
title=$(sed -n 's/^title: //p' "$CONTENT/briefing.yaml")
pdfinfo "$T/pub/bilag.pdf" | grep -q "^Title: *$title\$" || fail "bilag.pdf's Title is not '$title'"
pdfinfo "$T/pub/bilag.pdf" | grep -q '^Tagged: *yes' || fail "bilag.pdf is not tagged"

# --- signals while the engine hangs -------------------------------------------
"$BRIEFGEN" build "$CONTENT" -o "$T/out" 2>/dev/null || fail "plain build"
snap "$T/out" >"$T/before"
mkdir "$T/tmp"
cat >"$T/hang" <<'SH'
#!/bin/sh
echo $$ >"$PIDFILE"
sleep 1000 &
wait
SH
chmod +x "$T/hang"
for sig in TERM INT; do
	rm -f "$T/pid"
	TMPDIR="$T/tmp" PIDFILE="$T/pid" "$BRIEFGEN" build "$CONTENT" -o "$T/out" --pdf \
		--chromium "$T/hang" 2>"$T/err" &
	bg=$!
	i=0
	while [ ! -s "$T/pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ -s "$T/pid" ] || fail "SIG$sig: the fake engine never started"
	kill -"$sig" $bg
	i=0
	while kill -0 $bg 2>/dev/null && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
	kill -0 $bg 2>/dev/null && { kill -9 $bg; fail "SIG$sig: briefgen still runs 2 s later"; }
	wait $bg && fail "SIG$sig: briefgen exited 0"
	engine=$(cat "$T/pid")
	i=0
	while kill -0 -- "-$engine" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
	kill -0 -- "-$engine" 2>/dev/null && fail "SIG$sig: the engine's processes outlive briefgen"
	[ -z "$(ls -A "$T/tmp")" ] || fail "SIG$sig: temporary files left: $(ls -A "$T/tmp")"
	snap "$T/out" | cmp -s - "$T/before" || fail "SIG$sig: the output changed"
	grep -q 'interrupted' "$T/err" || { cat "$T/err"; fail "SIG$sig: no word of the interruption"; }
	clean_stderr "$T/err" "SIG$sig"
done

# --- an engine that writes half a PDF and crashes ------------------------------
cat >"$T/half" <<'SH'
#!/bin/sh
for a; do case $a in --print-to-pdf=*) head -c 3000 "$GOOD" >"${a#--print-to-pdf=}";; esac; done
kill -SEGV $$
SH
chmod +x "$T/half"
GOOD="$T/pub/bilag.pdf" TMPDIR="$T/tmp" "$BRIEFGEN" build "$CONTENT" -o "$T/out" --pdf \
	--chromium "$T/half" 2>"$T/err" && fail "a crashing engine gave a build"
grep -q 'crashed' "$T/err" || { cat "$T/err"; fail "the crash is not reported"; }
clean_stderr "$T/err" "crashing engine"
snap "$T/out" | cmp -s - "$T/before" || fail "a crashing engine changed the output"
[ -z "$(ls -A "$T/tmp")" ] || fail "a crashing engine left temporary files"
echo "ok: publish --pdf, signals while printing, a crashing engine"

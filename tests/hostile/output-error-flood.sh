# hostile/output-error-flood: one line of 20 000 wrongly typed items
# (`focus: [[], [], ...]`, 80 kB, well under the file size limit) and the
# same in 40 files: `check` finishes in under 2 s, prints at most 20
# diagnostics of a file and 200 in all plus one line counting the rest,
# shows each source line once and as a window, and still counts every
# error in the summary and the exit status.
. "$SRCDIR/tests/write/lib.sh"
scratch

# The 2-second bound is for an optimised build; a sanitizer build (the
# ASan/UBSan preset) runs several times slower and gets 10 s.
limit=2000
if grep -qa __asan_init "$BRIEFGEN"; then
	limit=10000
fi

# Run check on $1 within $limit ms: output in $T/err, status in $rc.
check_bounded() {
	start=$(date +%s%N)
	timeout 10 "$BRIEFGEN" check "$1" >"$T/out" 2>"$T/err"
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ $rc -ne 124 ] || fail "check $1 did not finish in 10 s"
	[ $ms -lt $limit ] || fail "check $1 took $ms ms (limit $limit)"
	[ ! -s "$T/out" ] || fail "check wrote to stdout"
}

items=$(awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%s[]", i ? ", " : ""; }')
cp -R "$CONTENT" "$T/c"
awk -v items="$items" '
	/^focus:/ { print "focus: [" items "]"; skip = 1; next }
	skip && /^  - / { next }
	{ skip = 0; print }' "$CONTENT/partners/brasov.yaml" >"$T/c/partners/brasov.yaml"
size=$(wc -c <"$T/c/partners/brasov.yaml")
[ "$size" -gt 80000 ] && [ "$size" -lt 262144 ] || fail "flood file is $size bytes"

# The most one file within the size limit (256 KiB) can hold: 65 000 items.
cp -R "$CONTENT" "$T/max"
awk '
	/^focus:/ { printf "focus: ["; for (i = 0; i < 65000; i++) printf "%s[]", i ? "," : "";
		    print "]"; skip = 1; next }
	skip && /^  - / { next }
	{ skip = 0; print }' "$CONTENT/partners/brasov.yaml" >"$T/max/partners/brasov.yaml"
size=$(wc -c <"$T/max/partners/brasov.yaml")
[ "$size" -gt 190000 ] && [ "$size" -lt 262144 ] || fail "largest flood file is $size bytes"
check_bounded "$T/max"
[ $rc -eq 1 ] || fail "exit status $rc for the largest flood, expected 1"
grep -q '^65000 errors' "$T/err" || fail "largest flood: $(tail -1 "$T/err")"
[ "$(wc -c <"$T/err")" -lt 16384 ] || fail "largest flood: $(wc -c <"$T/err") bytes of diagnostics"

check_bounded "$T/c"
[ $rc -eq 1 ] || fail "exit status $rc, expected 1"
bytes=$(wc -c <"$T/err")
[ "$bytes" -lt 16384 ] || fail "$bytes bytes of diagnostics for one file (limit 16 KiB)"
n=$(grep -c "brasov.yaml:[0-9]*:[0-9]*: error: an item of 'focus' must be text, not a list" "$T/err")
[ "$n" -eq 20 ] || fail "$n diagnostics printed in full, expected 20"
grep -q "brasov.yaml: note: 19980 more diagnostics in this file not shown (the first 20 are)$" "$T/err" ||
	fail "no line counting the other 19980: $(tail -3 "$T/err")"
grep -q '^20000 errors' "$T/err" || fail "summary does not count all 20000: $(tail -1 "$T/err")"
# The line is shown once, cut to a window.
n=$(grep -c '^    focus: \[' "$T/err")
[ "$n" -eq 1 ] || fail "source line shown $n times, expected once"
long=$(awk 'length($0) > 400' "$T/err" | wc -l)
[ "$long" -eq 0 ] || fail "$long printed lines longer than 400 characters"
# Written through a buffer: a handful of write()s, not one per character
# (before, the line was reprinted a byte at a time for every diagnostic).
# Only where strace is installed and allowed to trace.
if command -v strace >/dev/null 2>&1; then
	strace -f -o "$T/trace" -e trace=write "$BRIEFGEN" check "$T/c" >/dev/null 2>"$T/err2" || :
fi
if [ -s "$T/trace" ]; then
	writes=$(grep -c 'write(2,' "$T/trace")
	[ "$writes" -le 16 ] || fail "$writes write() calls to stderr for one file's diagnostics"
	echo "stderr written in $writes write() calls"
fi

# 40 such files: 200 printed in full in all, one closing line.
for i in $(seq 1 40); do
	cp "$T/c/partners/brasov.yaml" "$T/c/partners/flood-$i.yaml"
done
check_bounded "$T/c"
[ $rc -eq 1 ] || fail "exit status $rc with 41 files, expected 1"
bytes=$(wc -c <"$T/err")
[ "$bytes" -lt 65536 ] || fail "$bytes bytes of diagnostics for 41 files (limit 64 KiB)"
n=$(grep -c ': error: ' "$T/err")
[ "$n" -le 200 ] || fail "$n errors printed in full, at most 200 allowed"
grep -q '^briefgen: note: [0-9]* more diagnostics not shown (at most 200 are)$' "$T/err" ||
	fail "no closing line for the run: $(tail -3 "$T/err")"
grep -q '^820000 errors' "$T/err" || fail "summary does not count all: $(tail -1 "$T/err")"
echo ok

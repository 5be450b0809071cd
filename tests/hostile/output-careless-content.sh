# hostile/output-careless-content: what a tired secretary writes gets a
# warning at its line (issue 8, item 3): a cost line copied twice in a
# partner (it would be counted twice), a `summary` longer than 600
# characters, a partner the recommendation ends that still has costs in the
# budget year.  Warnings only: check exits 0, and 1 with --strict.
. "$SRCDIR/tests/write/lib.sh"
scratch

cp -R "$CONTENT" "$T/c"
b=$T/c/partners/brasov.yaml
# The last cost line of brasov (lines 37-45) written twice.
[ "$(wc -l <"$b")" -eq 45 ] || fail "brasov.yaml changed shape; adjust the test"
sed -n '37,45p' "$b" >>"$b"
# Another copy with a different amount is a different line: no warning.
sed -n '37,45p' "$b" | sed 's/amount: 25000/amount: 26000/' >>"$b"
# A summary of 2 400 characters in shanghai, one of exactly 600 in gyor.
long=$(awk 'BEGIN { for (i = 0; i < 240; i++) printf "Samarbejd "; }' | sed 's/ $/./')
# set_summary SLUG TEXT: replace the partner's summary (one or more lines).
set_summary() {
	awk -v s="$2" '/^summary:/ { print "summary: " s; skip = 1; next }
		skip && /^  / { next } { skip = 0; print }' \
		"$CONTENT/partners/$1.yaml" >"$T/c/partners/$1.yaml"
	grep -q "^summary: $(printf '%s' "$2" | cut -c1-10)" "$T/c/partners/$1.yaml" ||
		fail "could not set the summary of $1"
}
set_summary shanghai "$long"
set_summary gyor-moson-sopron "$(awk 'BEGIN { for (i = 0; i < 60; i++) printf "æøåæøåæøå."; }')"

"$BRIEFGEN" check "$T/c" >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] || fail "check exited $rc (warnings only): $(cat "$T/err")"
grep -q "^$T/c/partners/brasov.yaml:46:5: warning: cost line 'Aktiviteter i forbindelse med samarbejdsaftalen med Brasov' repeats an earlier one (same label, amount, year and kind)$" "$T/err" ||
	fail "no warning for the copied cost line: $(cat "$T/err")"
grep -q "^$T/c/partners/brasov.yaml:37:5: note: 'Aktiviteter i forbindelse med samarbejdsaftalen med Brasov' first written here$" "$T/err" ||
	fail "no note at the first cost line"
n=$(grep -c "repeats an earlier one" "$T/err")
[ "$n" -eq 1 ] || fail "$n repeat warnings, expected 1 (a different amount is another line)"
line=$(grep -n '^summary:' "$T/c/partners/shanghai.yaml" | cut -d: -f1)
grep -q "^$T/c/partners/shanghai.yaml:$line:10: warning: 'summary' of 'shanghai' is 2400 characters, longer than the 600 of a summary$" "$T/err" ||
	fail "no warning for the long summary: $(cat "$T/err")"
grep -q "'summary' of 'gyor-moson-sopron'" "$T/err" && fail "a summary of exactly 600 characters was warned about"
grep -q '^3 warnings$' "$T/err" || fail "expected 3 warnings (with Kulturinstituttet's): $(tail -3 "$T/err")"
"$BRIEFGEN" check --strict "$T/c" >/dev/null 2>&1
[ $? -eq 1 ] || fail "check --strict did not fail on the warnings"

# A partner the recommendation ends with costs in the budget year.
cp -R "$SRCDIR/tests/render/budget-ended" "$T/e"
"$BRIEFGEN" check "$T/e" >"$T/out" 2>"$T/err" || fail "budget-ended: check failed"
grep -q "^$T/e/partners/d.yaml:3:9: warning: partner 'd' is to be terminated but has 3 cost lines in the budget year 2007$" "$T/err" ||
	fail "no warning for the ended partner d: $(cat "$T/err")"
grep -q "^$T/e/partners/d.yaml:6:5: note: 'Drift' counts in 2007$" "$T/err" || fail "no note at d's first cost"
# With `until` before the budget year the partnership costs nothing more.
sed -i 's/recurrence: yearly,/recurrence: yearly, until: 2006,/; s/year: 2007/year: 2006/g' "$T/e/partners/d.yaml"
"$BRIEFGEN" check "$T/e" >"$T/out" 2>"$T/err" || fail "budget-ended edited: check failed"
grep -q "partner 'd' is to be terminated" "$T/err" && fail "warned about d without costs in the year"
echo ok

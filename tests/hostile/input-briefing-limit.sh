# hostile/input-briefing-limit: briefing.yaml's size limit follows the
# content (load/loader.h).  20 000 partners with slugs like the seed's
# (gyor-moson-sopron, lower-silesia-7), each listed twice in block lists as
# a secretary writes them, make a briefing.yaml of about 1 MB, four times
# the 256 KiB of any other file: `check` accepts it.  Garbage pasted over
# the limit is refused from its size alone, before a byte of it is parsed,
# and the largest flood of wrong items the limit lets in is checked within
# a bounded time, as tests/hostile/output-error-flood does for 256 KiB.
. "$SRCDIR/tests/write/lib.sh"
scratch

# Bounds for an optimised build; a sanitizer build runs several times slower.
limit=3000
flood_limit=6000
if grep -qa __asan_init "$BRIEFGEN"; then
	limit=30000
	flood_limit=60000
fi

# Run check on $1 within $2 ms: output in $T/err, status in $rc.
check_bounded() {
	start=$(date +%s%N)
	timeout 120 "$BRIEFGEN" check "$1" >"$T/out" 2>"$T/err"
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ $rc -ne 124 ] || fail "check $1 did not finish in 120 s"
	[ $ms -lt "$2" ] || fail "check $1 took $ms ms (limit $2)"
	[ ! -s "$T/out" ] || fail "check wrote to stdout"
	clean_stderr "$T/err" "check $1"
	echo "check $(basename "$1"): $ms ms, exit $rc"
}

# 20 000 partner files named like the seed's partners (the stems of
# bench/gen-content --seed-slugs, round robin: gyor-moson-sopron,
# gyor-moson-sopron-2, ...), in the order briefing.yaml lists them; every
# 11th partner ends.
mkdir -p "$T/c/partners"
awk -v dir="$T/c" 'BEGIN {
	n = split("lower-silesia lesser-poland lodz-region west-pomerania holy-cross " \
		  "greater-poland warmia-masuria pomerania gyor-moson-sopron bacs-kiskun " \
		  "hajdu-bihar veszprem fejer-megye csongrad borsod-abauj tolna-megye brasov " \
		  "timis-judet constanta iasi-judet sibiu-judet mures-judet bistrita-nasaud " \
		  "pilsen-region south-bohemia hradec-kralove usti-region vysocina " \
		  "olomouc-region liberec-region vastra-gotaland skane orebro-lan jonkoping-lan " \
		  "vasterbotten norrbotten ostergotland leningrad-oblast pskov-oblast " \
		  "novgorod-oblast kaliningrad murmansk-oblast karelia shanghai jiangsu zhejiang " \
		  "guangdong shandong tianjin schleswig-holstein mecklenburg lower-saxony " \
		  "brandenburg", stem, " ")
	for (i = 1; i <= 20000; i++) {
		s = stem[(i - 1) % n + 1]
		k = int((i - 1) / n) + 1
		slug = k == 1 ? s : s "-" k
		f = dir "/partners/" slug ".yaml"
		printf "name: Partner %d\ncountry: HU\nstatus: %s\nsummary: Samarbejde om energi.\n",
		       i, i % 11 ? "continue" : "terminate" >f
		close(f)
		print slug
	}
}' >"$T/slugs"
[ "$(wc -l <"$T/slugs")" -eq 20000 ] || fail "$(wc -l <"$T/slugs") partner files made"
{
	cat <<-'YAML'
	meeting:
	  committee: Forberedelsesudvalget
	  date: 2006-10-23
	  item: 18
	title: Internationale samarbejder
	budget_year: 2007
	introduction: Amterne har samarbejdet med regioner i flere lande.
	partners:
	YAML
	sed 's/^/  - /' "$T/slugs"
	cat <<-'YAML'
	recommendation:
	  by: Direktionen
	  decisions:
	    - text: at samarbejdet videreføres
	      status: continue
	      partners:
	YAML
	awk 'NR % 11 { print "        - " $0 }' "$T/slugs"
	cat <<-'YAML'
	    - text: at samarbejdet ophører
	      status: terminate
	      partners:
	YAML
	awk '!(NR % 11) { print "        - " $0 }' "$T/slugs"
} >"$T/c/briefing.yaml"
size=$(wc -c <"$T/c/briefing.yaml")
mean=$(awk '{ n += length($0) } END { printf "%.1f", n / NR }' "$T/slugs")
echo "briefing.yaml for 20 000 partners: $size bytes (slugs of $mean characters on average)"
[ "$size" -gt 900000 ] || fail "briefing.yaml is only $size bytes"
[ "$size" -lt 2097152 ] || fail "briefing.yaml is $size bytes, over 2 MiB"

check_bounded "$T/c" "$limit"
[ $rc -eq 0 ] || { tail -20 "$T/err"; fail "exit status $rc for 20 000 partners, expected 0"; }
grep -q ': 20000 partners, valid$' "$T/err" ||
	fail "check does not say the 20 000 partners are valid: $(tail -3 "$T/err")"

# The other readers of briefing.yaml follow the same limit: `dump tree`
# (which counts the partners/ beside it) and `new --partner`, which adds a
# candidate to it.  Both refused a file over 256 KiB before.
"$BRIEFGEN" dump tree "$T/c/briefing.yaml" >"$T/tree" 2>"$T/err" ||
	{ cat "$T/err"; fail "dump tree of the 20 000-partner briefing.yaml failed"; }
grep -q '^  [0-9]*:[0-9]* key "partners" plain$' "$T/tree" ||
	fail "dump tree shows no partners key: $(head -3 "$T/tree")"
"$BRIEFGEN" new --partner cork-kerry --name "Cork og Kerry" --country IE "$T/c" >"$T/out" 2>"$T/err" ||
	{ cat "$T/err"; fail "new --partner in the 20 000-partner folder failed"; }
grep -q -- '- cork-kerry$' "$T/c/briefing.yaml" ||
	fail "new --partner did not name cork-kerry in briefing.yaml"
check_bounded "$T/c" "$limit"
[ $rc -eq 0 ] || { tail -5 "$T/err"; fail "exit status $rc after new --partner, expected 0"; }

# Garbage over the limit (2 MiB + 1 byte, every line a YAML error): refused
# from its size, the limit explained, nothing of it parsed.
awk 'BEGIN { line = "]]]: {{{ @@@ ``` --- ... ||| >>> &&& *** !!! %%% ]]]: {{{ @@@ ``` --- ... ||| >>>"
	     n = 2097153
	     while (n > length(line) + 1) { print line; n -= length(line) + 1 }
	     for (i = 1; i < n; i++) printf "}"; print "" }' >"$T/c/briefing.yaml"
[ "$(wc -c <"$T/c/briefing.yaml")" -eq 2097153 ] || fail "garbage is $(wc -c <"$T/c/briefing.yaml") bytes"
check_bounded "$T/c" "$limit"
[ $rc -eq 1 ] || fail "exit status $rc for a garbage briefing.yaml, expected 1"
grep -q "briefing.yaml: error: file is larger than the limit of 2097152 bytes (256 KiB and 128 bytes for each file in partners/, at most 2 MiB)$" "$T/err" ||
	{ head -5 "$T/err"; fail "garbage over the limit not refused from its size"; }
n=$(grep -c 'briefing.yaml:[0-9]' "$T/err")
[ "$n" -eq 0 ] || fail "$n diagnostics at lines of the garbage: it was parsed"

# The most the limit lets in: 2 MiB of `partners: [[], [], ...]`, about
# 700 000 wrongly typed items, each an error.
awk 'BEGIN { printf "partners: ["; n = int((2097152 - 12) / 3)
	     for (i = 0; i < n; i++) printf "%s[]", i ? "," : ""; print "]" }' >"$T/c/briefing.yaml"
size=$(wc -c <"$T/c/briefing.yaml")
[ "$size" -gt 2000000 ] && [ "$size" -le 2097152 ] || fail "flood is $size bytes"
check_bounded "$T/c" "$flood_limit"
[ $rc -eq 1 ] || fail "exit status $rc for the flood, expected 1"
[ "$(wc -c <"$T/err")" -lt 65536 ] || fail "$(wc -c <"$T/err") bytes of diagnostics for the flood"
grep -q "briefing.yaml: note: [0-9]* more diagnostics in this file not shown" "$T/err" ||
	fail "flood: no closing line: $(tail -2 "$T/err")"
echo ok

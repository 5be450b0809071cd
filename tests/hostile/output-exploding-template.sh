# hostile/output-exploding-template: templates (--templates) whose sections
# over the partners nest inside each other.  Before, nine levels wrote a
# 615 MiB index.html and succeeded.  Now each build stops within seconds
# with exit status 1 and an error naming the template, holds no more than
# about the 64 MiB file limit in memory, and leaves the previous output as
# it was.
. "$SRCDIR/tests/write/lib.sh"
scratch

"$BRIEFGEN" build "$CONTENT" -o "$T/out" 2>/dev/null || fail "the bundled content does not build"
snap "$T/out" >"$T/before"

# nested LEVELS INNER: INNER inside LEVELS sections over the partners.
nested() {
	awk -v n="$1" -v inner="$2" 'BEGIN {
		for (i = 0; i < n; i++) printf "{{#briefing.partners}}";
		printf "%s", inner;
		for (i = 0; i < n; i++) printf "{{/briefing.partners}}";
		print "" }'
}

# try NAME WANT: build with $T/$NAME as --templates; stderr must hold WANT.
try() {
	start=$(date +%s%N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$T/rss" timeout 60 "$BRIEFGEN" build "$CONTENT" -o "$T/out" \
			--templates "$T/$1" >"$T/stdout" 2>"$T/err"
	else
		timeout 60 "$BRIEFGEN" build "$CONTENT" -o "$T/out" --templates "$T/$1" \
			>"$T/stdout" 2>"$T/err"
	fi
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ $rc -eq 1 ] || fail "$1: exit status $rc, expected 1: $(cat "$T/err")"
	grep -q "$2" "$T/err" || fail "$1: no error '$2' in: $(cat "$T/err")"
	grep -q "html/index.mustache" "$T/err" || fail "$1: the error does not name the template"
	[ $ms -lt 20000 ] || fail "$1: took $ms ms"
	if [ -s "$T/rss" ]; then
		kb=$(tail -1 "$T/rss")
		# 64 MiB of output, with sanitizers' shadow memory on top.
		[ "$kb" -lt 600000 ] || fail "$1: peak memory $kb KiB"
	fi
	snap "$T/out" >"$T/after"
	cmp -s "$T/before" "$T/after" || fail "$1: the previous output changed"
	echo "$1: $ms ms: $(grep ': error: ' "$T/err" | head -1)"
}

# The issue's case: nine levels over the six partners, a name in each.
mkdir -p "$T/names/html"
nested 9 '<p>{{name}}</p>' >"$T/names/html/index.mustache"
try names 'error: '

# Few levels around a large text: passes 64 MiB long before the step limit.
mkdir -p "$T/text/html"
text=$(awk 'BEGIN { for (i = 0; i < 1024; i++) printf "%064d", i }')
nested 4 "$text" >"$T/text/html/index.mustache"
try text "'index.html' passes 64 MiB, the limit of one output file"

# Fourteen levels that print nothing: 6^14 iterations, stopped by steps.
mkdir -p "$T/empty/html"
nested 14 '' >"$T/empty/html/index.mustache"
try empty 'rendering takes more than 20000000 steps'
echo ok

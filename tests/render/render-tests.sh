#!/usr/bin/env bash
# render-tests.sh CASE: end-to-end tests of `briefgen build`.
# Environment: BRIEFGEN (the binary), SRCDIR (the repository), MDTEXT (the
# mdtext tool).  Each case works in its own temporary folder.
set -u
: "${BRIEFGEN:?}" "${SRCDIR:?}"
export LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
build() { "$BRIEFGEN" build "$@" 2>"$tmp/stderr"; }

case "${1:?case}" in
golden-da|golden-en)
	lang=${1#golden-}
	golden="$SRCDIR/tests/render/golden/$lang"
	build "$SRCDIR/content" --lang "$lang" -o "$tmp/out" || { cat "$tmp/stderr" >&2; fail "build failed"; }
	if [ "${BLESS:-}" = 1 ]; then
		diff -ru "$golden" "$tmp/out" && exit 0
		rm -rf "$golden" && cp -a "$tmp/out" "$golden" && echo "re-blessed $golden"
		exit 0
	fi
	diff -ru "$golden" "$tmp/out" || fail "output differs from $golden (re-bless: BLESS=1 $0 $1)"
	;;
budget-dump)
	"$BRIEFGEN" dump budget "$SRCDIR/content" >"$tmp/budget.txt" 2>/dev/null || fail "dump failed"
	diff -u "$SRCDIR/tests/render/budget.expected" "$tmp/budget.txt" || fail "budget differs"
	;;
md-text)
	for lang in da en; do
		build "$SRCDIR/content" --lang $lang -o "$tmp/$lang" || fail "build $lang"
		"${MDTEXT:?}" "$tmp/$lang/briefing.md" "$tmp/$lang/print.html" || fail "$lang: briefing.md and print.html say different things"
	done
	;;
reproducible)
	build "$SRCDIR/content" -o "$tmp/a" || fail "first build"
	build "$SRCDIR/content" -o "$tmp/b" || fail "second build"
	diff -r "$tmp/a" "$tmp/b" || fail "two builds differ"
	SOURCE_DATE_EPOCH=1161561600 build "$SRCDIR/content" -o "$tmp/c" || fail "dated build"
	SOURCE_DATE_EPOCH=1161561600 build "$SRCDIR/content" -o "$tmp/d" || fail "dated build 2"
	diff -r "$tmp/c" "$tmp/d" || fail "two dated builds differ"
	grep -q "Dannet 23. oktober 2006" "$tmp/c/index.html" || fail "SOURCE_DATE_EPOCH not shown"
	! grep -rq "Dannet" "$tmp/a" || fail "undated build carries a date"
	;;
failed-build-keeps-output)
	build "$SRCDIR/content" -o "$tmp/out" || fail "first build"
	cp -a "$tmp/out" "$tmp/before"
	cp -r "$SRCDIR/content" "$tmp/content"
	sed -i 's/^country: CN/country: XX/' "$tmp/content/partners/shanghai.yaml"
	sed -i 's/^name: Shanghai Byprovins/name: Changed/' "$tmp/content/partners/shanghai.yaml"
	build "$tmp/content" -o "$tmp/out"; status=$?
	[ $status = 1 ] || fail "broken content: exit $status, expected 1"
	grep -q "shanghai.yaml:[0-9]*:[0-9]*: error: 'XX' is not an ISO 3166-1" "$tmp/stderr" || { cat "$tmp/stderr" >&2; fail "no diagnostic"; }
	grep -q "nothing was written" "$tmp/stderr" || fail "does not say nothing was written"
	diff -r "$tmp/before" "$tmp/out" || fail "previous output changed"
	ls -a "$tmp" | grep -q staging && fail "staging folder left behind"
	# A template error fails the build too, after validation: output still untouched.
	mkdir -p "$tmp/tpl/html" && printf '{{#broken}}\n' >"$tmp/tpl/html/index.mustache"
	build "$SRCDIR/content" --templates "$tmp/tpl" -o "$tmp/out"; status=$?
	[ $status = 1 ] || fail "broken template: exit $status"
	grep -q "index.mustache:1:1: error" "$tmp/stderr" || { cat "$tmp/stderr" >&2; fail "no template diagnostic"; }
	diff -r "$tmp/before" "$tmp/out" || fail "previous output changed by a template error"
	;;
stale-files-removed)
	cp -r "$SRCDIR/content" "$tmp/content"
	build "$tmp/content" -o "$tmp/out" || fail "first build"
	[ -f "$tmp/out/partners/brasov.html" ] || fail "no brasov page"
	# Drop Brasov from the briefing, its decision and its file.
	rm "$tmp/content/partners/brasov.yaml"
	sed -i '/^ *- brasov$/d' "$tmp/content/briefing.yaml"
	build "$tmp/content" -o "$tmp/out" || { cat "$tmp/stderr" >&2; fail "second build"; }
	[ ! -e "$tmp/out/partners/brasov.html" ] || fail "stale brasov.html left behind"
	;;
foreign-folder)
	mkdir "$tmp/out" && echo mine >"$tmp/out/notes.txt"
	build "$SRCDIR/content" -o "$tmp/out"; status=$?
	[ $status = 2 ] || fail "foreign folder: exit $status, expected 2"
	grep -q "notes.txt\|not created by briefgen\|briefgen did not" "$tmp/stderr" || { cat "$tmp/stderr" >&2; fail "unclear refusal"; }
	[ "$(cat "$tmp/out/notes.txt")" = mine ] || fail "user's file touched"
	build "$SRCDIR/content" -o "$tmp/out2" || fail "fresh build"
	echo mine >"$tmp/out2/extra.txt"
	build "$SRCDIR/content" -o "$tmp/out2"; status=$?
	[ $status = 2 ] || fail "foreign file inside: exit $status, expected 2"
	[ -f "$tmp/out2/extra.txt" ] || fail "user's file deleted"
	;;
internal)
	cp -r "$SRCDIR/content" "$tmp/content"
	c="$tmp/content"
	# An internal prose item, an internal cost and an internal partner.
	sed -i 's/^background:$/background:\n  - text: HEMMELIG-VURDERING af samarbejdet\n    internal: true/' "$c/briefing.yaml"
	cat >>"$c/partners/shanghai.yaml" <<'YAML'
  - label: HEMMELIG-POST til lukket punkt
    amount: 12345
    year: 2007
    kind: estimate
    internal: true
YAML
	sed -i 's/^\( *\)- vastra-gotaland$/\1- vastra-gotaland\n\1- lukket-region/' "$c/briefing.yaml"
	cat >"$c/partners/lukket-region.yaml" <<'YAML'
name: HEMMELIG-REGION
country: DE
status: explore
summary: HEMMELIG-RESUME
internal: true
YAML
	"$BRIEFGEN" check "$c" 2>"$tmp/check" || { cat "$tmp/check" >&2; fail "internal content does not validate"; }
	build "$c" -o "$tmp/out" || { cat "$tmp/stderr" >&2; fail "build"; }
	if grep -rl "HEMMELIG\|12.345\|lukket-region" "$tmp/out"; then fail "internal text reached the output"; fi
	grep -q "1.655.000" "$tmp/out/budget.html" || fail "internal cost changed the total"
	build "$c" -o "$tmp/in" --include-internal || fail "build --include-internal"
	for f in index.html print.html briefing.md budget.html partners/shanghai.html; do
		grep -q "HEMMELIG" "$tmp/in/$f" || fail "--include-internal: $f lacks the internal text"
	done
	grep -q 'class="internal"' "$tmp/in/index.html" || fail "internal text not marked"
	grep -q "Intern – offentliggøres ikke" "$tmp/in/partners/shanghai.html" || fail "internal cost not marked"
	[ -f "$tmp/in/partners/lukket-region.html" ] || fail "internal partner page missing"
	;;
safe-prose)
	cp -r "$SRCDIR/content" "$tmp/content"
	c="$tmp/content"
	cp "$c/partners/vastra-gotaland.yaml" "$tmp/vastra-gotaland.yaml"
	# A link to javascript: is an error of validation (issue 8, item 9),
	# at the field's line; the renderer's own filtering stays behind it.
	cat >>"$c/partners/vastra-gotaland.yaml" <<'YAML'
body: |
  Tekst med [et link](javascript:alert(2)).
YAML
	build "$c" -o "$tmp/out" && fail "a javascript: link was accepted"
	grep -q "vastra-gotaland.yaml:[0-9]*:7: error: link to 'javascript:alert(2)' in 'body' is not an http(s) address or a relative path" \
		"$tmp/stderr" || { cat "$tmp/stderr" >&2; fail "no error for the javascript: link"; }
	[ ! -e "$tmp/out" ] || fail "output written despite the error"
	for url in 'data:text/html,<b>x</b>' 'file:///etc/passwd' 'vbscript:msgbox' 'ftp://x.dk/a' 'JaVaScRiPt:alert(1)'; do
		cp "$tmp/vastra-gotaland.yaml" "$c/partners/vastra-gotaland.yaml"
		printf 'body: |\n  Se [her](<%s>) og ![billede](%s).\n' "$url" "$url" >>"$c/partners/vastra-gotaland.yaml"
		build "$c" -o "$tmp/out" && fail "a link to $url was accepted"
		grep -q "error: link to '.*' in 'body' is not an http(s) address" "$tmp/stderr" || fail "no error for $url"
	done
	cp "$tmp/vastra-gotaland.yaml" "$c/partners/vastra-gotaland.yaml"
	cat >>"$c/partners/vastra-gotaland.yaml" <<'YAML'
institutions:
  - name: "{{site.title}} <b>Bold</b>"
body: |
  Tekst <script>alert(1)</script> med [et link](https://example.org/) og
  {{site.title}} og <img src=x onerror=alert(3)>, [mail](mailto:a@b.dk),
  [lokalt](../budget.html#top) og [afsnit](#x).

  <div onclick="alert(4)">blok</div>
YAML
	build "$c" -o "$tmp/out" || { cat "$tmp/stderr" >&2; fail "build"; }
	if grep -rl "<script>alert\|javascript:\|onerror=alert\|<b>Bold" "$tmp/out"; then fail "unsafe markup reached the output"; fi
	grep -q "{{site.title}}" "$tmp/out/partners/vastra-gotaland.html" || fail "mustache-looking text was evaluated"
	grep -q "{{site.title}} &lt;b&gt;Bold" "$tmp/out/partners/vastra-gotaland.html" || fail "text not escaped"
	grep -q '{{site.title}} \\<b\\>Bold' "$tmp/out/partners/vastra-gotaland.md" || fail "text not escaped in Markdown"
	grep -q 'href="mailto:a@b.dk"' "$tmp/out/partners/vastra-gotaland.html" || fail "mailto: link lost"
	;;
budget-ended)
	# Partnerships the recommendation ends (issue 8, item 3): their costs
	# in the budget year are shown apart, named in the totals' note, and
	# in no total of budget.html, index.html, print.html or briefing.md.
	e="$SRCDIR/tests/render/budget-ended"
	"$BRIEFGEN" dump budget "$e" >"$tmp/budget.txt" 2>/dev/null || fail "dump failed"
	diff -u "$SRCDIR/tests/render/budget-ended.expected" "$tmp/budget.txt" || fail "budget differs"
	build "$e" -o "$tmp/out" || { cat "$tmp/stderr" >&2; fail "build"; }
	grep -q "warning: partner 'd' is to be terminated but has 3 cost lines in the budget year 2007" "$tmp/stderr" ||
		fail "no warning for d"
	o="$tmp/out"
	note='Udgifter til samarbejder, som indstillingen foreslår afsluttet, er vist for sig og ikke talt med i totalerne (Dalby, Esby).'
	grep -qF '<tr class="grand"><th scope="row">I alt</th><td class="num">1.100 kr.</td></tr>' "$o/budget.html" || fail "budget.html: total includes ended costs"
	grep -qF '<tr class="ended"><th scope="row">Ikke medregnet, samarbejder der foreslås afsluttet</th><td class="num">mindst 68 kr.</td></tr>' "$o/budget.html" || fail "budget.html: no ended row"
	grep -qF "$note" "$o/budget.html" || fail "budget.html: the note does not say so"
	grep -qF 'I alt Dalby (foreslås afsluttet, ikke med i totalerne)' "$o/budget.html" || fail "budget.html: Dalby's subtotal not marked"
	grep -qF '<tr class="grand"><th scope="row">I alt</th><td class="num">1.100 kr.</td></tr>' "$o/print.html" || fail "print.html: total"
	grep -qF 'mindst 68 kr.</td></tr>' "$o/print.html" || fail "print.html: no ended row"
	grep -qF "$note" "$o/print.html" || fail "print.html: note"
	grep -qF 'Udgifter i alt 2007: <strong>1.100 kr.</strong>' "$o/index.html" || fail "index.html: summary total"
	grep -qF 'Ikke medregnet, samarbejder der foreslås afsluttet: mindst 68 kr. (Dalby, Esby)' "$o/index.html" || fail "index.html: summary does not show the ended costs"
	grep -qF "$note" "$o/index.html" || fail "index.html: overview note"
	grep -qF '<span class="amt">100 kr.</span></td></tr>' "$o/index.html" || fail "index.html: partners total"
	grep -qF '| I alt | 1.100 kr. |' "$o/briefing.md" || fail "briefing.md: total"
	grep -qF '| Ikke medregnet, samarbejder der foreslås afsluttet | mindst 68 kr. |' "$o/briefing.md" || fail "briefing.md: no ended row"
	grep -qF "$note" "$o/briefing.md" || fail "briefing.md: note"
	grep -qF 'I alt 2007 (foreslås afsluttet, ikke med i totalerne)</th><td class="num">168 kr.' "$o/partners/d.html" || fail "d.html: subtotal not marked"
	grep -qF '| I alt 2007 (foreslås afsluttet, ikke med i totalerne) | | | 168 kr. |' "$o/partners/d.md" || fail "d.md: subtotal not marked"
	if grep -q 'foreslås afsluttet' "$o/partners/a.html"; then fail "a.html: a continuing partner marked"; fi
	# Where no partnership ends, nothing of it shows (the golden files
	# hold the bundled content's pages byte for byte).
	build "$SRCDIR/content" -o "$tmp/plain" || fail "bundled build"
	if grep -rl 'foreslås afsluttet\|class="ended"' "$tmp/plain"; then fail "ended costs shown without any"; fi
	;;
cost-notes)
	# The notes of a table's cost lines as one paragraph (site.c,
	# cost_notes_view): a note said again in a row once, a half sentence
	# (ending in a letter or digit) joined to the next by a dash, trailing
	# space dropped; internal costs' notes only with --include-internal; a
	# shared cost's note on both partners' pages, in the appendix only in
	# its owner's section.
	c="$SRCDIR/tests/render/cost-notes"
	a='Delt kontor med B – en rejse om året. tolkning ved møder 2007 – (se bilag) æøå sidst ø – mere.'
	ai='Delt kontor med B – en rejse om året. Intern udgift – tolkning ved møder 2007 – (se bilag) æøå sidst ø – mere.'
	pot='Puljen er til nye samarbejder – og til forprojekter.'
	for opt in "" --include-internal; do
		o="$tmp/out$opt"
		build $opt "$c" -o "$o" || { cat "$tmp/stderr" >&2; fail "build $opt"; }
		want=$a
		[ -n "$opt" ] && want=$ai
		grep -qxF "<p class=\"cost-text\">$want</p>" "$o/partners/a.html" || fail "a.html $opt"
		grep -qxF "$want" "$o/partners/a.md" || fail "a.md $opt"
		grep -qxF "<p class=\"cost-text\">$want</p>" "$o/print.html" || fail "print.html a $opt"
		grep -qxF "$want" "$o/briefing.md" || fail "briefing.md a $opt"
		grep -qxF '<p class="cost-text">B&#39;s egen udgift – Delt kontor med B</p>' "$o/partners/b.html" || fail "b.html $opt"
		grep -qxF "B's egen udgift – Delt kontor med B" "$o/partners/b.md" || fail "b.md $opt"
		grep -qxF '<p class="cost-text">B&#39;s egen udgift</p>' "$o/print.html" || fail "print.html b $opt"
		grep -qxF "B's egen udgift" "$o/briefing.md" || fail "briefing.md b $opt"
		grep -qF "<p class=\"cost-text\">$pot</p>" "$o/index.html" || fail "index.html pot $opt"
		grep -qxF "$pot" "$o/briefing.md" || fail "briefing.md pot $opt"
		# Years near the budget year (made once) and far from it.
		grep -qF '<td data-label="Siden">1950</td>' "$o/index.html" || fail "index.html since $opt"
		grep -qF '<tr class="out-of-year"><th scope="row">Sidst</th><td>fast</td><td>2006</td>' "$o/partners/a.html" ||
			fail "a.html: the year of a one-off cost $opt"
		# A yearly cost's last year, near the budget year and far from it
		# (cost_view puts the label's text and the year's together).
		grep -qF '<td>om året, indtil 2009</td>' "$o/partners/a.html" ||
			fail "a.html: a yearly cost until a year near $opt"
		grep -qF '<td>om året, indtil 2100</td>' "$o/partners/a.html" ||
			fail "a.html: a yearly cost until a year far $opt"
		grep -qF '| om året, indtil 2100 |' "$o/partners/a.md" ||
			fail "a.md: a yearly cost until a year far $opt"
	done
	;;
md-links)
	# A URL with characters Markdown ends a link at (')', space, '<', '>')
	# stays whole in the .md output (issue 8, item 9).
	cp -r "$SRCDIR/content" "$tmp/content"
	c="$tmp/content"
	url='https://example.org/tilgængelighed_(rm)/side 2<x>'
	sed -i "s|^\(  url: \).*|\1\"$url\"|" "$c/briefing.yaml"
	grep -q 'side 2<x>' "$c/briefing.yaml" || fail "could not set the url"
	cat >>"$c/partners/vastra-gotaland.yaml" <<'YAML'
body: |
  Se [wiki](https://da.wikipedia.org/wiki/Västra_Götaland_(län)) og
  [mappen](<https://example.org/a b/c>).
YAML
	build "$c" -o "$tmp/out" || { cat "$tmp/stderr" >&2; fail "build"; }
	"${MDTEXT:?}" --links "$tmp/out/briefing.md" >"$tmp/links" || fail "mdtext"
	grep -qxF 'Tilgængelighedserklæring -> https://example.org/tilgængelighed_(rm)/side%202%3Cx%3E' "$tmp/links" ||
		{ cat "$tmp/links" >&2; fail "the accessibility link is not whole in briefing.md"; }
	"$MDTEXT" --links "$tmp/out/partners/vastra-gotaland.md" >"$tmp/plinks" || fail "mdtext"
	grep -qxF 'wiki -> https://da.wikipedia.org/wiki/Västra_Götaland_(län)' "$tmp/plinks" ||
		{ cat "$tmp/plinks" >&2; fail "a prose link with parentheses is not whole"; }
	grep -qF 'mappen -> https://example.org/a' "$tmp/plinks" && grep -qF '/c' "$tmp/plinks" ||
		{ cat "$tmp/plinks" >&2; fail "a prose link with a space is not whole"; }
	grep -q 'href="https://example.org/tilgængelighed_(rm)/side 2&lt;x&gt;"' "$tmp/out/index.html" ||
		grep -q 'tilgængelighed_(rm)' "$tmp/out/index.html" || fail "the HTML link lost"
	;;
templates-override)
	"$BRIEFGEN" templates export "$tmp/tpl" 2>/dev/null || fail "export"
	[ -f "$tmp/tpl/html/index.mustache" ] && [ -f "$tmp/tpl/i18n/da.yaml" ] || fail "export incomplete"
	echo "changed" >>"$tmp/tpl/html/layout.mustache"
	"$BRIEFGEN" templates export "$tmp/tpl" 2>/dev/null || fail "second export"
	tail -1 "$tmp/tpl/html/layout.mustache" | grep -q changed || fail "export overwrote an edited file"
	mkdir -p "$tmp/only/i18n"
	sed 's/^nav_budget: Budget$/nav_budget: Pengene/' "$SRCDIR/templates/i18n/da.yaml" >"$tmp/only/i18n/da.yaml"
	build "$SRCDIR/content" --templates "$tmp/only" -o "$tmp/out" || fail "build with override"
	grep -q ">Pengene<" "$tmp/out/index.html" || fail "override not used"
	grep -q "<table" "$tmp/out/index.html" || fail "built-in templates not used for the rest"
	;;
pathological)
	# cmark 0.30's known quadratic inputs (CVE-2023-22486 nested "![[]()",
	# deep lists, bracket runs, emphasis runs), each at the size cap of a
	# prose field: the build must finish (ctest's TIMEOUT for this test is
	# 60 s; bench/README.md has the time, about 0.03 s) and write the text.
	cp -r "$SRCDIR/content" "$tmp/content"
	rep() { local i; for ((i = 0; i < $2; i++)); do printf '%s' "$1"; done; }
	body() { # slug text: replace the partner's body with a quoted scalar
		local f="$tmp/content/partners/$1.yaml"
		awk '/^body:/ {skip = 1; next} skip && /^(  |$)/ {next} {skip = 0; print}' "$f" >"$f.new"
		printf 'body: "%s"\n' "$2" >>"$f.new" && mv "$f.new" "$f"
	}
	body brasov "$(rep '![[]()' 2660)"
	body nedre-schlesien "$(rep '[' 8000)$(rep ']' 7990)"
	body leningrad-oblast "$(rep '*a ' 5300)"
	body gyor-moson-sopron "$(rep '> ' 7990)x"
	body bacs-kiskun "$(rep '`' 16000)"
	nested=""; for ((i = 0; i < 110; i++)); do nested+="$(rep '  ' $i)- x\n"; done
	body shanghai "$nested"
	build "$tmp/content" -o "$tmp/out" || { cat "$tmp/stderr" >&2; fail "build"; }
	[ "$(grep -o '<ul>' "$tmp/out/partners/shanghai.html" | wc -l)" -ge 100 ] || fail "nested list lost"
	grep -q '!\[\[\]()' "$tmp/out/partners/brasov.md" || grep -q '!\\\[' "$tmp/out/partners/brasov.md" || fail "brackets lost"
	# One byte over the cap is refused with a clear error, nothing written.
	body brasov "$(rep 'x' 16385)"
	build "$tmp/content" -o "$tmp/out2"; status=$?
	[ $status = 1 ] || fail "over-long prose: exit $status"
	grep -q "'body' is 16385 bytes, more than the limit of 16384" "$tmp/stderr" || { cat "$tmp/stderr" >&2; fail "no size diagnostic"; }
	[ ! -e "$tmp/out2" ] || fail "output written despite the error"
	;;
schema-doc)
	"$BRIEFGEN" schema >"$tmp/format.md" || fail "schema"
	diff -u "$SRCDIR/docs/format.md" "$tmp/format.md" ||
		fail "docs/format.md is stale: run briefgen schema > docs/format.md"
	for key in meeting committee prepared_by date item title subtitle language budget_year \
		introduction background considerations purposes priorities partners new_partnerships \
		text candidates costs recommendation by decisions status name local_name country \
		since origin focus summary body institutions city note label amount year kind \
		recurrence shared_with alternatives until internal; do
		grep -q "^| \`$key\`" "$tmp/format.md" || fail "field '$key' is not documented"
	done
	;;
bidi-prose)
	# A right-to-left override in prose is a warning, and dropped from every
	# page and Markdown file, so it cannot reverse the text after it.
	cp -r "$SRCDIR/content" "$tmp/content"
	sed -i 's|^  - at Region Midtjylland skal være Danmarks internationale vækstregion$|  - "at Region Midtjylland skal være \\u202eomvendt tekst\\u202c og \\u2067isoleret\\u2069 slut"|' \
		"$tmp/content/briefing.yaml"
	grep -q 'u202eomvendt' "$tmp/content/briefing.yaml" || fail "test text not set"
	"$BRIEFGEN" check "$tmp/content" 2>"$tmp/check" || { cat "$tmp/check" >&2; fail "check failed"; }
	grep -q 'briefing.yaml:[0-9]*:[0-9]*: warning: .*\\u202e' "$tmp/check" ||
		{ cat "$tmp/check" >&2; fail "no warning naming \\u202e"; }
	build "$tmp/content" -o "$tmp/out" || { cat "$tmp/stderr" >&2; fail "build failed"; }
	grep -q 'omvendt tekst og isoleret slut' "$tmp/out/index.html" || fail "the prose is not in index.html"
	grep -q 'omvendt tekst og isoleret slut' "$tmp/out/briefing.md" || fail "the prose is not in briefing.md"
	if grep -rlq -e "$(printf '\342\200\256')" -e "$(printf '\342\201\247')" "$tmp/out"; then
		fail "a bidirectional control reached the output: $(grep -rl "$(printf '\342\200\256')" "$tmp/out")"
	fi
	;;
css-escape)
	# The running header is literal CSS in print.html's <style>: a title
	# with quotes, a backslash and markup stays one CSS string, and cannot
	# end the style element or start a script.
	cp -r "$SRCDIR/content" "$tmp/content"
	sed -i 's|^title: .*|title: '"'"'Et "citat" \\ og </style><script>alert(1)</script> slut'"'"'|' \
		"$tmp/content/briefing.yaml"
	grep -q '^title: .*</style>' "$tmp/content/briefing.yaml" || fail "test title not set"
	build "$tmp/content" -o "$tmp/out" || { cat "$tmp/stderr" >&2; fail "build failed"; }
	p="$tmp/out/print.html"
	[ "$(grep -o '</style>' "$p" | wc -l)" = 1 ] || fail "the title ended the style element"
	! grep -q '<script' "$p" || fail "the title put a script into print.html"
	grep -q '@top-left { content: "Bilag til punkt nr\. 18 · Et \\22 citat\\22  \\5c  og \\3c /style\\3e \\3c script\\3e alert(1)\\3c /script\\3e  slut"; }' "$p" ||
		{ grep -n '@top-left' "$p" >&2; fail "the running header is not the escaped title"; }
	;;
jobs-identical)
	# Partners rendered by several threads (-j) give the very bytes of one
	# thread, and the same messages: the bundled content, a generated one
	# of 400 partners (bench/gen-content: warnings for amounts not stated),
	# and one with errors in many partner files.  Under the tsan preset this
	# is also the race test of the thread pools.
	sums() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum); }
	for bad in 0 65 x 2x; do
		"$BRIEFGEN" build "$SRCDIR/content" -o "$tmp/out" -j "$bad" 2>"$tmp/stderr"
		[ $? = 2 ] || fail "-j $bad: exit status not 2"
		grep -q "from 1 to 64, not '$bad'" "$tmp/stderr" || fail "-j $bad: no usage error"
	done
	"${GEN_CONTENT:?}" 400 "$tmp/big" >/dev/null || fail "gen-content"
	for c in "$SRCDIR/content" "$tmp/big"; do
		for j in 1 2 3 8; do
			"$BRIEFGEN" build "$c" -o "$tmp/out-$j" -j $j 2>"$tmp/stderr-$j" ||
				{ cat "$tmp/stderr-$j" >&2; fail "build -j $j of $c"; }
			sed -i "s|out-$j/|OUT/|g" "$tmp/stderr-$j"
		done
		sums "$tmp/out-1" >"$tmp/sums-1"
		grep -q 'partners/' "$tmp/sums-1" || fail "no partner pages in $c"
		for j in 2 3 8; do
			sums "$tmp/out-$j" | diff -u "$tmp/sums-1" - || fail "-j $j differs from -j 1 for $c"
			diff -u "$tmp/stderr-1" "$tmp/stderr-$j" || fail "-j $j says other things than -j 1 for $c"
		done
		rm -rf "$tmp"/out-*
	done
	grep -q "warning" "$tmp/stderr-1" || fail "the generated content gave no warning to compare"
	# Errors: every seventh partner file with an unknown country, every
	# thirteenth with a broken line; check and build say the same at any -j.
	i=0
	for f in "$tmp/big/partners/"*.yaml; do
		i=$((i + 1))
		[ $((i % 7)) = 0 ] && sed -i 's/^country: \(..\)/country: X\1/' "$f"
		[ $((i % 13)) = 0 ] && printf 'name: [broken\n' >"$f"
	done
	for j in 1 2 8; do
		"$BRIEFGEN" build "$tmp/big" -o "$tmp/out" -j $j >"$tmp/err-$j" 2>&1
		[ $? = 1 ] || fail "broken content, -j $j: exit status not 1"
		[ ! -e "$tmp/out" ] || fail "broken content, -j $j: output written"
	done
	grep -q "error: " "$tmp/err-1" || fail "no error reported"
	diff -u "$tmp/err-1" "$tmp/err-2" || fail "-j 2 reports errors otherwise"
	diff -u "$tmp/err-1" "$tmp/err-8" || fail "-j 8 reports errors otherwise"
	;;
*)
	fail "unknown case $1"
	;;
esac
exit 0

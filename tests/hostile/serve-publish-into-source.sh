#!/bin/sh
# Issue 8, item 6: publish never touches its source.  A target that is the
# content or templates folder, lies inside one or holds one is refused
# before anything is written, with or without --force, also through a
# symlink and through a path spelt with '..'; a target whose parent folder
# does not exist gets one line that says so.  After every refusal the
# content, the templates and the folder around them are byte for byte as
# before (no lock file, no staging folder, no previous version).
. "$SRCDIR/tests/write/lib.sh"
scratch
B=$BRIEFGEN
W=$T/work
mkdir "$W"
cp -R "$CONTENT" "$W/content"
$B templates export "$W/tpl" 2>"$T/err" || { cat "$T/err"; fail "templates export"; }
ln -s content "$W/alias"
mkdir "$W/elsewhere"
ln -s ../content/partners "$W/elsewhere/p"
snap "$W" >"$T/before"

refused() {
	# $1: what the message must say; the rest: the publish arguments.
	want=$1
	shift
	(cd "$W" && $B publish "$@") >"$T/out" 2>"$T/err"
	st=$?
	[ $st -eq 2 ] || { cat "$T/err"; fail "publish $*: exit $st, want 2"; }
	clean_stderr "$T/err" "publish $*"
	grep -q -- "$want" "$T/err" || { cat "$T/err"; fail "publish $*: message lacks '$want'"; }
	[ "$(grep -c . "$T/err")" -eq 1 ] || { cat "$T/err"; fail "publish $*: not one line"; }
	snap "$W" >"$T/after"
	cmp -s "$T/before" "$T/after" || { diff "$T/before" "$T/after"; fail "publish $* wrote something"; }
}

for force in "" --force; do
	refused "inside the content folder" content --to content/partners/pub.yaml $force
	refused "inside the content folder" content --to content/partners $force
	refused "inside the content folder" content --to content/new-site $force
	refused "is the content folder" content --to content $force
	refused "is the content folder" content --to content/ $force
	refused "is the content folder" content --to ./content/../content $force
	refused "is the content folder" content --to alias $force
	refused "inside the content folder" content --to elsewhere/p $force
	refused "inside the content folder" content --to alias/partners/x $force
	refused "holds the content folder" content --to "$W" $force
	refused "holds the content folder" content --to ../work $force
	refused "inside the templates folder" content --templates tpl --to tpl/html $force
	refused "is the templates folder" content --templates tpl --to tpl $force
	refused "inside the templates folder" content --templates tpl --to tpl/out $force
	# The same from inside the content folder, named '.'.
	(cd "$W/content" && $B publish . --to partners/x $force) >"$T/out" 2>"$T/err"
	[ $? -eq 2 ] && grep -q "inside the content folder" "$T/err" ||
		{ cat "$T/err"; fail "publish . --to partners/x $force"; }
	# rollback of the source is refused the same way when it is named.
done
snap "$W" >"$T/after"
cmp -s "$T/before" "$T/after" || fail "the work folder changed"

# A missing parent: one line naming the folder that is missing.
refused "the folder 'no/such' does not exist" content --to no/such/site
refused "the folder 'no/such' does not exist" content --to no/such/site --force
refused "'content/briefing.yaml' is not a folder" content --to content/briefing.yaml/x

# And what is allowed still works: a folder beside the content.
(cd "$W" && $B publish content --to site) 2>"$T/err" || { cat "$T/err"; fail "publish beside"; }
sums_ok "$W/site"
(cd "$W" && $B publish content --templates tpl --to site2) 2>"$T/err" ||
	{ cat "$T/err"; fail "publish with --templates beside"; }
echo "publish into or over the source: refused, nothing written"

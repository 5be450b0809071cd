#!/bin/sh
# options.sh: the options each command accepts are the options its --help,
# its usage lines, its section and synopsis in man/briefgen.1 and the bash
# completion list; README.md and docs/format.md name only options that exist.
#
# What a command ACCEPTS is found by asking the binary: every option any of
# these name, and every "--xxx" string in src/cli/cmd_NAME.c and the shared
# parsers (src/cli/*.c but cmd_*.c, commands.c, main.c), is tried as
#   briefgen NAME [FORM] OPTION VALUE --zzz-probe
# (VALUE from x, da, 0, none; FORM the word after NAME in a usage line, such
# as "budget"); when the complaint is about --zzz-probe, OPTION was taken.
# So a new command, or a new option in any command, needs nothing here: only
# its docs.  -h and --help are everywhere and are left out of the lists.
#
# Fails naming each difference.  Needs BRIEFGEN, SRCDIR; bash for the
# completion.
: "${BRIEFGEN:?}" "${SRCDIR:?}"
LC_ALL=C
export LC_ALL
unset LANGUAGE
case $BRIEFGEN in /*) ;; *) BRIEFGEN=$PWD/$BRIEFGEN ;; esac
case $SRCDIR in /*) ;; *) SRCDIR=$PWD/$SRCDIR ;; esac
man1=$SRCDIR/man/briefgen.1
completion=$SRCDIR/completions/briefgen.bash
sentinel=--zzz-probe
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docs-options.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/sandbox"
bad=0

fail() {
	echo "FAIL: $*"
	bad=1
}

# Options in a text: -x or --xxx words (one per line, sorted, unique).
opts_in() {
	grep -o -- '\(^\|[^a-z0-9-]\)--*[a-z][a-z0-9-]*' | sed 's/^[^-]*//' | LC_ALL=C sort -u
}

# The option strings of C source: "--xxx" and "-x" literals.
literals() {
	grep -o '"--*[a-z][a-z0-9-]*"' | tr -d '"'
}

# The option lines of a --help text: indented lines starting with -, the
# names before the first two spaces ("-o, --output OUT" gives -o and --output).
help_opts() {
	awk '/^ +-/ { sub(/^ +/, ""); sub(/  .*/, ""); n = split($0, a, ", ");
		for (i = 1; i <= n; i++) { split(a[i], w, " "); print w[1] } }' | LC_ALL=C sort -u
}

# Alias groups of a --help text, one group a line: "-o --output".
help_groups() {
	awk '/^ +-/ { sub(/^ +/, ""); sub(/  .*/, ""); n = split($0, a, ", "); g = "";
		for (i = 1; i <= n; i++) { split(a[i], w, " "); g = g (i > 1 ? " " : "") w[1] }
		print g }'
}

# The usage lines of a --help text: up to the first blank line.
usage_lines() {
	awk '/^$/ { exit } { print }'
}

# The section "NAME" of briefgen.1: its ".It Fl" option items.  NAME "-" is
# the part of DESCRIPTION before the first .Ss (briefgen's own options).
man_section_opts() {
	awk -v name="$1" '
		/^\.Sh / { insec = (name == "-" && $2 == "DESCRIPTION"); next }
		/^\.Ss / { insec = (name != "-" && $0 == ".Ss " name); next }
		insec && /^\.It Fl / {
			for (i = 2; i < NF; i++) if ($i == "Fl") print "-" $(i + 1)
		}' "$man1" | LC_ALL=C sort -u
}

# The SYNOPSIS lines of NAME in briefgen.1 (NAME "-": the ones with no .Cm).
man_synopsis_opts() {
	awk -v name="$1" '
		/^\.Sh SYNOPSIS/ { insyn = 1; next }
		/^\.Sh / { insyn = 0 }
		!insyn { next }
		/^\.Nm/ { block = 1; cmd = "-"; next }
		block == 1 && /^\.Cm / { cmd = $2 }
		{ block++ }
		cmd == name { for (i = 1; i < NF; i++) if ($i == "Fl" || $i == ".Fl") print "-" $(i + 1) }' "$man1" |
		LC_ALL=C sort -u
}

man_synopsis_commands() {
	awk '/^\.Sh SYNOPSIS/ { s = 1; next } /^\.Sh / { s = 0 }
		s && prev ~ /^\.Nm/ && /^\.Cm / { print $2 } { prev = $0 }' "$man1" | LC_ALL=C sort -u
}

man_section_names() {
	sed -n 's/^\.Ss \([a-z][a-z-]*\)$/\1/p' "$man1" | LC_ALL=C sort -u
}

# What the completion offers for the words given (the last one is completed).
complete_words() {
	(cd "$tmp/sandbox" && bash -c '
		. "$1"; shift
		COMP_WORDS=(briefgen "$@"); COMP_CWORD=$#
		_briefgen
		printf "%s\n" "${COMPREPLY[@]}"' sh "$completion" "$@") | LC_ALL=C sort -u
}

# The forms of a command: the word after NAME in its usage lines ("tree").
forms_of() {
	awk -v name="$2" '{ for (i = 1; i < NF; i++) if ($i == "briefgen" && $(i + 1) == name &&
		$(i + 2) ~ /^[a-z]+$/) print $(i + 2) }' "$1" | LC_ALL=C sort -u
}

# True when `briefgen CMD [FORM] OPT [VALUE] --zzz-probe` takes OPT.
accepts() {
	cmd=$1 opt=$2 forms=$3
	for form in "" $forms; do
		for value in x da 0 ""; do
			# shellcheck disable=SC2086
			(cd "$tmp/sandbox" && timeout 10 "$BRIEFGEN" "$cmd" $form "$opt" $value "$sentinel" \
				</dev/null >"$tmp/out" 2>"$tmp/err")
			[ $? = 124 ] && fail "briefgen $cmd $form $opt $value $sentinel ran for 10 s"
			grep -q -- "$sentinel" "$tmp/err" && return 0
		done
	done
	return 1
}

# compare WHAT LIST-FILE ACCEPTED-FILE CMD: name each difference.
compare() {
	LC_ALL=C comm -23 "$2" "$3" | while read -r o; do
		echo "FAIL: $4: $1 lists $o, which '$4' does not accept"
	done
	LC_ALL=C comm -13 "$2" "$3" | while read -r o; do
		echo "FAIL: $4: $1 does not list $o"
	done
}

# covers WHAT MENTIONED-FILE ACCEPTED-FILE GROUPS-FILE CMD: a usage or
# synopsis names each accepted option (or one of its aliases), and no other.
covers() {
	LC_ALL=C comm -23 "$2" "$3" | while read -r o; do
		echo "FAIL: $5: $1 names $o, which '$5' does not accept"
	done
	while read -r o; do
		aliases=$(grep -- "\(^\| \)$o\( \|$\)" "$4" | head -1)
		found=0
		for a in ${aliases:-$o}; do
			grep -qx -- "$a" "$2" && found=1
		done
		[ $found = 1 ] || echo "FAIL: $5: $1 does not name $o"
	done <"$3"
}

# --- the commands -------------------------------------------------------------
"$BRIEFGEN" --help >"$tmp/main-help" || fail "briefgen --help failed"
awk '/^commands:/ { f = 1; next } f && /^$/ { exit } f { print $1 }' "$tmp/main-help" |
	LC_ALL=C sort -u >"$tmp/commands"
[ -s "$tmp/commands" ] || fail "briefgen --help lists no commands"
complete_words "" | grep -v '^-' >"$tmp/c-commands"
compare "the completion" "$tmp/c-commands" "$tmp/commands" "briefgen --help's commands" |
	sed 's/which .* does not accept/which is not a command/' >"$tmp/diff"
man_synopsis_commands >"$tmp/m-commands"
compare "briefgen.1's SYNOPSIS" "$tmp/m-commands" "$tmp/commands" "briefgen --help's commands" |
	sed 's/which .* does not accept/which is not a command/' >>"$tmp/diff"
man_section_names >"$tmp/m-sections"
compare "briefgen.1's sections (.Ss)" "$tmp/m-sections" "$tmp/commands" "briefgen --help's commands" |
	sed 's/which .* does not accept/which is not a command/' >>"$tmp/diff"
if [ -s "$tmp/diff" ]; then
	cat "$tmp/diff"
	bad=1
fi

# --- briefgen's own options ---------------------------------------------------
literals <"$SRCDIR/src/cli/main.c" >"$tmp/cand"
help_opts <"$tmp/main-help" >>"$tmp/cand"
man_section_opts - >>"$tmp/cand"
complete_words - | grep '^-' >"$tmp/c-opts"
cat "$tmp/c-opts" >>"$tmp/cand"
: >"$tmp/accepted"
for o in $(LC_ALL=C sort -u "$tmp/cand"); do
	if (cd "$tmp/sandbox" && "$BRIEFGEN" "$o" >/dev/null 2>&1); then
		echo "$o" >>"$tmp/accepted"
	fi
done
LC_ALL=C sort -u -o "$tmp/accepted" "$tmp/accepted"
help_opts <"$tmp/main-help" >"$tmp/h-opts"
compare "--help" "$tmp/h-opts" "$tmp/accepted" briefgen >"$tmp/diff"
man_section_opts - >"$tmp/m-opts"
compare "briefgen.1's DESCRIPTION" "$tmp/m-opts" "$tmp/accepted" briefgen >>"$tmp/diff"
compare "the completion" "$tmp/c-opts" "$tmp/accepted" briefgen >>"$tmp/diff"
help_groups <"$tmp/main-help" >"$tmp/groups"
usage_lines <"$tmp/main-help" | opts_in >"$tmp/u-opts"
covers "the usage lines" "$tmp/u-opts" "$tmp/accepted" "$tmp/groups" briefgen >>"$tmp/diff"
man_synopsis_opts - >"$tmp/s-opts"
covers "briefgen.1's SYNOPSIS" "$tmp/s-opts" "$tmp/accepted" "$tmp/groups" briefgen >>"$tmp/diff"
if [ -s "$tmp/diff" ]; then
	cat "$tmp/diff"
	bad=1
else
	echo "ok: briefgen: $(tr '\n' ' ' <"$tmp/accepted")"
fi
cp "$tmp/accepted" "$tmp/all-accepted"

# --- each command ---------------------------------------------------------------
shared=$(cd "$SRCDIR/src/cli" && ls ./*.c | grep -v '/cmd_\|/commands\.c$\|/main\.c$')
for cmd in $(cat "$tmp/commands"); do
	src=$SRCDIR/src/cli/cmd_$cmd.c
	if [ ! -f "$src" ]; then
		fail "$cmd: no src/cli/cmd_$cmd.c to read its options from (rename the test's guess in $0)"
		continue
	fi
	"$BRIEFGEN" "$cmd" --help >"$tmp/help" 2>&1 || fail "$cmd: --help failed"
	forms=$(forms_of "$tmp/help" "$cmd")
	help_opts <"$tmp/help" >"$tmp/h-opts"
	usage_lines <"$tmp/help" | opts_in >"$tmp/u-opts"
	help_groups <"$tmp/help" >"$tmp/groups"
	man_section_opts "$cmd" | grep -v '^-h$\|^--help$' >"$tmp/m-opts"
	man_synopsis_opts "$cmd" >"$tmp/s-opts"
	{
		complete_words "$cmd" -
		for f in $forms; do complete_words "$cmd" "$f" -; done
	} | grep -v '^-h$\|^--help$' | LC_ALL=C sort -u >"$tmp/c-opts"
	# shellcheck disable=SC2086
	{
		(cd "$SRCDIR/src/cli" && cat "cmd_$cmd.c" $shared) | literals
		cat "$tmp/h-opts" "$tmp/u-opts" "$tmp/m-opts" "$tmp/s-opts" "$tmp/c-opts"
	} | grep -v '^-h$\|^--help$' | LC_ALL=C sort -u >"$tmp/cand"
	: >"$tmp/accepted"
	for o in $(cat "$tmp/cand"); do
		accepts "$cmd" "$o" "$forms" && echo "$o" >>"$tmp/accepted"
	done
	LC_ALL=C sort -u -o "$tmp/accepted" "$tmp/accepted"
	cat "$tmp/accepted" >>"$tmp/all-accepted"
	{
		compare "--help" "$tmp/h-opts" "$tmp/accepted" "$cmd"
		compare "its section in briefgen.1" "$tmp/m-opts" "$tmp/accepted" "$cmd"
		compare "the completion" "$tmp/c-opts" "$tmp/accepted" "$cmd"
		covers "its usage lines" "$tmp/u-opts" "$tmp/accepted" "$tmp/groups" "$cmd"
		covers "briefgen.1's SYNOPSIS" "$tmp/s-opts" "$tmp/accepted" "$tmp/groups" "$cmd"
	} >"$tmp/diff"
	if [ -s "$tmp/diff" ]; then
		cat "$tmp/diff"
		bad=1
	else
		echo "ok: $cmd: $(tr '\n' ' ' <"$tmp/accepted")"
	fi
	cp "$tmp/accepted" "$tmp/accepted-$cmd"
done
LC_ALL=C sort -u -o "$tmp/all-accepted" "$tmp/all-accepted"

# --- README.md and docs/format.md -----------------------------------------------
# In README.md: code (`...` and ```sh blocks) that runs briefgen CMD, or
# starts with a command's name, may use only CMD's options; code that is only
# options, and every option docs/format.md names, must be some command's.
awk '
	/^```/ { block = !block; next }
	block { print; next }
	{ while (match($0, /`[^`]+`/)) { print substr($0, RSTART + 1, RLENGTH - 2);
		$0 = substr($0, RSTART + RLENGTH) } }' "$SRCDIR/README.md" |
	sed 's/\\|/|/g; s/&&\|;\| | \|[()]/\n/g' >"$tmp/readme-code"
: >"$tmp/diff"
while read -r line; do
	set -f
	# shellcheck disable=SC2086
	set -- $line
	set +f
	case $1 in
	briefgen | */briefgen) shift ;;
	esac
	[ $# -gt 0 ] || continue
	if [ -f "$tmp/accepted-$1" ]; then
		cmd=$1
		for o in $(printf '%s\n' "$line" | opts_in); do
			grep -qx -- "$o" "$tmp/accepted-$cmd" ||
				echo "FAIL: README.md: '$line' uses $o, which '$cmd' does not accept"
		done
	else
		case $1 in
		-*) for o in $(printf '%s\n' "$line" | opts_in); do
			grep -qx -- "$o" "$tmp/all-accepted" ||
				echo "FAIL: README.md: '$line' names $o, which no command accepts"
		done ;;
		esac
	fi
done <"$tmp/readme-code" >>"$tmp/diff"
for o in $(opts_in <"$SRCDIR/docs/format.md"); do
	grep -qx -- "$o" "$tmp/all-accepted" ||
		echo "FAIL: docs/format.md names $o, which no command accepts" >>"$tmp/diff"
done
if [ -s "$tmp/diff" ]; then
	cat "$tmp/diff"
	bad=1
else
	echo "ok: README.md and docs/format.md name only options that exist"
fi
exit $bad

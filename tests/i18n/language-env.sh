#!/bin/sh
# language-env.sh: the message language follows the environment.
#   LANGUAGE=da with LANG and LC_ALL unset: Danish (the C.UTF-8 fallback of
#     intl_init, for a machine whose only locale is C.UTF-8; glibc ignores
#     LANGUAGE under the plain C locale)
#   LANGUAGE=da, LANG=C.UTF-8: Danish
#   LANGUAGE=en, or nothing set: English
# The place (FILE:LINE:COL) and the severity word stay English in every one.
#
# Environment: BRIEFGEN (the binary), SRCDIR (the source tree).
set -u
: "${BRIEFGEN:?set BRIEFGEN to the briefgen binary}" "${SRCDIR:?set SRCDIR}"
content=$SRCDIR/tests/fixtures/01-unknown-key-suggestion/content
failed=0

# expect LABEL PATTERN ENV...: run check with exactly ENV; stderr must match.
expect() {
	label=$1 pattern=$2
	shift 2
	out=$(cd "$content/.." && env -i PATH="$PATH" "$@" "$BRIEFGEN" check content 2>&1)
	if printf '%s\n' "$out" | grep -Eq "$pattern"; then
		echo "ok $label"
	else
		echo "FAIL $label: no /$pattern/ in:"
		printf '%s\n' "$out" | sed 's/^/  /'
		failed=1
	fi
}

da='content/partners/brasov\.yaml:[0-9]+:[0-9]+: error: ukendt nøgle .*mente du'
en='content/partners/brasov\.yaml:[0-9]+:[0-9]+: error: unknown key .*did you mean'
expect "LANGUAGE=da alone gives Danish" "$da" LANGUAGE=da
expect "LANGUAGE=da alone gives the Danish summary" '^1 fejl$' LANGUAGE=da
expect "LANGUAGE=da LANG=C.UTF-8 gives Danish" "$da" LANGUAGE=da LANG=C.UTF-8
expect "LANGUAGE=da LC_ALL=C gives Danish" "$da" LANGUAGE=da LC_ALL=C
expect "LANGUAGE=en gives English" "$en" LANGUAGE=en
expect "no language set gives English" "$en"
expect "no language set gives the English summary" '^1 error$'
expect "LANG=C.UTF-8 alone gives English" "$en" LANG=C.UTF-8
exit $failed

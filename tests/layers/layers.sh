#!/bin/sh
# layers.sh: every #include between src/ folders points down the pipeline
#   util < diag < load < validate < model < render < write < pdf < publish, serve < cli
# (publish and serve are side by side and do not include each other).
# Fails naming each upward include.
: "${SRCDIR:?}"
rank() {
	case $1 in
	util) echo 0 ;; diag) echo 1 ;; load) echo 2 ;; validate) echo 3 ;; model) echo 4 ;;
	render) echo 5 ;; write) echo 6 ;; pdf) echo 7 ;; publish | serve) echo 8 ;; cli) echo 9 ;;
	*) echo 99 ;;
	esac
}
bad=0
cd "$SRCDIR/src" || exit 1
for f in */*.c */*.h; do
	from=${f%%/*}
	[ "$(rank "$from")" = 99 ] && { echo "FAIL: src/$from/ is not a known layer: add it to $0"; bad=1; continue; }
	for to in $(sed -n 's|^#include "\.\./\([a-z]*\)/.*|\1|p' "$f" | sort -u); do
		if [ "$(rank "$to")" -ge "$(rank "$from")" ] && [ "$to" != "$from" ]; then
			echo "FAIL: src/$f includes ../$to/: $from may only use layers below it"
			bad=1
		fi
	done
done
[ $bad = 0 ] && echo "ok: every include points down the pipeline"
exit $bad

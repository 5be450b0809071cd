#!/bin/sh
# fuzz-run.sh: build a libFuzzer harness with the fuzz preset and run it
# for a short while on a copy of its seed corpus, so crashes are found early.
#
#   fuzz-run.sh load|content|template|request [SECONDS]        (default 20)
#
# load:    tests/fuzz/fuzz_load.c on tests/fuzz/corpus (one YAML file)
# content: tests/fuzz/fuzz_content.c on tests/fuzz/corpus-content (a folder)
# template: tests/fuzz/fuzz_template.c on tests/fuzz/corpus-template (the
#          files of a --templates folder, built against the bundled
#          content), with tests/fuzz/mustache.dict
# request: tests/fuzz/fuzz_request.c on tests/fuzz/corpus-request (an HTTP
#          request head; serve's request checks), with tests/fuzz/http.dict
# Kept crashes in tests/fuzz/regressions (load-*, content-*, template-*) are
# seeds too.
#
# Environment: SRCDIR (the source tree), BUILDDIR (the build whose test this
# is: the fuzz build goes to BUILDDIR/fuzz-build and is reused).  Needs clang
# and libclang-rt-14-dev (build-aux/install-deps installs them).
#
# On a crash, leak or timeout the input is copied to BUILDDIR/fuzz-crashes/:
# keep it as tests/fuzz/regressions/<harness>-<what-it-broke> (test_fuzz_replay
# then replays it on every run) and fix the bug.
set -u

harness=${1:?usage: fuzz-run.sh load|content|template|request [SECONDS]}
seconds=${2:-20}
case $harness in
load) corpus=corpus; maxlen=16384 ;;
content) corpus=corpus-content; maxlen=65536 ;;
template) corpus=corpus-template; maxlen=16384; dict=mustache.dict ;;
request) corpus=corpus-request; maxlen=4096; dict=http.dict ;;
*) echo "fuzz-run: unknown harness '$harness'" >&2; exit 2 ;;
esac
srcdir=${SRCDIR:?set SRCDIR to the source tree}
builddir=${BUILDDIR:?set BUILDDIR to the build folder}
fuzzbuild=$builddir/fuzz-build
crashes=$builddir/fuzz-crashes

if ! command -v clang >/dev/null 2>&1; then
	echo "fuzz-run: clang is missing; run build-aux/install-deps" >&2
	exit 1
fi

# Configure once with the fuzz preset into our own folder (not build/fuzz,
# which belongs to whoever runs the preset by hand), then build the harness.
if [ ! -f "$fuzzbuild/CMakeCache.txt" ]; then
	if ! cmake -S "$srcdir" --preset fuzz -B "$fuzzbuild" >"$builddir/fuzz-configure.log" 2>&1; then
		cat "$builddir/fuzz-configure.log" >&2
		echo "fuzz-run: configuring the fuzz preset failed (is libclang-rt-14-dev installed?)" >&2
		exit 1
	fi
fi
if ! cmake --build "$fuzzbuild" --target "fuzz_$harness" -j2 >"$builddir/fuzz-build.log" 2>&1; then
	tail -40 "$builddir/fuzz-build.log" >&2
	echo "fuzz-run: building fuzz_$harness failed (is libclang-rt-14-dev installed?)" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/briefgen-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT HUP INT TERM
mkdir -p "$work/corpus" "$work/artifacts"
# The seeds are copied: libFuzzer adds what it finds to the first folder,
# and the repository's corpus stays as it is.
cp "$srcdir/tests/fuzz/$corpus"/* "$work/corpus/"
for f in "$srcdir/tests/fuzz/regressions/$harness"-*; do
	[ -f "$f" ] && cp "$f" "$work/corpus/"
done

"$fuzzbuild/tests/fuzz/fuzz_$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-max_len=$maxlen -dict="$srcdir/tests/fuzz/${dict:-yaml.dict}" -print_final_stats=1 \
	-artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1
status=$?
tail -25 "$work/log"
if [ $status -ne 0 ] || [ -n "$(ls "$work/artifacts")" ]; then
	mkdir -p "$crashes"
	for f in "$work"/artifacts/*; do
		[ -f "$f" ] && cp "$f" "$crashes/$harness-$(basename "$f")"
	done
	echo "fuzz-run: fuzz_$harness failed (status $status); inputs kept in $crashes:" >&2
	ls -l "$crashes" >&2
	exit 1
fi
echo "fuzz-run: fuzz_$harness ran $seconds s without a crash"
exit 0

#!/bin/sh
# validate-sarif.sh DIR: validate every DIR/*.sarif with Microsoft's
# sarif-multitool (its errors and warnings fail, its notes are advice) and
# against the SARIF 2.1.0 JSON schema it ships, with ajv.
#
# One warning is accepted: SARIF2005, no tool.driver.informationUri, while
# the project has no address to give (CMake's project HOMEPAGE_URL; the log
# then has none) -- once it has one, SARIF2005 fails like every warning.
#
# Environment: SRCDIR.
set -u
dir=${1:?usage: validate-sarif.sh DIR}
web=${SRCDIR:?}/tests/web
bin=$web/node_modules/.bin
schema=$web/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json
bad=0
set -- "$dir"/*.sarif
[ -f "$1" ] || { echo "FAIL: no SARIF logs in $dir"; exit 1; }

# The npm wrapper runs the tool through a shell: --level's ';' is quoted.
DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$bin/sarif-multitool" validate "$@" \
	-o "$dir/validation.json" --log ForceOverwrite --level '"Error;Warning"' >"$dir/multitool.log" 2>&1
status=$?
if [ $status != 0 ] || [ ! -s "$dir/validation.json" ]; then
	echo "FAIL: sarif-multitool validate exited $status:"
	cat "$dir/multitool.log"
	bad=1
fi
node -e '
const fs = require("fs");
const [out, ...logs] = process.argv.slice(1);
const res = JSON.parse(fs.readFileSync(out, "utf8")).runs[0].results || [];
const withUri = new Set(logs.filter(f =>
	JSON.parse(fs.readFileSync(f, "utf8")).runs[0].tool.driver.informationUri));
let bad = 0;
for (const r of res) {
	const level = r.level || "warning";
	if (level !== "error" && level !== "warning")
		continue;
	const where = r.locations[0].physicalLocation;
	const file = decodeURIComponent(where.artifactLocation.uri.replace(/^file:\/\//, ""));
	if (r.ruleId === "SARIF2005" && !withUri.has(file))
		continue;
	const region = where.region || {};
	console.log(`FAIL: ${file}:${region.startLine || 0}:${region.startColumn || 0}: ` +
		    `${level} ${r.ruleId} ${r.message.id} ${JSON.stringify(r.message.arguments || [])}`);
	bad = 1;
}
console.log(`sarif-multitool: ${logs.length} logs, ${res.length} findings, ${bad ? "some" : "no"} errors or warnings`);
process.exit(bad);
' "$dir/validation.json" "$@" || bad=1

# ajv decides by the extension: give it .json copies.
mkdir -p "$dir/json"
for f; do
	cp "$f" "$dir/json/$(basename "$f" .sarif).json"
done
if ! out=$(cd "$web" && "$bin/ajv" validate --spec=draft2020 -c ajv-formats --strict=false \
	-s "$schema" -d "$dir/json/*.json" 2>&1); then
	echo "FAIL: not valid against sarif-2.1.0.json:"
	echo "$out" | grep -v '^unknown format\|valid$'
	bad=1
fi
exit $bad

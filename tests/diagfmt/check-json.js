// check-json.js JSON TEXT_STDERR: the JSON report of a fixture is valid
// JSON, an array of diagnostics with every key, as many errors and warnings
// as the text mode's summary line counts, and no diagnostic without its
// own rule ("other").  Exits 1 with the reasons.
'use strict';
const fs = require('fs');
const [jsonFile, textFile] = process.argv.slice(2);
const fail = [];
let diags;
try {
	diags = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
} catch (e) {
	console.log(`not JSON: ${e.message}`);
	process.exit(1);
}
if (!Array.isArray(diags))
	fail.push('not an array');
const keys = ['file', 'line', 'column', 'endColumn', 'severity', 'rule', 'message', 'hint', 'notes'];
const count = { error: 0, warning: 0, note: 0 };
for (const d of diags || []) {
	for (const k of keys)
		if (!(k in d))
			fail.push(`a diagnostic without "${k}": ${JSON.stringify(d)}`);
	if (!(d.severity in count))
		fail.push(`severity "${d.severity}"`);
	count[d.severity]++;
	if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(d.rule) || d.rule === 'other' || d.rule === 'note')
		fail.push(`rule "${d.rule}" for "${d.message}"`);
	if (d.endColumn !== null && !(d.line > 0 && d.endColumn > d.column))
		fail.push(`endColumn ${d.endColumn} not after column ${d.column}`);
	for (const n of d.notes || [])
		if (typeof n.message !== 'string')
			fail.push(`a note without a message: ${JSON.stringify(n)}`);
}
// The text mode's summary: "2 errors, 1 warning", "1 warning", or none.
const text = fs.readFileSync(textFile, 'utf8');
const want = { error: 0, warning: 0 };
for (const line of text.split('\n')) {
	const s = line.match(/^(?:(\d+) errors?)?(?:, )?(?:(\d+) warnings?)?$/);
	if (s && line) {
		want.error = Number(s[1] || 0);
		want.warning = Number(s[2] || 0);
	}
}
if (count.error !== want.error || count.warning !== want.warning)
	fail.push(`${count.error} errors and ${count.warning} warnings in JSON, ` +
		  `${want.error} and ${want.warning} in the text mode`);
if (fail.length) {
	console.log(fail.join('\n'));
	process.exit(1);
}

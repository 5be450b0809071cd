'use strict';
// vnu: every .html page of the da, en and da --include-internal builds, and
// assets/style.css, pass the W3C Nu HTML checker (vnu.jar from the vnu-jar npm
// package, run with Debian's Java).  Any error fails; warnings are printed as
// notes for people, not counted.
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const lib = require('./lib.js');

const jar = lib.vnuJar();

function vnu(args) {
  const r = lib.run('java', ['-Xss4m', '-jar', jar, '--format', 'gnu', ...args]);
  if (r.status === null) throw new Error(`vnu killed by ${r.signal}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

test('W3C Nu HTML checker', async (t) => {
  const builds = lib.standardBuilds('vnu');
  const html = [];
  for (const b of builds) for (const f of lib.files(b.dir, '.html')) html.push(path.join(b.dir, f));
  const css = builds.map((b) => path.join(b.dir, 'assets', 'style.css'));
  console.log(`# ${html.length} HTML pages, ${css.length} stylesheets`);
  assert.ok(html.length >= 3 * 4, `only ${html.length} pages`);

  await t.test('HTML, errors only', () => {
    const r = vnu(['--errors-only', ...html]);
    assert.ok(r.status === 0 && r.out === '', `vnu exit ${r.status}:\n${r.out}`);
  });
  await t.test('CSS, errors only', () => {
    const r = vnu(['--errors-only', '--css', ...css]);
    assert.ok(r.status === 0 && r.out === '', `vnu exit ${r.status}:\n${r.out}`);
  });
  await t.test('warnings (printed, not counted)', () => {
    const r = vnu(['--exit-zero-always', ...html]);
    const r2 = vnu(['--exit-zero-always', '--css', ...css]);
    const out = [r.out, r2.out].filter(Boolean).join('\n');
    if (out) for (const l of out.split('\n')) console.log(`# note: ${l}`);
  });
});

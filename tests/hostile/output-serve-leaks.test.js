'use strict';
// hostile/output-serve-leaks: `briefgen serve --templates T` taken through
// a series of broken and fixed language files and templates (a language
// file that does not parse, one that lacks keys, a template and a partial
// that do not compile, a template that explodes past the 64 MiB file
// limit), and a content file with raw control and bidi characters.  Each
// broken state shows the error page (500, naming the file), each fix the
// site again (200).  The error page never holds a raw control or format
// character: they are shown as \x1b, \u202e.  Serve then stops cleanly on
// SIGTERM, and its stderr must hold no sanitizer report: under the ASan
// preset, LeakSanitizer fails this test for any leak on a failure path
// (a broken i18n file leaked its arena once per rebuild, issue 8, item 8).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');

const SRCDIR = path.resolve(process.env.SRCDIR || path.join(__dirname, '..', '..'));
const BRIEFGEN = process.env.BRIEFGEN || path.join(SRCDIR, 'build', 'release', 'briefgen');

function get(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(30000, () => req.destroy(new Error(`GET ${url} timed out`)));
  });
}

// Start serve; resolves with { proc, url, log } once it says where it serves.
function serve(args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(BRIEFGEN, ['serve', '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`serve did not start:\n${err}`)); }, 30000);
    proc.stderr.on('data', (d) => {
      err += d;
      // Keep the log bounded: serve prints every rebuild's diagnostics.
      if (err.length > 4 << 20) err = err.slice(-(2 << 20));
      const m = /serving .* at (http:\/\/\S+)/.exec(err);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1], log: () => err }); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}:\n${err}`)); });
  });
}

// Stop serve; a sanitizer report fails the test.
async function stop(s) {
  const code = await new Promise((resolve) => {
    const t = setTimeout(() => s.proc.kill('SIGKILL'), 30000);
    s.proc.removeAllListeners('exit');
    s.proc.on('exit', (c, sig) => { clearTimeout(t); resolve(c === null ? sig : c); });
    s.proc.kill('SIGTERM');
  });
  assert.doesNotMatch(s.log(), /Sanitizer|runtime error:|detected memory leaks/,
    `serve reported:\n${s.log().slice(-20000)}`);
  assert.strictEqual(code, 0, `serve exited ${code}:\n${s.log().slice(-5000)}`);
}

// Wait until GET / answers with status `want` and pred(body) holds.
async function until(s, what, want, pred = () => true, ms = 60000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await get(s.url);
    if (last.status === want && pred(last.body.toString('utf8'))) return last;
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}: last ${last.status}\n` +
        `${last.body.toString('utf8').slice(0, 3000)}\n--- serve:\n${s.log().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

// No raw C0 control (but newline and tab), DEL, C1 or invisible format
// character in the page.
function assertClean(body, what) {
  const bad = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/u.exec(body);
  assert.strictEqual(bad, null, `${what}: raw U+${bad && bad[0].codePointAt(0).toString(16)} in the page`);
}

test('serve through broken and fixed templates and language files', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'briefgen-serve-leaks-'));
  const content = path.join(tmp, 'content');
  const tpl = path.join(tmp, 'tpl');
  fs.cpSync(path.join(SRCDIR, 'content'), content, { recursive: true });
  fs.mkdirSync(path.join(tpl, 'i18n'), { recursive: true });
  fs.mkdirSync(path.join(tpl, 'html'), { recursive: true });
  const da = fs.readFileSync(path.join(SRCDIR, 'templates', 'i18n', 'da.yaml'), 'utf8');
  const summary = fs.readFileSync(path.join(SRCDIR, 'templates', 'html', 'summary.mustache'), 'utf8');
  const index = fs.readFileSync(path.join(SRCDIR, 'templates', 'html', 'index.mustache'), 'utf8');
  const brasovFile = path.join(content, 'partners', 'brasov.yaml');
  const brasov = fs.readFileSync(brasovFile, 'utf8');
  const write = (rel, text) => {
    // Write beside and rename, as editors do: never a half-written file.
    const f = path.join(tpl, rel);
    fs.writeFileSync(`${f}.tmp`, text);
    fs.renameSync(`${f}.tmp`, f);
  };
  write('i18n/da.yaml', da);
  write('html/summary.mustache', summary);
  write('html/index.mustache', index);

  const s = await serve([content, '--templates', tpl]);
  try {
    const ok = (what) => until(s, what, 200, (b) => b.includes('Indledning'));
    const broken = (what, needle) => until(s, what, 500, (b) => b.includes(needle));
    await ok('the site');
    for (let round = 0; round < 3; round++) {
      write('i18n/da.yaml', 'thousands_separator: [\n');
      await broken(`round ${round}: a language file that does not parse`, 'da.yaml');
      write('i18n/da.yaml', da);
      await ok(`round ${round}: the language file fixed`);

      write('i18n/da.yaml', 'thousands_separator: "."\nmonths: [a, b]\n');
      await broken(`round ${round}: a language file without keys`, 'months');  // the key the message names, in any language
      write('i18n/da.yaml', da);
      await ok(`round ${round}: fixed again`);

      write('html/index.mustache', '{{#briefing.partners}}unclosed\n');
      await broken(`round ${round}: a template that does not compile`, 'index.mustache');
      write('html/index.mustache', index);
      await ok(`round ${round}: the template fixed`);

      write('html/summary.mustache', '{{/nothing}}\n');
      await broken(`round ${round}: a partial that does not compile`, 'summary');
      write('html/summary.mustache', summary);
      await ok(`round ${round}: the partial fixed`);
    }

    // A template that explodes: refused at the file limit, quickly.
    const text = '<p>' + 'x'.repeat(65536) + '</p>';
    write('html/index.mustache', '{{#briefing.partners}}'.repeat(4) + text + '{{/briefing.partners}}'.repeat(4) + '\n');
    await broken('an exploding template', '64 MiB');
    write('html/index.mustache', index);
    await ok('the exploding template fixed');

    // Raw ESC, BEL, RLO and NEL in a content file: the error page shows
    // them escaped, never raw.
    fs.writeFileSync(brasovFile, brasov.replace(/^name: .*$/m,
      'name: "Bra\u001b[31msov\u0007 \u202e\u0085"\nxyz_unknown: "\u001b]0;owned\u0007"'));
    const page = await broken('a content file with raw control characters', 'brasov.yaml');
    const body = page.body.toString('utf8');
    assertClean(body, 'error page');
    assert.match(body, /\\x1b/, 'the error page does not show the ESC as \\x1b');
    fs.writeFileSync(brasovFile, brasov);
    await ok('the content fixed');
  } finally {
    await stop(s);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

'use strict';
// serve-pdf: `briefgen serve` offers /bilag.pdf (the index links to it),
// printed from the current build on the first request: 200 application/pdf with the content's title;
// the same bytes the second time; after a save that changes the title, the
// new title; without an engine, 503 naming what to install while the pages
// are still served, without the link.  Needs Chromium and pdfinfo (build-aux/install-deps).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { spawn, spawnSync } = require('node:child_process');

const SRCDIR = path.resolve(process.env.SRCDIR || path.join(__dirname, '..', '..'));
const BRIEFGEN = process.env.BRIEFGEN || path.join(SRCDIR, 'build', 'release', 'briefgen');

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'],
        body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

// Start serve; resolves with { proc, url } once it says where it serves.
function serve(args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(BRIEFGEN, ['serve', '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`serve did not start:\n${err}`)); }, 20000);
    proc.stderr.on('data', (d) => {
      err += d;
      const m = /serving .* at (http:\/\/\S+)/.exec(err);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1], log: () => err }); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited ${code}:\n${err}`)); });
  });
}

// Stop serve; a sanitizer report (debug and tsan presets) fails the test.
async function stop(s) {
  const code = await new Promise((resolve) => {
    s.proc.removeAllListeners('exit');
    s.proc.on('exit', resolve);
    s.proc.kill('SIGTERM');
  });
  assert.doesNotMatch(s.log(), /Sanitizer|runtime error:/, `serve reported:\n${s.log()}`);
  assert.strictEqual(code, 0, `serve exited ${code}:\n${s.log()}`);
}

function pdfTitle(buf, dir) {
  const f = path.join(dir, `t-${Date.now()}.pdf`);
  fs.writeFileSync(f, buf);
  const r = spawnSync('pdfinfo', [f], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, `pdfinfo: ${r.stderr}`);
  return (/^Title:\s+(.*)$/m.exec(r.stdout) || [])[1];
}

async function until(what, fn, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('serve /bilag.pdf', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'briefgen-serve-pdf-'));
  const content = path.join(tmp, 'content');
  fs.cpSync(path.join(SRCDIR, 'content'), content, { recursive: true });
  const title = /^title: (.*)$/m.exec(fs.readFileSync(path.join(content, 'briefing.yaml'), 'utf8'))[1];
  const s = await serve([content]);
  try {
    assert.match((await get(s.url)).body.toString(), /<a href="bilag\.pdf"[^>]*>Hent bilaget som PDF<\/a>/,
      'the index does not link to bilag.pdf');
    const a = await get(`${s.url}bilag.pdf`);
    assert.strictEqual(a.status, 200, a.body.toString());
    assert.strictEqual(a.type, 'application/pdf');
    assert.strictEqual(a.body.subarray(0, 5).toString(), '%PDF-');
    assert.strictEqual(pdfTitle(a.body, tmp), title);
    const b = await get(`${s.url}bilag.pdf`);
    assert.ok(a.body.equals(b.body), 'a second request gave other bytes');

    const yaml = path.join(content, 'briefing.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/^title: .*$/m, 'title: Ny titel til prøve'));
    await until('the rebuilt index', async () => (await get(s.url)).body.toString().includes('Ny titel til prøve'));
    const c = await get(`${s.url}bilag.pdf`);
    assert.strictEqual(c.status, 200);
    assert.strictEqual(pdfTitle(c.body, tmp), 'Ny titel til prøve');
  } catch (e) {
    e.message += `\nserve said:\n${s.log()}`;
    throw e;
  } finally {
    await stop(s);
  }

  const n = await serve([content, '--chromium', path.join(tmp, 'no-such-chromium')]);
  try {
    const r = await get(`${n.url}bilag.pdf`);
    assert.strictEqual(r.status, 503);
    assert.match(r.body.toString(), /apt-get install chromium/);
    const index = await get(n.url);
    assert.strictEqual(index.status, 200, 'the pages are not served without an engine');
    assert.doesNotMatch(index.body.toString(), /bilag\.pdf/, 'a link to a PDF that cannot be made');
  } finally {
    await stop(n);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});

'use strict';
// serve: `briefgen serve --port 0` on a temporary copy of content/, driven by
// headless Chromium over loopback.
//   - the index loads (200) and every local link of the index, clicked,
//     reaches a page that loads (200) without console errors;
//   - editing partners/shanghai.yaml (written in place, and then saved the way
//     many editors do: a new file renamed over the old) shows the new name in
//     the open page within 2 s, without the test reloading it;
//   - breaking the file (an unknown key `ammount: 5` in a cost) shows the
//     error with partners/shanghai.yaml:LINE:COL in the open page; restoring
//     the file brings the normal page back;
//   - SIGINT stops the server with exit status 0.
// Exits 77 (ctest: skipped) while `briefgen serve` does not exist yet.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const lib = require('./lib.js');

lib.requireTools('playwright-core');
const help = lib.run(lib.BRIEFGEN, ['serve', '--help']);
if (help.status !== 0 || !/usage: briefgen serve/.test(help.stdout + help.stderr)) {
  console.log('# SKIP: briefgen serve is not implemented yet (`briefgen serve --help` shows no usage)');
  process.exit(77);
}

const LIVE_MS = 2000;   // the promise: an edit shows within two seconds

// Starts the server; resolves with { proc, url, log } once it says its URL.
function startServer(content) {
  return new Promise((resolve, reject) => {
    const proc = spawn(lib.BRIEFGEN, ['serve', '--port', '0', content], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = { text: '' };
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`no URL within 15 s:\n${log.text}`)); }, 15000);
    const onData = (d) => {
      log.text += d.toString();
      const m = /briefgen: serving .* at (http:\/\/[^\s]+\/)/.exec(log.text);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1], log }); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`serve exited (${code ?? sig}) before saying its URL:\n${log.text}`)); });
  });
}

function stopServer(proc, signal = 'SIGINT', ms = 5000) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve({ code: proc.exitCode, signal: proc.signalCode });
    const timer = setTimeout(() => { proc.kill('SIGKILL'); }, ms);
    proc.once('exit', (code, sig) => { clearTimeout(timer); resolve({ code, signal: sig, timedOut: sig === 'SIGKILL' }); });
    proc.kill(signal);
  });
}

// Waits until the page's text contains (or lacks) a string, without
// reloading it; returns the milliseconds it took.
async function waitText(page, want, { absent = false, timeout = LIVE_MS, what } = {}) {
  const t0 = Date.now();
  try {
    await page.waitForFunction(([w, a]) => {
      const t = document.body ? document.body.innerText : '';
      return a ? !t.includes(w) : t.includes(w);
    }, [want, absent], { timeout, polling: 50 });
  } catch (e) {
    const body = await page.evaluate(() => document.body ? document.body.innerText : '').catch(() => '(page gone)');
    throw new Error(`${what || (absent ? `"${want}" still on the page` : `"${want}" not on the page`)} ` +
                    `after ${timeout} ms; the page shows:\n${body.slice(0, 1500)}`);
  }
  return Date.now() - t0;
}

// Writes a file as an editor that saves in place does (truncate and write).
const writeInPlace = (file, text) => fs.writeFileSync(file, text);
// Writes a file as an editor that saves a new file and renames it over.
function writeByRename(file, text) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.swp`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

test('serve with live reload', async (t) => {
  const content = path.join(lib.tmpdir('serve'), 'content');
  fs.cpSync(lib.CONTENT, content, { recursive: true });
  const yaml = path.join(content, 'partners', 'shanghai.yaml');
  const original = fs.readFileSync(yaml, 'utf8');
  const oldName = 'Shanghai Byprovins';
  assert.ok(original.includes(`name: ${oldName}\n`), `${yaml} has no "name: ${oldName}"`);

  const server = await startServer(content);
  let stopped = false;
  t.after(async () => { if (!stopped) await stopServer(server.proc, 'SIGKILL'); });
  const origin = new URL(server.url).origin;
  console.log(`# serving at ${server.url}`);

  const browser = await lib.launch();
  t.after(() => browser.close());
  const { ctx, blocked } = await lib.isolatedContext(browser, {}, origin);
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${page.url()}: console error: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`${page.url()}: page error: ${e.message}`));

  await t.test('the index and every page it links to load', async () => {
    const resp = await page.goto(server.url, { waitUntil: 'load' });
    assert.ok(resp, 'no response for the index');
    assert.strictEqual(resp.status(), 200, `index: status ${resp.status()}`);
    const hrefs = await page.$$eval('a[href]', (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
    const local = hrefs.filter((h) => !/^[a-z][a-z0-9+.-]*:/i.test(h) && !h.startsWith('#'));
    assert.ok(local.length >= 5, `only ${local.length} local links on the index: ${local.join(' ')}`);
    const problems = [];
    // The PDF is fetched, not clicked (the browser would download it): it
    // must be there, a PDF, printed from this build.
    const pdfs = local.filter((h) => /\.pdf$/.test(h));
    for (const href of pdfs) {
      const r = await page.request.get(new URL(href, server.url).href, { timeout: 60000 });
      const body = await r.body();
      if (r.status() !== 200) problems.push(`${href}: status ${r.status()}: ${body.toString().slice(0, 300)}`);
      else if (r.headers()['content-type'] !== 'application/pdf') problems.push(`${href}: Content-Type ${r.headers()['content-type']}`);
      else if (body.subarray(0, 5).toString() !== '%PDF-') problems.push(`${href}: not a PDF`);
    }
    for (const href of local.filter((h) => !pdfs.includes(h))) {
      await page.goto(server.url, { waitUntil: 'load' });
      const [nav] = await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.locator(`a[href="${href}"]`).first().click(),
      ]);
      const st = nav ? nav.status() : 'no response';
      if (st !== 200) problems.push(`${href}: status ${st}`);
      else if (!(await page.title())) problems.push(`${href}: empty <title>`);
    }
    const css = await page.request.get(new URL('assets/style.css', server.url).href);
    if (css.status() !== 200) problems.push(`assets/style.css: status ${css.status()}`);
    else if (!/^text\/css/.test(css.headers()['content-type'] || '')) problems.push(`assets/style.css: Content-Type ${css.headers()['content-type']}`);
    problems.push(...errors.splice(0));
    console.log(`# clicked ${local.length - pdfs.length} links from the index, fetched ${pdfs.length} PDF`);
    lib.noProblems(problems, 'serve');
  });

  // From here on the same page stays open; the test never reloads it.
  await page.goto(server.url, { waitUntil: 'load' });
  await Promise.all([page.waitForNavigation(), page.locator('a[href="partners/shanghai.html"]').first().click()]);
  assert.ok(page.url().endsWith('/partners/shanghai.html'), `clicked to ${page.url()}`);
  await waitText(page, oldName, { timeout: 5000 });
  const pageLoads = [];
  page.on('load', () => pageLoads.push(Date.now()));

  const newName = 'Shanghai Testprovins';
  await t.test('an edit saved in place shows within 2 s', async () => {
    writeInPlace(yaml, original.replace(`name: ${oldName}\n`, `name: ${newName}\n`));
    const ms = await waitText(page, newName, { what: 'the new partner name is not on the open page' });
    console.log(`# in-place edit shown after ${ms} ms`);
  });

  await t.test('an edit saved by rename shows within 2 s', async () => {
    writeByRename(yaml, original.replace(`name: ${oldName}\n`, 'name: Shanghai Omdøbt\n'));
    const ms = await waitText(page, 'Shanghai Omdøbt', { what: 'the renamed-in file\'s partner name is not on the open page' });
    console.log(`# rename-over edit shown after ${ms} ms`);
  });

  // An unknown key in the first cost, indented like its siblings.
  const lines = original.split('\n');
  const at = lines.findIndex((l) => /^\s+amount:\s*\d+/.test(l));
  assert.ok(at > 0, 'no amount: line in shanghai.yaml');
  const indent = /^(\s*)/.exec(lines[at])[1];
  const broken = [...lines.slice(0, at + 1), `${indent}ammount: 5`, ...lines.slice(at + 1)].join('\n');
  const line = at + 2;            // 1-based number of the inserted line
  const col = indent.length + 1;  // the key's column
  const where = `partners/shanghai.yaml:${line}:${col}`;

  await t.test(`a broken file shows ${where} in the open page`, async () => {
    writeInPlace(yaml, broken);
    const ms = await waitText(page, where, { what: `the error ${where} is not on the open page` });
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(text, /ammount/, 'the error page does not name the unknown key');
    console.log(`# error shown after ${ms} ms`);
  });

  await t.test('fixing the file brings the page back', async () => {
    writeInPlace(yaml, original);
    const ms = await waitText(page, oldName, { what: 'the restored page did not come back' });
    await waitText(page, where, { absent: true, what: `the error ${where} is still shown` });
    const resp = await page.request.get(page.url());
    assert.strictEqual(resp.status(), 200, `after the fix ${page.url()} answers ${resp.status()}`);
    console.log(`# page back after ${ms} ms`);
  });

  await t.test('the page reloaded by itself, with no console errors', () => {
    assert.ok(pageLoads.length >= 4, `the open page loaded ${pageLoads.length} times for 4 changes`);
    lib.noProblems(errors.filter((e) => !/status of 500/.test(e)), 'serve');
    assert.deepStrictEqual(blocked, [], 'requests to other origins than the preview');
  });

  await ctx.close();
  await t.test('SIGINT stops the server with status 0', async () => {
    const r = await stopServer(server.proc, 'SIGINT');
    stopped = true;
    assert.ok(!r.timedOut, `serve did not stop within 5 s of SIGINT:\n${server.log.text.slice(-2000)}`);
    assert.strictEqual(r.code, 0, `serve exited with ${r.code ?? r.signal} on SIGINT:\n${server.log.text.slice(-2000)}`);
  });
});

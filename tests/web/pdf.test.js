'use strict';
// pdf: `briefgen build content -o OUT --pdf` writes OUT/bilag.pdf, the PDF a
// committee secretary uploads to the agenda, and it loses nothing:
//   - pdfinfo: Tagged: yes; every page A4 (595 x 842 pt within 1.5 pt); at
//     most 10 pages; Title = briefing.yaml's title; Subject "Bilag til punkt
//     nr. <item>" (item from briefing.yaml); Author = the organisation;
//     Keywords set;
//   - qpdf: --show-npages agrees with pdfinfo, --check exits 0; the catalog
//     has /Lang (da) and /ViewerPreferences /DisplayDocTitle true; the
//     outline has an entry for every partner (lib.partnerNames) and one for
//     the recommendation (its heading as print.html has it);
//   - every table cell (th, td) and every amount (.num) that print.html shows
//     in print media is in pdftotext's text (whitespace-squashed);
//   - every page after the first carries the running header (the agenda item
//     "punkt nr. <item>" and the title) in its top margin (20 mm), and every
//     page says "Side n af N" in its bottom margin (22 mm);
//   - two builds with the same SOURCE_DATE_EPOCH give identical bytes;
//   - bilag.pdf is listed in OUT/SHA256SUMS and `sha256sum -c` passes there;
//   - every HTML page but print.html links to bilag.pdf, with its size.
// The PDF and a PNG of each page (pdftoppm -r 50) are kept in
// BUILDDIR/tests/web/pdf/ for people to look at.  Chromium is `chromium` on
// PATH (or $CHROMIUM, given with --chromium).  Until `build --pdf` exists the
// test fails with briefgen's usage error.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lib = require('./lib.js');

lib.requireTools('playwright-core');
const EPOCH = '1161561600';   // 2006-10-23
const PT_PER_MM = 72 / 25.4;

function briefingScalar(re, what) {
  const s = fs.readFileSync(path.join(lib.CONTENT, 'briefing.yaml'), 'utf8');
  const m = re.exec(s);
  if (!m) throw new Error(`no ${what} in content/briefing.yaml`);
  return m[1].replace(/^(['"])(.*)\1$/, '$2');
}

function buildPdf(out) {
  const args = ['build', lib.CONTENT, '-o', out, '--pdf'];
  if (process.env.CHROMIUM) args.push('--chromium', process.env.CHROMIUM);
  const r = lib.run(lib.BRIEFGEN, args, { env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH } });
  assert.strictEqual(r.status, 0, `briefgen ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  const pdf = path.join(out, 'bilag.pdf');
  assert.ok(fs.existsSync(pdf), `briefgen ${args.join(' ')} wrote no ${pdf}:\n${r.stderr}`);
  return pdf;
}

// Text of one page within a band (pdftotext -x -y -W -H, in points at 72 dpi).
function band(pdf, page, y, h) {
  const r = lib.run('pdftotext', ['-enc', 'UTF-8', '-f', String(page), '-l', String(page),
    '-r', '72', '-x', '0', '-y', String(Math.floor(y)), '-W', '700', '-H', String(Math.ceil(h)), pdf, '-']);
  assert.strictEqual(r.status, 0, `pdftotext: ${r.stderr}`);
  return r.stdout;
}

function outlineTitles(pdf) {
  const r = lib.run('qpdf', ['--json', '--json-key=outlines', pdf]);
  assert.strictEqual(r.status, 0, `qpdf --json --json-key=outlines: ${r.stderr}`);
  const titles = [];
  const walk = (items) => { for (const o of items || []) { titles.push(o.title); walk(o.kids); } };
  walk(JSON.parse(r.stdout).outlines);
  return titles;
}

function catalog(pdf) {
  const r = lib.run('qpdf', ['--json', '--json-key=qpdf', pdf]);
  assert.strictEqual(r.status, 0, `qpdf --json --json-key=qpdf: ${r.stderr}`);
  const objects = JSON.parse(r.stdout).qpdf[1];
  const deref = (v) => (typeof v === 'string' && /^\d+ \d+ R$/.test(v) ? objects[`obj:${v}`].value : v);
  const cat = deref(objects.trailer.value['/Root']);
  return { cat, deref };
}

test('build --pdf', async (t) => {
  const tmp = lib.tmpdir('pdf');
  const out = path.join(tmp, 'site');
  const pdf = buildPdf(out);
  const art = path.join(lib.ARTIFACTS, 'pdf');
  fs.rmSync(art, { recursive: true, force: true });
  fs.mkdirSync(art, { recursive: true });
  fs.copyFileSync(pdf, path.join(art, 'bilag.pdf'));
  const ppm = lib.run('pdftoppm', ['-png', '-r', '50', pdf, path.join(art, 'page')]);
  assert.strictEqual(ppm.status, 0, `pdftoppm: ${ppm.stderr}`);
  console.log(`# ${path.join(art, 'bilag.pdf')} and its pages as ${path.join(art, 'page-*.png')}`);

  const title = lib.contentTitle();
  const item = briefingScalar(/^[ \t]+item:[ \t]*(\S+)[ \t]*$/m, 'meeting.item');
  const org = briefingScalar(/^organisation:[ \t]*(.+?)[ \t]*$/m, 'organisation');
  const lang = briefingScalar(/^language:[ \t]*(\S+)[ \t]*$/m, 'language');
  const info = lib.pdfInfo(pdf);
  console.log(`# ${info.pages} pages`);

  await t.test('pdfinfo: tagged, A4, at most 10 pages, document information', () => {
    const p = [];
    if (info.info.Tagged !== 'yes') p.push(`Tagged: ${info.info.Tagged} (a tagged PDF is needed for screen readers)`);
    if (!(info.pages >= 1 && info.pages <= 10)) p.push(`${info.pages} pages (at most 10 for the bundled content)`);
    if (info.sizes.length !== info.pages) p.push(`pdfinfo listed ${info.sizes.length} page sizes for ${info.pages} pages`);
    p.push(...lib.notA4(info.sizes));
    const want = { Title: title, Subject: `Bilag til punkt nr. ${item}`, Author: org };
    for (const [k, v] of Object.entries(want))
      if (info.info[k] !== v) p.push(`${k}: ${JSON.stringify(info.info[k])}, expected ${JSON.stringify(v)}`);
    if (!info.info.Keywords) p.push('Keywords is empty');
    lib.noProblems(p, pdf);
  });

  await t.test('qpdf: page count, --check, /Lang, DisplayDocTitle', () => {
    const n = lib.run('qpdf', ['--show-npages', pdf]);
    assert.strictEqual(n.status, 0, `qpdf --show-npages: ${n.stderr}`);
    assert.strictEqual(Number(n.stdout.trim()), info.pages, 'qpdf and pdfinfo disagree on the page count');
    const c = lib.run('qpdf', ['--check', pdf]);
    assert.strictEqual(c.status, 0, `qpdf --check exited ${c.status}:\n${c.stdout}${c.stderr}`);
    const { cat, deref } = catalog(pdf);
    assert.strictEqual(deref(cat['/Lang']), `u:${lang}`, `catalog /Lang is ${JSON.stringify(cat['/Lang'])}, expected (${lang})`);
    const vp = deref(cat['/ViewerPreferences']);
    assert.ok(vp && deref(vp['/DisplayDocTitle']) === true,
      `catalog /ViewerPreferences is ${JSON.stringify(vp)}: /DisplayDocTitle true is needed`);
  });

  const browser = await lib.launch();
  t.after(() => browser.close());

  await t.test('outline: every partner and the recommendation', async () => {
    const { ctx } = await lib.isolatedContext(browser);
    const page = await ctx.newPage();
    await page.emulateMedia({ media: 'print' });
    await page.goto(pathToFileURL(path.join(out, 'print.html')).href, { waitUntil: 'load' });
    const rec = await page.evaluate(() => {
      const h = document.getElementById('h-recommendation') ||
        document.querySelector('.recommendation h2, [id*="recommendation"] h2, [id*="indstilling"] h2');
      return h ? h.innerText.replace(/\s+/g, ' ').trim() : null;
    });
    await ctx.close();
    assert.ok(rec, 'print.html has no recommendation heading (#h-recommendation or .recommendation h2)');
    const titles = outlineTitles(pdf).map((s) => String(s).replace(/\s+/g, ' ').trim());
    const p = [];
    for (const w of [...lib.partnerNames().map((x) => x.name), rec])
      if (!titles.includes(w)) p.push(`no outline entry "${w}"`);
    lib.noProblems(p, `${pdf} outline (${JSON.stringify(titles)})`);
  });

  await t.test('every table cell and amount of print.html is in the PDF text', async () => {
    const printed = await lib.printedCells(browser, path.join(out, 'print.html'));
    assert.ok(printed.cells.some((c) => c.kind === 'amount'), 'print.html shows no amount (.num) in print media');
    console.log(`# ${printed.cells.length} cells and amounts`);
    lib.noProblems(lib.cellsMissingFromPdf(printed, pdf), `${pdf} against print.html`);
  });

  await t.test('running header and "Side n af N" on every page', () => {
    const p = [];
    const top = 20 * PT_PER_MM; const bottom = 22 * PT_PER_MM;
    for (let n = 1; n <= info.pages; n++) {
      const h = info.sizes[n - 1] ? info.sizes[n - 1].h : 842;
      const head = band(pdf, n, 0, top);
      const foot = band(pdf, n, h - bottom, bottom);
      if (n > 1) {
        if (!lib.letters(head).includes(lib.letters(`punkt nr. ${item}`)))
          p.push(`page ${n}: no agenda item "punkt nr. ${item}" in the top margin (${JSON.stringify(head.trim())})`);
        if (!lib.letters(head).includes(lib.letters(title)))
          p.push(`page ${n}: no title "${title}" in the top margin (${JSON.stringify(head.trim())})`);
      }
      if (!new RegExp(`(^|\\s)Side\\s+${n}\\s+af\\s+${info.pages}(\\s|$)`).test(foot))
        p.push(`page ${n}: no "Side ${n} af ${info.pages}" in the bottom margin (${JSON.stringify(foot.trim())})`);
    }
    lib.noProblems(p, pdf);
  });

  await t.test('reproducible: the same SOURCE_DATE_EPOCH gives the same bytes', () => {
    const again = buildPdf(path.join(tmp, 'again'));
    const a = fs.readFileSync(pdf); const b = fs.readFileSync(again);
    if (!a.equals(b)) {
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      fs.copyFileSync(again, path.join(art, 'bilag-second-build.pdf'));
      assert.fail(`two builds differ (${a.length} and ${b.length} bytes, first difference at byte ${i}: ` +
        `${JSON.stringify(a.subarray(Math.max(0, i - 20), i + 20).toString('latin1'))} vs ` +
        `${JSON.stringify(b.subarray(Math.max(0, i - 20), i + 20).toString('latin1'))}); both kept in ${art}`);
    }
  });

  await t.test('SHA256SUMS lists bilag.pdf and checks', () => {
    const sums = fs.readFileSync(path.join(out, 'SHA256SUMS'), 'utf8');
    assert.match(sums, /^[0-9a-f]{64} [ *]bilag\.pdf$/m, `bilag.pdf is not in SHA256SUMS:\n${sums}`);
    const r = lib.run('sha256sum', ['--strict', '-c', 'SHA256SUMS'], { cwd: out });
    assert.strictEqual(r.status, 0, `sha256sum -c SHA256SUMS in ${out}:\n${r.stdout}${r.stderr}`);
  });

  await t.test('the HTML pages link to bilag.pdf with its size', async () => {
    const { ctx } = await lib.isolatedContext(browser);
    const page = await ctx.newPage();
    const p = [];
    const target = fs.realpathSync(pdf);
    for (const rel of lib.files(out, '.html')) {
      if (rel === 'print.html') continue;
      await page.goto(pathToFileURL(path.join(out, rel)).href, { waitUntil: 'load' });
      const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')]
        .filter((a) => /\.pdf$/i.test(a.pathname))
        .map((a) => ({ href: a.href, text: `${a.innerText} ${a.parentElement ? a.parentElement.innerText : ''}` })));
      const ok = links.filter((l) => {
        try { return fs.realpathSync(require('node:url').fileURLToPath(l.href)) === target; } catch { return false; }
      });
      if (!ok.length) p.push(`${rel}: no link to bilag.pdf (PDF links: ${JSON.stringify(links.map((l) => l.href))})`);
      else if (!ok.some((l) => /\d\s*(kB|KB|KiB|MB|MiB|B)\b/.test(l.text)))
        p.push(`${rel}: the link to bilag.pdf does not give its size (${JSON.stringify(ok[0].text.trim().slice(0, 120))})`);
    }
    await ctx.close();
    lib.noProblems(p, out);
  });
});

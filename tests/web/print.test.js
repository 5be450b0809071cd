'use strict';
// print: Chromium's print-to-PDF of print.html (print media, A4, backgrounds)
// gives A4 pages (pdfinfo: 595 x 842 pt within 1.5 pt, every page), a sane page count, a
// page number on every page, no empty page, and the appendix text (pdftotext):
// title, meeting line, every partner, the budget total, the recommendation,
// the background sections; and no navigation.  The PDFs are kept in
// BUILDDIR/tests/web/ for people to look at.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lib = require('./lib.js');

lib.requireTools('playwright-core');

const squash = (s) => s.replace(/\s+/g, '');   // pdftotext wraps lines anywhere

function pdfText(pdf) {
  const r = lib.run('pdftotext', ['-enc', 'UTF-8', pdf, '-']);
  assert.strictEqual(r.status, 0, `pdftotext: ${r.stderr}`);
  return r.stdout;
}

function pdfPages(pdf) {
  const r = lib.run('pdfinfo', ['-f', '1', '-l', '9999', pdf]);
  assert.strictEqual(r.status, 0, `pdfinfo: ${r.stderr}`);
  const pages = Number((/^Pages:\s+(\d+)/m.exec(r.stdout) || [])[1]);
  const sizes = [...r.stdout.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/mg)]
    .map((m) => ({ page: +m[1], w: +m[2], h: +m[3] }));
  return { pages, sizes };
}

const CASES = [
  {
    name: 'da', args: [],
    want: ['Region Midtjyllands internationale samarbejder', 'Bilag til punkt nr. 18',
      '1.655.000', 'Direktionen indstiller', 'Baggrunden for indstillingerne er',
      'Samtidig er der taget hensyn til'],
    never: ['Udskriftsversion', 'Gå til indholdet', 'Bilagets sider'],
  },
  {
    name: 'en', args: ['--lang', 'en'],
    want: ['Region Midtjyllands internationale samarbejder', 'Appendix to agenda item 18',
      '1,655,000', 'Direktionen', 'The recommendations are based on the following',
      'The following has also been taken into account'],
    never: ['Print version', 'Skip to content'],
  },
];

test('print to PDF', async (t) => {
  const tmp = lib.tmpdir('print');
  fs.mkdirSync(lib.ARTIFACTS, { recursive: true });
  const browser = await lib.launch();
  t.after(() => browser.close());
  const partners = lib.partnerNames();
  for (const c of CASES) {
    await t.test(c.name, async () => {
      const out = lib.build(path.join(tmp, c.name), c.args);
      const { ctx, blocked } = await lib.isolatedContext(browser);
      const page = await ctx.newPage();
      await page.emulateMedia({ media: 'print' });
      await page.goto(pathToFileURL(path.join(out, 'print.html')).href, { waitUntil: 'load' });
      const pdf = path.join(lib.ARTIFACTS, `print-${c.name}.pdf`);
      await page.pdf({ path: pdf, format: 'A4', printBackground: true });
      await ctx.close();
      assert.deepStrictEqual(blocked, [], 'print.html requested something outside its folder');

      const problems = [];
      const { pages, sizes } = pdfPages(pdf);
      console.log(`# ${c.name}: ${pdf}: ${pages} pages`);
      if (!(pages >= 3 && pages <= 40)) problems.push(`${pages} pages (expected 3 to 40)`);
      if (sizes.length !== pages) problems.push(`pdfinfo listed ${sizes.length} page sizes for ${pages} pages`);
      // A4 is 595.28 x 841.89 pt; Chromium rounds to whole CSS pixels (595.92 x 842.88).
      for (const s of sizes)
        if (Math.abs(s.w - 595.28) > 1.5 || Math.abs(s.h - 841.89) > 1.5)
          problems.push(`page ${s.page} is ${s.w} x ${s.h} pt, not A4 (595 x 842)`);

      const text = pdfText(pdf);
      const sq = squash(text);
      const perPage = text.split('\f').slice(0, pages);
      perPage.forEach((p, i) => {
        if (!p.trim()) problems.push(`page ${i + 1} is empty`);
        else if (!new RegExp(`(^|\\s)${i + 1}\\s*/\\s*${pages}(\\s|$)`).test(p))
          problems.push(`page ${i + 1} carries no page number "${i + 1} / ${pages}"`);
      });
      for (const w of [...c.want, ...partners.map((p) => p.name)])
        if (!sq.includes(squash(w))) problems.push(`text missing: "${w}"`);
      for (const n of c.never)
        if (sq.includes(squash(n))) problems.push(`navigation text printed: "${n}"`);
      lib.noProblems(problems, pdf);
    });
  }
});

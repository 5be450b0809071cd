'use strict';
// print: Chromium's print-to-PDF of print.html (print media, A4, backgrounds),
// for da and en, as a reader printing the appendix from the browser gets it:
// A4 pages (pdfinfo: 595 x 842 pt within 1.5 pt, every page), 3 to 10 pages
// for the bundled content, none empty, each saying "Side n af N" (da) or
// "Page n of N" (en); the appendix text (pdftotext): title, meeting line,
// every partner, the budget total, the recommendation, the background
// sections; every table cell (th, td) and every amount (.num) that print.html
// shows in print media (lib.printedCells / lib.cellsMissingFromPdf, the same
// check as pdf.test.js), so a table cut at the paper's edge fails; and no
// navigation.  The PDFs are kept in BUILDDIR/tests/web/ for people to look at.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lib = require('./lib.js');

lib.requireTools('playwright-core');

const CASES = [
  {
    name: 'da', args: [], pageOf: (n, N) => `Side\\s+${n}\\s+af\\s+${N}`,
    want: ['Region Midtjyllands internationale samarbejder', 'Bilag til punkt nr. 18',
      '1.655.000', 'Direktionen indstiller', 'Baggrunden for indstillingerne er',
      'Samtidig er der taget hensyn til'],
    never: ['Udskriftsversion', 'Gå til indholdet', 'Bilagets sider'],
  },
  {
    name: 'en', args: ['--lang', 'en'], pageOf: (n, N) => `Page\\s+${n}\\s+of\\s+${N}`,
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
      const { pages, sizes } = lib.pdfInfo(pdf);
      console.log(`# ${c.name}: ${pdf}: ${pages} pages`);
      if (!(pages >= 3 && pages <= 10)) problems.push(`${pages} pages (expected 3 to 10 for the bundled content)`);
      if (sizes.length !== pages) problems.push(`pdfinfo listed ${sizes.length} page sizes for ${pages} pages`);
      problems.push(...lib.notA4(sizes));

      const text = lib.pdfText(pdf);
      const sq = lib.squash(text);
      const perPage = text.split('\f').slice(0, pages);
      perPage.forEach((p, i) => {
        if (!p.trim()) problems.push(`page ${i + 1} is empty`);
        else if (!new RegExp(`(^|\\s)${c.pageOf(i + 1, pages)}(\\s|$)`).test(p))
          problems.push(`page ${i + 1} carries no page number /${c.pageOf(i + 1, pages)}/`);
      });
      const printed = await lib.printedCells(browser, path.join(out, 'print.html'));
      if (!printed.cells.some((x) => x.kind === 'amount')) problems.push('print.html shows no amount (.num) in print media');
      problems.push(...lib.cellsMissingFromPdf(printed, pdf));
      for (const w of [...c.want, ...partners.map((p) => p.name)])
        if (!sq.includes(lib.squash(w))) problems.push(`text missing: "${w}"`);
      for (const n of c.never)
        if (sq.includes(lib.squash(n))) problems.push(`navigation text printed: "${n}"`);
      lib.noProblems(problems, pdf);
    });
  }
});

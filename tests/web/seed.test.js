'use strict';
// seed: every sentence of the source document (tests/seed/, the text export
// of the 2006 appendix that content/ transcribes) is in the built appendix,
// word for word: in the text of print.html as Chromium lays it out in print
// media (document.body.innerText, so what print CSS hides does not count),
// and in briefing.md.  Sentences are compared by their letters and digits
// only (lower-case, Unicode-aware), so line breaks, double spaces, a compound
// split over two lines ("Kattegat-/Skagerrak-program") and spacing around
// punctuation do not count; everything else does.  How the seed is cut into
// sentences (abbreviations, bullets, headings) is lib.seedSentences().
// Every missing sentence is listed with its seed line.
//
// Self-tests: the splitter on a small text with each tricky case, and the
// comparison on a copy of the Danish build with one partner paragraph removed
// (from print.html and from briefing.md): it must report that paragraph's
// sentences and nothing else new.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lib = require('./lib.js');

lib.requireTools('playwright-core');
const SEED = path.join(lib.SRCDIR, 'tests', 'seed', '000_189672a08f1786b6.txt');

async function printText(browser, file) {
  const { ctx, blocked } = await lib.isolatedContext(browser);
  const page = await ctx.newPage();
  await page.emulateMedia({ media: 'print' });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const text = await page.evaluate(() => document.body.innerText);
  await ctx.close();
  assert.deepStrictEqual(blocked, [], `${file} requested something outside its folder`);
  return text;
}

const describe = (missing) => missing.map((u) => `seed line ${u.line}: "${u.text}"`);

test('splitter', () => {
  const text = [
    ' Punkt nr. 18 ', '', 'Overskrift, Land:', ' ',
    'Det er bl.a. HIH og St. ', 'Petersborg, max. 50.000 kr. i 2007  - Udgiften udgør 130.000 kr. om året. Wroclaw er',
    'Polens 4. største by den 23. oktober 2006. Bl.a. har et samarbejde med Kattegat-',
    'Skagerrak-program været på tale: Det', 'er i', '', '', 'orden!',
    '', 'Indledning til:', '- at første punkt', 'fortsætter her', ' at andet punkt', '\uf0b7 at tredje punkt', ' ',
    'Sidste sætning.',
  ].join('\n');
  const got = lib.seedSentences(text).map((u) => `${u.heading ? 'H ' : ''}${u.text}`);
  assert.deepStrictEqual(got, [
    'H Punkt nr. 18',
    'H Overskrift, Land:',
    'Det er bl.a. HIH og St. Petersborg, max. 50.000 kr. i 2007',
    'Udgiften udgør 130.000 kr. om året.',
    'Wroclaw er Polens 4. største by den 23. oktober 2006.',
    'Bl.a. har et samarbejde med Kattegat- Skagerrak-program været på tale:',
    'Det er i orden!',
    'H Indledning til:',
    'at første punkt fortsætter her',
    'at andet punkt',
    'at tredje punkt',
    'Sidste sætning.',
  ]);
  assert.strictEqual(lib.letters('Kattegat- Skagerrak-program'), lib.letters('Kattegat-Skagerrak-program'));
  assert.strictEqual(lib.letters('lande , men\n  Øst'), 'landemenøst');
  // A heading is found as its parts; a sentence only whole.
  const units = lib.seedSentences('Leningrad Oblast, Rusland:\n\nDen er god. Den er stor.\n');
  assert.deepStrictEqual(lib.missingSentences(units, 'Leningrad Oblast. Land: Rusland. Den er god.'), [units[2]]);
  assert.deepStrictEqual(lib.missingSentences(units, 'Leningrad Oblast. Den er god. Den er stor.').map((u) => u.text),
    ['Leningrad Oblast, Rusland:']);
});

test('every sentence of the seed is in the built appendix', async (t) => {
  const units = lib.seedSentences(fs.readFileSync(SEED, 'utf8'));
  assert.ok(units.length > 50, `only ${units.length} sentences found in ${SEED}`);
  const tmp = lib.tmpdir('seed');
  const out = lib.build(path.join(tmp, 'da'));
  const browser = await lib.launch();
  t.after(() => browser.close());

  const printed = await printText(browser, path.join(out, 'print.html'));
  const md = fs.readFileSync(path.join(out, 'briefing.md'), 'utf8');
  console.log(`# ${units.length} sentences and headings in the seed`);

  await t.test('print.html (print media, innerText)', () => {
    lib.noProblems(describe(lib.missingSentences(units, printed)), 'seed sentences missing from print.html');
  });
  await t.test('briefing.md', () => {
    lib.noProblems(describe(lib.missingSentences(units, md)), 'seed sentences missing from briefing.md');
  });

  await t.test('self-test: a removed partner paragraph is reported', async () => {
    // A copy of the build; in its print.html, the first paragraph of at least
    // 200 characters after the heading of the first partner (as content/
    // lists them) is removed from the DOM and the page saved; the same
    // paragraph is removed from briefing.md.
    const copy = path.join(tmp, 'da-cut');
    fs.cpSync(out, copy, { recursive: true });
    const partner = lib.partnerNames()[0].name;
    const { ctx } = await lib.isolatedContext(browser);
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(path.join(copy, 'print.html')).href, { waitUntil: 'load' });
    const cut = await page.evaluate((name) => {
      const h = [...document.querySelectorAll('h2, h3, h4')].find((e) => e.textContent.trim() === name);
      if (!h) return null;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
      walker.currentNode = h;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.localName === 'p' && n.textContent.trim().length >= 200) {
          const text = n.textContent.trim();
          n.remove();
          return { text, html: '<!DOCTYPE html>\n' + document.documentElement.outerHTML };
        }
      }
      return null;
    }, partner);
    await ctx.close();
    assert.ok(cut, `no heading "${partner}" followed by a paragraph in print.html`);
    fs.writeFileSync(path.join(copy, 'print.html'), cut.html);
    const mdFile = path.join(copy, 'briefing.md');
    const blocks = fs.readFileSync(mdFile, 'utf8').split(/\n\s*\n/);
    const i = blocks.findIndex((b) => lib.letters(b) === lib.letters(cut.text));
    assert.ok(i >= 0, `the paragraph removed from print.html is not a paragraph of briefing.md: "${cut.text.slice(0, 80)}..."`);
    blocks.splice(i, 1);
    fs.writeFileSync(mdFile, blocks.join('\n\n'));

    const removed = lib.letters(cut.text);
    const inCut = units.filter((u) => !u.heading && removed.includes(lib.letters(u.text)));
    assert.ok(inCut.length > 0, `the removed paragraph holds no seed sentence: "${cut.text.slice(0, 80)}..."`);
    const cutPrinted = await printText(browser, path.join(copy, 'print.html'));
    for (const [what, before, after] of [
      ['print.html', printed, cutPrinted],
      ['briefing.md', md, fs.readFileSync(mdFile, 'utf8')],
    ]) {
      const was = new Set(lib.missingSentences(units, before));
      const now = lib.missingSentences(units, after).filter((u) => !was.has(u));
      assert.ok(now.length > 0, `${what}: removing "${cut.text.slice(0, 60)}..." was not noticed`);
      for (const u of now)
        assert.ok(inCut.includes(u), `${what}: "${u.text}" reported missing, but it was not in the removed paragraph`);
      // Each sentence of the removed paragraph that is nowhere else is reported.
      for (const u of inCut)
        if (!lib.letters(after).includes(lib.letters(u.text)))
          assert.ok(now.includes(u) || was.has(u), `${what}: "${u.text}" is gone but not reported`);
      console.log(`# self-test ${what}: removing ${partner}'s paragraph reports ${now.length} sentence(s)`);
    }
  });
});

'use strict';
// axe: axe-core (WCAG 2.0/2.1 A and AA rules) finds no violation on any page
// (index, budget, print, each partner) of the da, en and da --include-internal
// builds, on screen at 1280 and 390 px wide, and on print.html with print
// media.  Violations are listed with rule, impact, elements and help.  The
// best-practice rules and "needs review" results are printed as notes.
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lib = require('./lib.js');

lib.requireTools('playwright-core', 'axe-core');
const AXE = path.join(lib.NODE_MODULES, 'axe-core', 'axe.min.js');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function describe(results) {
  return results.map((v) => `${v.id} (${v.impact || 'n/a'}): ${v.help}\n      ${v.helpUrl}\n` +
    v.nodes.map((n) => `      - ${n.target.join(' ')}\n          ${(n.failureSummary || '').replace(/\n/g, '\n          ')}\n` +
                        `          ${n.html.slice(0, 200)}`).join('\n')).join('\n    ');
}

async function axe(page, tags) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate((values) => window.axe.run(document, {
    runOnly: { type: 'tag', values }, resultTypes: ['violations', 'incomplete'],
  }), tags);
}

test('axe-core WCAG 2.1 A/AA', async (t) => {
  const builds = lib.standardBuilds('axe');
  const browser = await lib.launch();
  t.after(() => browser.close());
  const views = [
    { name: '1280', opts: { viewport: { width: 1280, height: 900 } } },
    { name: '390', opts: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true } },
  ];
  const notes = new Map();   // note -> Set of pages
  const note = (k, where) => { if (!notes.has(k)) notes.set(k, new Set()); notes.get(k).add(where); };
  for (const b of builds) {
    for (const v of views) {
      const { ctx } = await lib.isolatedContext(browser, v.opts);
      const page = await ctx.newPage();
      for (const rel of lib.files(b.dir, '.html')) {
        await t.test(`${b.name} ${v.name}px ${rel}`, async () => {
          await page.goto(pathToFileURL(path.join(b.dir, rel)).href);
          const r = await axe(page, WCAG);
          for (const i of r.incomplete) note(`needs review: ${i.id}: ${i.help}`, `${b.name}/${rel}@${v.name}px`);
          assert.strictEqual(r.violations.length, 0, `${r.violations.length} violation(s) on ${b.name}/${rel}:\n    ${describe(r.violations)}`);
        });
      }
      await ctx.close();
    }
    await t.test(`${b.name} print media print.html`, async () => {
      const { ctx } = await lib.isolatedContext(browser);
      const page = await ctx.newPage();
      await page.emulateMedia({ media: 'print' });
      await page.goto(pathToFileURL(path.join(b.dir, 'print.html')).href);
      const r = await axe(page, WCAG);
      await ctx.close();
      assert.strictEqual(r.violations.length, 0, `${r.violations.length} violation(s) on ${b.name}/print.html (print media):\n    ${describe(r.violations)}`);
    });
  }
  // Best practice (not WCAG): printed for people, not counted.
  const { ctx } = await lib.isolatedContext(browser);
  const page = await ctx.newPage();
  for (const rel of lib.files(builds[0].dir, '.html')) {
    await page.goto(pathToFileURL(path.join(builds[0].dir, rel)).href);
    const r = await axe(page, ['best-practice']);
    for (const v of r.violations) note(`best practice: ${v.id}: ${v.help} (e.g. ${v.nodes[0].target.join(' ')})`, rel);
  }
  await ctx.close();
  for (const [k, where] of [...notes].sort()) console.log(`# note: ${k}: ${[...where].join(' ')}`);
});

'use strict';
// screens: full-page PNG screenshots of every .html page of the Danish build
// at 1280 px wide, at 390 px (a phone: isMobile, deviceScaleFactor 2), and
// rendered in print media at 794 px (the width of A4 at 96 dpi), into
// BUILDDIR/tests/web/screens/ (emptied first, so no stale shot is left):
// NAME-1280.png, NAME-390.png, NAME-print.png, where NAME is the page's path
// with / as -.  Not compared with anything: they are for people to look at
// (issue 7 asks for them to be looked at before the layout is called done;
// layout.test.js is the check).  The test fails only when a page cannot be
// shot, comes out implausibly small, or is wider than its viewport.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lib = require('./lib.js');

lib.requireTools('playwright-core');
const VIEWS = [
  { name: '1280', opts: { viewport: { width: 1280, height: 800 } } },
  { name: '390', opts: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
  { name: 'print', opts: { viewport: { width: 794, height: 1123 } }, print: true },
];

test('screenshots', async (t) => {
  const out = lib.build(path.join(lib.tmpdir('screens'), 'da'));
  const dir = path.join(lib.ARTIFACTS, 'screens');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const pages = lib.files(out, '.html');
  assert.ok(pages.length >= 3, `only ${pages.length} pages in ${out}`);
  const browser = await lib.launch();
  t.after(() => browser.close());
  for (const v of VIEWS) {
    const { ctx, blocked } = await lib.isolatedContext(browser, v.opts);
    const page = await ctx.newPage();
    if (v.print) await page.emulateMedia({ media: 'print' });
    for (const rel of pages) {
      await t.test(`${rel} at ${v.name}`, async () => {
        await page.goto(pathToFileURL(path.join(out, rel)).href, { waitUntil: 'load' });
        const png = path.join(dir, `${rel.replace(/\//g, '-').replace(/\.html$/, '')}-${v.name}.png`);
        await page.screenshot({ path: png, fullPage: true });
        const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
        console.log(`# ${png} (${size[0]} x ${size[1]} CSS px)`);
        assert.ok(fs.statSync(png).size > 10000, `${png} is implausibly small`);
        assert.ok(size[1] > 400, `${rel} is only ${size[1]} px high`);
        assert.ok(size[0] <= v.opts.viewport.width,
          `${rel} at ${v.name} is ${size[0]} px wide in a ${v.opts.viewport.width} px viewport (it scrolls sideways)`);
      });
    }
    assert.deepStrictEqual(blocked, []);
    await ctx.close();
  }
});

'use strict';
// screens: PNG screenshots (full page) of index.html, partners/shanghai.html
// and budget.html at 1280 px wide, and the same at 390 px (a phone), from the
// Danish build, into BUILDDIR/tests/web/screens/.  Not compared with
// anything: they are for people to look at.  The test fails only when a page
// cannot be shot or comes out implausibly small.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lib = require('./lib.js');

lib.requireTools('playwright-core');
const PAGES = ['index.html', 'partners/shanghai.html', 'budget.html'];
const WIDTHS = [{ w: 1280, h: 800, scale: 1 }, { w: 390, h: 844, scale: 2, mobile: true }];

test('screenshots', async (t) => {
  const out = lib.build(path.join(lib.tmpdir('screens'), 'da'));
  const dir = path.join(lib.ARTIFACTS, 'screens');
  fs.mkdirSync(dir, { recursive: true });
  const browser = await lib.launch();
  t.after(() => browser.close());
  for (const v of WIDTHS) {
    const { ctx, blocked } = await lib.isolatedContext(browser,
      { viewport: { width: v.w, height: v.h }, deviceScaleFactor: v.scale, isMobile: !!v.mobile });
    const page = await ctx.newPage();
    for (const rel of PAGES) {
      await t.test(`${rel} at ${v.w}px`, async () => {
        await page.goto(pathToFileURL(path.join(out, rel)).href, { waitUntil: 'load' });
        const png = path.join(dir, `${rel.replace(/\//g, '-').replace(/\.html$/, '')}-${v.w}.png`);
        await page.screenshot({ path: png, fullPage: true });
        const size = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]);
        console.log(`# ${png} (${size[0]} x ${size[1]} CSS px)`);
        assert.ok(fs.statSync(png).size > 10000, `${png} is implausibly small`);
        assert.ok(size[1] > 400, `${rel} is only ${size[1]} px high`);
        assert.ok(size[0] <= v.w, `${rel} at ${v.w} px scrolls sideways (${size[0]} px wide)`);
      });
    }
    assert.deepStrictEqual(blocked, []);
    await ctx.close();
  }
});

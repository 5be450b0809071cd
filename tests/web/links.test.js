'use strict';
// links: every page of a build opened over file:// in Chromium.  Every <a>,
// <link> and src target must exist in the folder, every #fragment must exist
// in its page, no link may be absolute or file:, the pages may request
// nothing but files of the folder, and they must render without console
// errors.  Builds: da, en, and da --include-internal.
const test = require('node:test');
const assert = require('node:assert');
const lib = require('./lib.js');

lib.requireTools('playwright-core');

test('links over file://', async (t) => {
  const builds = lib.standardBuilds('links');
  const browser = await lib.launch();
  t.after(() => browser.close());
  for (const b of builds) {
    await t.test(b.name, async () => {
      const r = await lib.checkLinksOverFile(browser, b.dir, b.name);
      console.log(`# ${b.name}: ${r.pages} pages, ${r.checked} fragment links; external links: ${r.external.join(' ') || 'none'}`);
      assert.ok(r.pages >= 4, `only ${r.pages} pages`);
      lib.noProblems(r.problems, b.name);
    });
  }
});

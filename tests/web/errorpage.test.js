'use strict';
// errorpage: the page `briefgen serve` shows while the content has errors
// (issue 9, item 7).  Content with two errors (one on a source line far
// wider than a phone) and two warnings (one the bundled content's own): the
// page counts the errors and the warnings apart ("2 fejl" over the two
// errors, "2 advarsler" over the two warnings), wraps every line instead of
// running off the right edge at 390 and 1280 px, passes axe-core (WCAG 2.1 A/AA), and speaks the content's
// language: Danish for `language: da` (with LANGUAGE unset), English with
// lang="en" once briefing.yaml says `language: en`.  Screenshots go to
// BUILDDIR/tests/web/errorpage-LANG-WIDTH.png.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const lib = require('./lib.js');

lib.requireTools('playwright-core', 'axe-core');
const AXE = path.join(lib.NODE_MODULES, 'axe-core', 'axe.min.js');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function startServer(content) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.LANGUAGE;
    const proc = spawn(lib.BRIEFGEN, ['serve', '--port', '0', content], { stdio: ['ignore', 'pipe', 'pipe'], env });
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
  });
}

// Two errors (an unknown key with a 400-character value, a wrong status)
// and one more warning (an amount not stated) besides the bundled
// content's own: two warnings.
function brokenContent(lang) {
  const content = path.join(lib.tmpdir(`errorpage-${lang}`), 'content');
  fs.cpSync(lib.CONTENT, content, { recursive: true });
  const edit = (rel, from, to) => {
    const f = path.join(content, rel);
    const s = fs.readFileSync(f, 'utf8');
    assert.ok(s.includes(from), `${rel} has no "${from}"`);
    fs.writeFileSync(f, s.replace(from, to));
  };
  edit('briefing.yaml', 'language: da\n', `language: ${lang}\n`);
  edit('partners/brasov.yaml', '    amount: 25000\n', '    amount: null\n');
  edit('partners/shanghai.yaml', 'status: continue\n', 'status: continued\n');
  fs.appendFileSync(path.join(content, 'partners', 'gyor-moson-sopron.yaml'),
                    `colour: ${'x'.repeat(400)}\n`);
  return content;
}

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate((values) => window.axe.run(document, { runOnly: { type: 'tag', values } }), WCAG);
}

const views = [
  { name: '1280', opts: { viewport: { width: 1280, height: 900 } } },
  { name: '390', opts: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true } },
];
const words = {
  da: { lang: 'da', errors: '2 fejl', warnings: '2 advarsler', hint: 'tip: ' },
  en: { lang: 'en', errors: '2 errors', warnings: '2 warnings', hint: 'hint: ' },
};

test('the error page of serve', async (t) => {
  const browser = await lib.launch();
  t.after(() => browser.close());
  fs.mkdirSync(lib.ARTIFACTS, { recursive: true });
  for (const lang of ['da', 'en']) {
    const server = await startServer(brokenContent(lang));
    t.after(() => server.proc.kill('SIGKILL'));
    const want = words[lang];
    for (const v of views) {
      await t.test(`${lang} ${v.name}px`, async () => {
        const { ctx } = await lib.isolatedContext(browser, v.opts, new URL(server.url).origin);
        const page = await ctx.newPage();
        await page.goto(server.url);
        const got = await page.evaluate(() => {
          const q = (s) => document.querySelector(s);
          const items = (s) => [...document.querySelectorAll(`${s} > li`)].map((li) => li.innerText);
          return {
            lang: document.documentElement.lang,
            errors: q('h2#errors') && q('h2#errors').innerText,
            warnings: q('h2#warnings') && q('h2#warnings').innerText,
            errorItems: items('ol.errors'),
            warningItems: items('ol.warnings'),
            pre: q('pre') ? q('pre').innerText : '',
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            wide: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.tagName),
          };
        });
        await page.screenshot({ path: path.join(lib.ARTIFACTS, `errorpage-${lang}-${v.name}.png`), fullPage: true });
        assert.strictEqual(got.lang, want.lang, 'the page is not in the content\'s language');
        assert.strictEqual(got.errors, want.errors, 'the errors\' heading does not count the two errors');
        assert.strictEqual(got.warnings, want.warnings, 'the warnings\' heading does not count the two warnings');
        assert.strictEqual(got.errorItems.length, 2, `errors listed: ${got.errorItems.join(' | ')}`);
        assert.strictEqual(got.warningItems.length, 2, `warnings listed: ${got.warningItems.join(' | ')}`);
        assert.ok(got.errorItems.every((s) => / error: /.test(s)), 'a warning is listed among the errors');
        assert.ok(got.warningItems.every((s) => / warning: /.test(s)), 'an error is listed among the warnings');
        assert.ok(got.warningItems.some((s) => /brasov\.yaml:\d+:\d+: warning: /.test(s)), 'the amount not stated is not among the warnings');
        assert.ok(got.errorItems.some((s) => s.includes(want.hint)), `no "${want.hint}" on the page`);
        assert.ok(got.pre.includes('x'.repeat(100)), 'the `briefgen check` block does not show the long line');
        assert.ok(got.overflow <= 0, `the page is ${got.overflow} px wider than the window (${got.wide.join(' ')})`);
        const r = await axe(page);
        assert.strictEqual(r.violations.length, 0, r.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((n) => n.target.join(' ')).join(', ')})`).join('\n'));
        await ctx.close();
      });
    }
    server.proc.kill('SIGINT');
  }
});

'use strict';
// layout: no reader loses text or a number to the layout.  Every .html page
// of the builds (da, en, da --include-internal) is laid out in Chromium
//   - at 320 px, at 390 px (a phone: isMobile, deviceScaleFactor 2), at
//     1280 px, at 200 % zoom (a 640 px wide viewport at deviceScaleFactor 2),
//   - and in print media at the A4 text width (210 mm less the 18 mm side
//     margins of @page = 174 mm = 658 px),
// and must have:
//   - no element whose content is wider than its box (scrollWidth >
//     clientWidth + 1: text that spills out or is clipped by overflow
//     hidden/clip), nor taller than a box that clips it (overflow-y hidden or
//     clip), except a `.table-wrap` scroll region on screen that has
//     tabindex="0", role="region", aria-label or aria-labelledby, and holds a
//     table of 4 or more columns; in print nothing may scroll.  Visually
//     hidden text (the 1 px clip pattern for screen readers) is not for the
//     eye and is not checked;
//   - a document no wider than the viewport;
//   - every amount (`.num`) on one line: no "1.655.0 / 00 kr.", no "mindst /
//     1.655.000 kr."; a .num that is one run of text is on one line as a
//     whole; in one built of parts (<br> or a block: an amount with its
//     alternative under it) each amount is on one line;
//   - at 390 px: the SVG chart's text at least 12 CSS px (computed font-size
//     times the SVG's scale on screen);
//   - in print: nothing that only works on screen is displayed (the skip
//     link, nav, links to the recommendation anchor such as "Gå til
//     indstillingen", links to a PDF download), and every external link
//     (http/https) that prints shows its URL (its text, or its ::after
//     content).
// Every problem is listed with build, page, viewport, a CSS selector path and
// the widths.
const test = require('node:test');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lib = require('./lib.js');

lib.requireTools('playwright-core');

const VIEWS = [
  { name: '320px', opts: { viewport: { width: 320, height: 640 } } },
  { name: '390px', opts: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, chart: true },
  { name: '1280px', opts: { viewport: { width: 1280, height: 900 } } },
  { name: '200% zoom', opts: { viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 } },
  { name: 'print A4', opts: { viewport: { width: 658, height: 1000 } }, print: true },
];

// Runs in the page; returns a list of problems (strings).
function inspect({ width, print, chart, labels, amount }) {
  const problems = [];
  const sel = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && e !== document.documentElement; e = e.parentElement) {
      let s = e.localName;
      if (e.id) { parts.unshift(`${s}#${e.id}`); break; }
      if (e.classList.length) s += `.${[...e.classList].join('.')}`;
      const same = e.parentElement ? [...e.parentElement.children].filter((c) => c.localName === e.localName) : [];
      if (same.length > 1) s += `:nth-of-type(${same.indexOf(e) + 1})`;
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  const shown = (el) => el.getClientRects().length > 0 &&
    el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true });
  const visuallyHidden = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (/^rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)$/.test(cs.clip) || /inset\(50%\)/.test(cs.clipPath)) return true;
      if (cs.overflow !== 'visible' && e.offsetWidth <= 1 && e.offsetHeight <= 1) return true;
    }
    return false;
  };
  const columns = (table) => Math.max(0, ...[...table.rows].map((r) =>
    [...r.cells].reduce((n, c) => n + (c.colSpan || 1), 0)));
  // A labelled, keyboard-reachable scroll region around a wide table (screen only).
  const allowedScroller = (el, cs) => !print && el.matches('.table-wrap') &&
    el.getAttribute('tabindex') === '0' && el.getAttribute('role') === 'region' &&
    (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')) &&
    /^(auto|scroll)$/.test(cs.overflowX) &&
    [...el.querySelectorAll('table')].some((t) => columns(t) >= 4);

  const de = document.documentElement;
  if (de.scrollWidth > width)
    problems.push(`the document is ${de.scrollWidth} px wide in a ${width} px viewport (sideways scrolling)`);

  const over = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg')) continue;                      // SVG content has no scroll box
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.display === 'contents' || cs.display === 'inline') continue;
    if (!el.getClientRects().length) continue;
    const dx = el.scrollWidth - el.clientWidth;
    const dy = el.scrollHeight - el.clientHeight;
    const clipsY = /^(hidden|clip)$/.test(cs.overflowY) || cs.overflowY === 'auto' || cs.overflowY === 'scroll';
    if (dx <= 1 && !(clipsY && dy > 1)) continue;
    if (visuallyHidden(el)) continue;
    if (dx > 1 && allowedScroller(el, cs) && !(clipsY && dy > 1)) continue;
    const what = dx > 1
      ? `content ${el.scrollWidth} px wide in a box of ${el.clientWidth} px (overflow-x: ${cs.overflowX})`
      : `content ${el.scrollHeight} px high in a box of ${el.clientHeight} px (overflow-y: ${cs.overflowY})`;
    let why = '';
    if (el.matches('.table-wrap') && dx > 1) {
      const n = Math.max(0, ...[...el.querySelectorAll('table')].map(columns));
      why = print ? ' [a scroll region in print: nothing may scroll on paper]'
        : ` [not an allowed scroll region: ${n} column(s), tabindex=${el.getAttribute('tabindex')}, ` +
          `role=${el.getAttribute('role')}, label=${el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')}]`;
    }
    over.push({ el, msg: `${sel(el)}: ${what}${why}; text "${(el.innerText || '').replace(/\s+/g, ' ').trim().slice(0, 60)}"` });
  }
  // Report the innermost: an ancestor that only overflows because of a
  // reported descendant adds nothing.
  for (const o of over)
    if (!over.some((p) => p !== o && o.el.contains(p.el))) problems.push(o.msg);

  // Amounts on one line.  A .num element that is one run of text (no <br>,
  // no block inside) is on one line as a whole; in one that is built of
  // parts (an amount with an alternative under it: "200.000 kr." and a block
  // "ved fuld tid: 375.000 kr.") every amount in it is on one line, prefix
  // ("mindst", "DKK") and all.
  const lineCount = (rects) => {
    rects = rects.filter((b) => b.width > 0 && b.height > 0).sort((a, b) => (a.top + a.bottom) - (b.top + b.bottom));
    let lines = 0; let mid = -Infinity;
    for (const b of rects) {
      const m = (b.top + b.bottom) / 2;
      if (m - mid > b.height / 2) { lines++; mid = m; }
    }
    return lines;
  };
  const amountRe = new RegExp(amount, 'gu');
  for (const el of document.querySelectorAll('.num')) {
    if (!shown(el)) continue;
    const nodes = []; let text = '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push({ n, at: text.length }); text += n.data; }
    const rangeOf = (s, e) => {
      const r = document.createRange();
      const find = (off) => { let k = nodes.length - 1; while (k > 0 && nodes[k].at > off) k--; return k; };
      const a = find(s); const b = find(Math.max(s, e - 1));
      r.setStart(nodes[a].n, s - nodes[a].at);
      r.setEnd(nodes[b].n, e - nodes[b].at);
      return r;
    };
    if (!nodes.length) continue;
    const parts = [...el.querySelectorAll('*')].some((d) => d.localName === 'br' ||
      (d.getClientRects().length && !/^inline/.test(getComputedStyle(d).display)));
    const box = Math.round(el.getBoundingClientRect().width);
    if (!parts) {
      const lines = lineCount([...rangeOf(0, text.length).getClientRects()]);
      if (lines > 1)
        problems.push(`${sel(el)}: "${el.innerText.replace(/\s+/g, ' ').trim()}" wraps onto ${lines} lines (box ${box} px wide)`);
      continue;
    }
    for (const m of text.matchAll(amountRe)) {
      const lines = lineCount([...rangeOf(m.index, m.index + m[0].length).getClientRects()]);
      if (lines > 1)
        problems.push(`${sel(el)}: amount "${m[0].replace(/\s+/g, ' ')}" wraps onto ${lines} lines (box ${box} px wide)`);
    }
  }

  if (chart) {
    for (const t of document.querySelectorAll('svg text')) {
      if (!shown(t)) continue;
      const svg = t.ownerSVGElement;
      const m = t.getScreenCTM();
      const scale = m ? Math.hypot(m.a, m.b) : 1;
      const fs = parseFloat(getComputedStyle(t).fontSize);
      const px = fs * scale;
      if (!(px >= 12))
        problems.push(`${sel(svg)} text "${t.textContent.trim()}": ${px.toFixed(1)} CSS px on screen ` +
                      `(font-size ${fs} px x scale ${scale.toFixed(3)}; box ${t.getBoundingClientRect().height.toFixed(1)} px high; ` +
                      `SVG ${Math.round(svg.getBoundingClientRect().width)} px wide), under 12 px`);
    }
  }

  if (print) {
    const screenOnly = new Set([...document.querySelectorAll('.skip, nav, a[href$=".pdf"], a[download]')]);
    for (const a of document.querySelectorAll('a[href]')) {
      const href = a.getAttribute('href');
      const frag = href.includes('#') ? href.slice(href.indexOf('#') + 1) : '';
      const text = a.textContent.replace(/\s+/g, ' ').trim();
      if (/recommendation|indstilling/i.test(frag) || labels.includes(text)) screenOnly.add(a);
    }
    for (const el of screenOnly)
      if (shown(el))
        problems.push(`${sel(el)} "${el.textContent.replace(/\s+/g, ' ').trim().slice(0, 60)}" ` +
                      `(href ${JSON.stringify(el.getAttribute('href'))}) works only on screen but prints`);
    for (const a of document.querySelectorAll('a[href^="http:"], a[href^="https:"]')) {
      if (!shown(a)) continue;
      const href = a.getAttribute('href');
      const bare = href.replace(/^https?:\/\//, '').replace(/\/$/, '');
      const after = getComputedStyle(a, '::after').content;
      const before = getComputedStyle(a, '::before').content;
      const text = `${before} ${a.innerText} ${after}`;
      if (!text.includes(href) && !text.includes(bare))
        problems.push(`${sel(a)} "${a.innerText.trim()}" links to ${href} but does not print the URL ` +
                      `(::after content ${after})`);
    }
  }
  return problems;
}

test('layout loses nothing', async (t) => {
  const builds = lib.standardBuilds('layout');
  const labels = [];
  const amounts = [];
  const esc = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
  for (const lang of ['da', 'en']) {
    const l = lib.i18n(lang);
    for (const k of ['go_to_recommendation', 'skip_to_content']) if (l[k]) labels.push(l[k]);
    // An amount as the language writes it: [at least] [before]1.655.000[after].
    const sep = esc(l.thousands_separator || '.');
    amounts.push(`(?:${esc(l.at_least || 'mindst')}\\s+)?${esc(l.currency_before || '')}` +
                 `\\d{1,3}(?:${sep}\\d{3})*${esc(l.currency_after || '')}`);
  }
  const amount = amounts.map((a) => `(?:${a})`).join('|');
  const browser = await lib.launch();
  t.after(() => browser.close());
  let failed = 0; let checked = 0;
  for (const b of builds) {
    for (const v of VIEWS) {
      const { ctx, blocked } = await lib.isolatedContext(browser, v.opts);
      const page = await ctx.newPage();
      if (v.print) await page.emulateMedia({ media: 'print' });
      for (const rel of lib.files(b.dir, '.html')) {
        await t.test(`${b.name} ${v.name} ${rel}`, async () => {
          await page.goto(pathToFileURL(path.join(b.dir, rel)).href, { waitUntil: 'load' });
          const problems = await page.evaluate(inspect,
            { width: v.opts.viewport.width, print: !!v.print, chart: !!v.chart, labels, amount });
          checked++;
          if (problems.length) failed++;
          lib.noProblems(problems, `${b.name}/${rel} at ${v.name}`);
        });
      }
      await ctx.close();
      lib.noProblems(blocked.map((u) => `blocked request to ${u}`), `${b.name} at ${v.name}`);
    }
  }
  console.log(`# ${checked} page layouts checked, ${failed} with problems`);
});

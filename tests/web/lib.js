'use strict';
// Shared helpers of the browser and HTML tests (tests/web/*.test.js).
//
// Environment (set by ctest from BRIEFGEN_TEST_ENV; defaults for a manual run
// from the repository): BRIEFGEN = the briefgen binary, SRCDIR = the
// repository, BUILDDIR = the CMake build folder (artifacts go under
// BUILDDIR/tests/web/).  Nothing here downloads anything: Chromium is Debian's
// /usr/bin/chromium, the npm tools come from tests/web/node_modules, which
// build-aux/install-deps installs from package-lock.json.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { pathToFileURL, fileURLToPath } = require('node:url');

const HERE = __dirname;
const SRCDIR = path.resolve(process.env.SRCDIR || path.join(HERE, '..', '..'));
const BUILDDIR = path.resolve(process.env.BUILDDIR || path.join(SRCDIR, 'build', 'release'));
const BRIEFGEN = path.resolve(process.env.BRIEFGEN || path.join(BUILDDIR, 'briefgen'));
const CONTENT = path.join(SRCDIR, 'content');
const NODE_MODULES = path.join(HERE, 'node_modules');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARTIFACTS = path.join(BUILDDIR, 'tests', 'web');

// Stop with a failure (never a skip) naming what to run.
function die(msg) {
  process.stderr.write(`FAIL: ${msg}\n`);
  process.exit(1);
}

// The npm tools this test needs, or a failure that says how to get them.
function requireTools(...names) {
  for (const n of names) {
    if (!fs.existsSync(path.join(NODE_MODULES, n, 'package.json')))
      die(`${path.join(NODE_MODULES, n)} is missing: run build-aux/install-deps ` +
          `(it runs \`npm ci\` in tests/web from package-lock.json)`);
  }
  if (!fs.existsSync(BRIEFGEN))
    die(`no briefgen binary at ${BRIEFGEN}: build it first (cmake --build build/release)`);
}

function vnuJar() {
  requireTools('vnu-jar');
  const jar = path.join(NODE_MODULES, 'vnu-jar', 'build', 'dist', 'vnu.jar');
  if (!fs.existsSync(jar)) die(`${jar} is missing: run build-aux/install-deps`);
  return jar;
}

// A temporary folder, removed at exit when the test passed, kept (and named)
// when it failed so the output can be looked at.
const temps = [];
function tmpdir(name) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `briefgen-web-${name}-`));
  temps.push(d);
  return d;
}
process.on('exit', (code) => {
  const failed = code !== 0 || (process.exitCode && process.exitCode !== 0);
  for (const d of temps) {
    if (failed && !process.env.BRIEFGEN_WEB_CLEAN) process.stderr.write(`kept for inspection: ${d}\n`);
    else fs.rmSync(d, { recursive: true, force: true });
  }
});

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error && r.error.code === 'ENOENT') die(`${cmd} not found: run build-aux/install-deps`);
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  return r;
}

// briefgen build CONTENT -o OUT ARGS...; throws with briefgen's stderr on failure.
function build(out, args = [], content = CONTENT) {
  const r = run(BRIEFGEN, ['build', content, '-o', out, ...args]);
  if (r.status !== 0)
    throw new Error(`briefgen build ${[content, '-o', out, ...args].join(' ')} exited ${r.status}:\n${r.stderr}`);
  return out;
}

// Text that marks every internal item of internalContent(); it must appear
// only in --include-internal builds.
const INTERNAL_MARKER = 'INTERN-PRØVE';

// A copy of content/ with internal items of every kind added (a prose item, a
// cost line and a whole partner), so the --include-internal pages really show
// the internal marking.  The bundled content has none.
function internalContent(dir) {
  const c = path.join(dir, 'content-internal');
  fs.cpSync(CONTENT, c, { recursive: true });
  const edit = (file, from, to) => {
    const p = path.join(c, file);
    const s = fs.readFileSync(p, 'utf8');
    if (!s.includes(from)) throw new Error(`internalContent: '${from.trim()}' not found in ${file}`);
    fs.writeFileSync(p, s.replace(from, to));
  };
  edit('briefing.yaml', '\nbackground:\n',
    `\nbackground:\n  - text: at den interne vurdering (${INTERNAL_MARKER}) følges op\n    internal: true\n`);
  edit('briefing.yaml', '  candidates:\n',
    '  candidates:\n    - intern-test\n');
  const sh = path.join(c, 'partners', 'shanghai.yaml');
  fs.writeFileSync(sh, fs.readFileSync(sh, 'utf8').replace(/\n*$/, '\n') +
    `  - label: Intern reserve (${INTERNAL_MARKER})\n    amount: 10000\n    year: 2007\n` +
    '    kind: max\n    recurrence: once\n    internal: true\n');
  fs.writeFileSync(path.join(c, 'partners', 'intern-test.yaml'),
    'name: Intern Testpartner\ncountry: NO\nstatus: explore\ninternal: true\n' +
    `summary: Et samarbejde, der endnu ikke er drøftet med partneren (${INTERNAL_MARKER}).\n`);
  return c;
}

// The builds every page test looks at: Danish, English, and Danish with
// --include-internal of a content copy that has internal items.
function standardBuilds(name) {
  const t = tmpdir(name);
  return [
    { name: 'da', dir: build(path.join(t, 'da')) },
    { name: 'en', dir: build(path.join(t, 'en'), ['--lang', 'en']) },
    { name: 'da+internal', dir: build(path.join(t, 'internal'), ['--include-internal'], internalContent(t)) },
  ];
}

// Every file under dir whose name ends in ext, relative, sorted.
function files(dir, ext) {
  const out = [];
  const walk = (d, rel) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else if (e.name.endsWith(ext)) out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

// The partner names of a content folder, from the top-level `name:` of each
// partners/*.yaml (skipping `internal: true` partners unless asked).
function partnerNames(content = CONTENT, withInternal = false) {
  const dir = path.join(content, 'partners');
  const names = [];
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const s = fs.readFileSync(path.join(dir, f), 'utf8');
    const m = /^name:[ \t]*(.+?)[ \t]*$/m.exec(s);
    if (!m) throw new Error(`no name: in ${f}`);
    if (!withInternal && /^internal:[ \t]*true\b/m.test(s)) continue;
    names.push({ slug: f.replace(/\.yaml$/, ''), name: m[1].replace(/^(['"])(.*)\1$/, '$2') });
  }
  return names;
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'];

// Headless Chromium (Debian's), with a fresh profile that Playwright creates
// and removes.  Playwright never downloads a browser here: playwright-core
// has no browsers of its own and is given the executable.
async function launch() {
  requireTools('playwright-core');
  if (!fs.existsSync(CHROMIUM)) die(`${CHROMIUM} is missing: run build-aux/install-deps (Debian package chromium)`);
  const { chromium } = require(path.join(NODE_MODULES, 'playwright-core'));
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60000 });
}

// A browser context that lets no request leave file:, data: and (for serve)
// the given origin: anything else is aborted and recorded.
async function isolatedContext(browser, opts = {}, allowOrigin = null) {
  const ctx = await browser.newContext(opts);
  const blocked = [];
  await ctx.route((u) => !(u.protocol === 'file:' || u.protocol === 'data:' ||
                           (allowOrigin && u.origin === allowOrigin)),
  (route) => { blocked.push(route.request().url()); return route.abort(); });
  return { ctx, blocked };
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

// Opens every .html page of a folder over file:// and returns the problems:
// missing local targets, missing #fragments, absolute or file: links, requests
// to anything but file:, failed loads, console errors, scripts in built pages.
async function checkLinksOverFile(browser, dir, label = path.basename(dir)) {
  const root = fs.realpathSync(dir);
  const problems = [];
  const ids = new Map();      // absolute file path -> Set of ids / a[name]
  const wanted = [];          // { from, href, file, frag }
  const external = new Set();
  const { ctx, blocked } = await isolatedContext(browser);
  const page = await ctx.newPage();
  let current = '';
  const nonFile = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('data:')) nonFile.push(`${current}: request to ${u}`);
  });
  page.on('requestfailed', (r) => problems.push(`${current}: failed to load ${r.url()} (${r.failure() && r.failure().errorText})`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${current}: console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${current}: page error: ${e.message}`));

  const pages = files(root, '.html');
  if (pages.length === 0) problems.push(`${label}: no .html files in ${root}`);
  const visit = async (rel) => {
    const abs = path.join(root, rel);
    current = `${label}/${rel}`;
    const resp = await page.goto(pathToFileURL(abs).href, { waitUntil: 'load' });
    if (!resp) problems.push(`${current}: no response`);
    const info = await page.evaluate(() => ({
      refs: [...document.querySelectorAll('a[href], link[href], area[href], [src]')].map((e) => ({
        tag: e.localName,
        raw: e.getAttribute(e.hasAttribute('href') ? 'href' : 'src'),
        abs: e.href || e.src,
      })),
      ids: [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.getAttribute('name')),
      scripts: document.querySelectorAll('script').length,
      bodyText: (document.body && document.body.innerText || '').trim().length,
      title: document.title,
    }));
    ids.set(abs, new Set(info.ids));
    if (info.scripts) problems.push(`${current}: ${info.scripts} <script> element(s) in a built page ` +
                                    '(the live-reload script belongs to serve only)');
    if (!info.bodyText) problems.push(`${current}: renders no text`);
    if (!info.title) problems.push(`${current}: empty <title>`);
    for (const ref of info.refs) {
      const raw = ref.raw.trim();
      const where = `${current}: <${ref.tag}> ${JSON.stringify(raw)}`;
      if (raw === '') { problems.push(`${where}: empty link`); continue; }
      if (raw.startsWith('//')) { problems.push(`${where}: protocol-relative link`); continue; }
      if (raw.startsWith('/')) { problems.push(`${where}: absolute local link (must be relative)`); continue; }
      if (/^file:/i.test(raw)) { problems.push(`${where}: file: link (must be relative)`); continue; }
      if (EXTERNAL.test(raw)) {
        if (/^javascript:/i.test(raw)) problems.push(`${where}: javascript: link`);
        else external.add(raw);
        continue;
      }
      const u = new URL(ref.abs);
      if (u.protocol !== 'file:') { problems.push(`${where}: resolves to ${ref.abs}`); continue; }
      const file = fileURLToPath(u.href.replace(/[?#].*$/, ''));
      const frag = u.hash ? decodeURIComponent(u.hash.slice(1)) : null;
      if (!(file + path.sep).startsWith(root + path.sep) && file !== root) {
        problems.push(`${where}: leads out of the site (${file})`);
        continue;
      }
      let st = null;
      try { st = fs.statSync(file); } catch { /* missing */ }
      if (!st) problems.push(`${where}: target ${path.relative(root, file)} does not exist`);
      else if (!st.isFile()) problems.push(`${where}: target ${path.relative(root, file)} is not a file ` +
                                           '(a folder does not open over file://)');
      else if (frag !== null) wanted.push({ where, file, frag });
    }
  };
  for (const rel of pages) await visit(rel);
  for (const w of wanted) {
    if (!ids.has(w.file)) {
      if (!w.file.endsWith('.html')) { problems.push(`${w.where}: fragment into a non-HTML file`); continue; }
      await visit(path.relative(root, w.file));
    }
    if (w.frag !== '' && w.frag !== 'top' && !ids.get(w.file).has(w.frag))
      problems.push(`${w.where}: no element with id="${w.frag}" in ${path.relative(root, w.file)}`);
  }
  problems.push(...nonFile);
  for (const b of blocked) if (!nonFile.some((n) => n.endsWith(b))) problems.push(`${label}: blocked request to ${b}`);
  await ctx.close();
  return { problems, pages: pages.length, checked: wanted.length, external: [...external].sort() };
}

// Fails with every problem listed, one per line.
function noProblems(problems, what) {
  if (problems.length)
    throw new Error(`${what}: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
}

// ---- text comparison (seed, print, pdf tests) ----

// A text reduced to its letters and digits, lower-case, Unicode-aware (NFKC,
// so a PDF's "ﬁ" ligature is "fi"): line breaks, double spaces, hyphenation
// joins and punctuation spacing do not count when two texts are compared.
function letters(s) {
  return String(s).normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

// Whitespace removed (pdftotext wraps lines anywhere), NFKC-normalised.
function squash(s) {
  return String(s).normalize('NFKC').replace(/\s+/g, '');
}

// Abbreviations of the seed that end in a period without ending a sentence
// (compared lower-case, without their final period): "bl.a. HIH", "St.
// Petersborg", "max. 50.000 kr. i 2007", "nr. 18", "vedr. budget".
const ABBREVIATIONS = new Set(['bl.a', 'max', 'mio', 'vedr', 'nr', 'st', 'kr', 'pr', 'ca', 'jf',
  'evt', 'dvs', 'f.eks', 'mv', 'm.fl', 'inkl', 'mht', 'ang', 'iht', 'ifm']);

// A bullet at the start of a source line: "- at ...", a bullet glyph (the
// Symbol-font "" of a Word document, U+F0B7, or •, ▪, ), or, where the
// glyph was lost in the text export, a line that starts with spaces and "at ".
const BULLET = /^\s*(?:[-–•\u2022\u25aa\u25cf\uf0a7\uf0b7\uf0d8\uf0fc]\s+|\s+(?=at\s))/u;

// The seed text (a PDF's text export) cut into units, each { text, line, heading }:
// - blocks start at a bullet, and at a line after blank lines that starts
//   with a capital when the line before ended a sentence or was short (a
//   heading); blank lines before a lower-case line are a page break inside a
//   sentence ("der er i / (page) / tilknytning");
// - a block is cut into sentences after . ! ? : followed by white space and a
//   capital (or the end), except after an abbreviation, and before a dash
//   followed by a capital ("... i 2007 – Udgiften til DBO ...", two sentences
//   joined by a dash in the source);
// - a block of one short line that is not a bullet and does not end in a
//   period is a heading.
function seedSentences(text) {
  const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
  const blocks = [];
  let cur = null; let blank = true; let prev = '';
  lines.forEach((raw, i) => {
    if (!raw.trim()) { blank = true; return; }
    const bullet = BULLET.test(raw);
    const line = raw.replace(BULLET, '').trim();
    const para = blank && /^\p{Lu}/u.test(line) && (/[.!?:]$/.test(prev) || prev.length < 60);
    if (!cur || bullet || para) { cur = { line: i + 1, parts: [], bullet }; blocks.push(cur); }
    cur.parts.push(line);
    blank = false; prev = raw.trim();
  });
  const out = [];
  for (const b of blocks) {
    const s = b.parts.join('\n').replace(/\s+/g, ' ').trim();
    const heading = !b.bullet && b.parts.length === 1 && s.length < 60 && !/\.$/.test(s);
    if (heading) { out.push({ text: s, line: b.line, heading: true }); continue; }
    const re = /([.!?:])\s+(?=\p{Lu}|$)|\s[–-]\s+(?=\p{Lu})/gu;
    let start = 0; let m;
    while ((m = re.exec(s))) {
      if (m[1] === '.') {
        const word = s.slice(start, m.index).split(/\s/).pop().toLowerCase();
        if (ABBREVIATIONS.has(word)) continue;
      }
      const u = s.slice(start, m[1] ? m.index + 1 : m.index).trim();
      if (u) out.push({ text: u, line: b.line, heading: false });
      start = m.index + m[0].length;
    }
    const u = s.slice(start).trim();
    if (u) out.push({ text: u, line: b.line, heading: false });
  }
  return out;
}

// The units of seedSentences() whose letters and digits do not occur in
// `text`.  A sentence must occur whole; a heading ("Leningrad Oblast,
// Rusland:") is found whole or as its parts (split at ", ", " samt ", " – "),
// each of which must occur, since the built appendix gives a partner's name
// and country as a heading and a fact.
function missingSentences(units, text) {
  const hay = letters(text);
  return units.filter((u) => {
    if (hay.includes(letters(u.text))) return false;
    if (!u.heading) return true;
    const parts = u.text.replace(/:$/, '').split(/,\s+|\s+samt\s+|\s+[–-]\s+/).map(letters).filter(Boolean);
    return !parts.every((p) => hay.includes(p));
  });
}

// ---- PDF helpers (pdfinfo, pdftotext, qpdf) ----

// pdfinfo of every page: { pages, sizes: [{page, w, h}], info: {Title: ..., ...}, raw }.
function pdfInfo(pdf) {
  const r = run('pdfinfo', ['-f', '1', '-l', '9999', pdf]);
  if (r.status !== 0) throw new Error(`pdfinfo ${pdf} exited ${r.status}: ${r.stderr}`);
  const info = {};
  for (const m of r.stdout.matchAll(/^([A-Za-z][A-Za-z ]*?):[ \t]*(.*)$/mg))
    if (!(m[1] in info)) info[m[1]] = m[2].trim();
  const pages = Number((/^Pages:\s+(\d+)/m.exec(r.stdout) || [])[1]);
  const sizes = [...r.stdout.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/mg)]
    .map((m) => ({ page: +m[1], w: +m[2], h: +m[3] }));
  return { pages, sizes, info, raw: r.stdout };
}

// A4 is 595.28 x 841.89 pt; Chromium rounds to whole CSS pixels (595.92 x 842.88).
function notA4(sizes) {
  return sizes.filter((s) => Math.abs(s.w - 595.28) > 1.5 || Math.abs(s.h - 841.89) > 1.5)
    .map((s) => `page ${s.page} is ${s.w} x ${s.h} pt, not A4 (595 x 842 within 1.5 pt)`);
}

// pdftotext's text (UTF-8), in reading order, or with -raw in content-stream order.
function pdfText(pdf, raw = false) {
  const r = run('pdftotext', ['-enc', 'UTF-8', ...(raw ? ['-raw'] : []), pdf, '-']);
  if (r.status !== 0) throw new Error(`pdftotext ${pdf} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

// What print.html (or any page) shows in print media: { cells, text }, where
// cells are the text of every table cell (th, td) and every amount (.num),
// each { kind: 'th'|'td'|'amount', text, table: caption }, skipping elements
// that are not rendered (display: none), and text is the page's innerText
// (what CSS hides is not in it).
async function printedCells(browser, htmlFile) {
  const { ctx } = await isolatedContext(browser);
  const page = await ctx.newPage();
  await page.emulateMedia({ media: 'print' });
  await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
  const r = await page.evaluate(() => {
    const cells = [];
    for (const el of document.querySelectorAll('th, td, .num')) {
      if (el.getClientRects().length === 0) continue;
      const text = el.innerText.trim();
      if (!text) continue;
      const t = el.closest('table');
      const cap = t && t.caption ? t.caption.innerText.trim() : '';
      cells.push({ kind: el.matches('.num') ? 'amount' : el.localName, text, table: cap });
    }
    return { cells, text: document.body.innerText };
  });
  await ctx.close();
  return r;
}

// Non-overlapping occurrences of needle in hay.
function occurrences(hay, needle) {
  if (!needle) return 0;
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + needle.length)) n++;
  return n;
}

// The cells of printedCells() that the PDF lost.  A cell's text (letters and
// digits, so a line wrapped or hyphenated by the PDF does not count) must
// occur in the PDF text at least as often as in the page's printed text: an
// amount such as "180.000 kr." stands in several tables, so merely finding
// it somewhere would not notice a table column cut off at the paper's edge.
// The PDF text is pdftotext's reading order or its content-stream order
// (-raw), whichever has more: a wrapped cell beside a one-line cell may be
// interleaved with it in one of them.
function cellsMissingFromPdf(printed, pdf) {
  const a = letters(pdfText(pdf));
  const b = letters(pdfText(pdf, true));
  const html = letters(printed.text);
  const seen = new Set();
  const missing = [];
  for (const c of printed.cells) {
    const l = letters(c.text);
    if (!l || seen.has(l)) continue;
    seen.add(l);
    const want = Math.max(1, occurrences(html, l));
    const have = Math.max(occurrences(a, l), occurrences(b, l));
    if (have < want)
      missing.push(`${c.kind} ${JSON.stringify(c.text)}${c.table ? ` (table "${c.table}")` : ''}: ` +
                   `${have} time(s) in the PDF text, ${want} in the printed page`);
  }
  return missing;
}

// The labels of templates/i18n/<lang>.yaml (top-level `key: value` lines).
function i18n(lang) {
  const s = fs.readFileSync(path.join(SRCDIR, 'templates', 'i18n', `${lang}.yaml`), 'utf8');
  const out = {};
  for (const m of s.matchAll(/^([a-z_][a-z0-9_]*):[ \t]*(.+?)[ \t]*$/mg))
    out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  return out;
}

// The `title:` of a content folder's briefing.yaml (a one-line scalar).
function contentTitle(content = CONTENT) {
  const s = fs.readFileSync(path.join(content, 'briefing.yaml'), 'utf8');
  const m = /^title:[ \t]*(.+?)[ \t]*$/m.exec(s);
  if (!m) throw new Error('no title: in briefing.yaml');
  return m[1].replace(/^(['"])(.*)\1$/, '$2');
}

// sha256 of every file under dir (relative path -> "mode size hash"), for
// "left as it was" comparisons; symlinks and folders are listed too.
function tree(dir) {
  const crypto = require('node:crypto');
  const out = {};
  const walk = (d, rel) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      if (e.isDirectory()) { out[`${r}/`] = `dir ${(st.mode & 0o7777).toString(8)}`; walk(p, r); }
      else if (e.isSymbolicLink()) out[r] = `link ${fs.readlinkSync(p)}`;
      else out[r] = `file ${(st.mode & 0o7777).toString(8)} ${st.size} ${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir, '');
  return out;
}

module.exports = {
  SRCDIR, BUILDDIR, BRIEFGEN, CONTENT, NODE_MODULES, CHROMIUM, ARTIFACTS, INTERNAL_MARKER,
  die, requireTools, vnuJar, tmpdir, run, build, internalContent, standardBuilds, files,
  partnerNames, noProblems, launch, isolatedContext, checkLinksOverFile,
  letters, squash, seedSentences, missingSentences, pdfInfo, notA4, pdfText, printedCells,
  cellsMissingFromPdf, occurrences, i18n, contentTitle, tree,
};

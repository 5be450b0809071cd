'use strict';
// The editor a secretary types in: yaml-language-server (what VS Code's YAML
// extension by Red Hat runs), spoken to over stdio as an editor does, on a
// partner file made by `briefgen new`, whose first line names the schema that
// `briefgen new` wrote beside the content.  Asserts what the secretary would
// lose: completion offers the partner's keys, hover explains `status` with
// the description from briefgen's table, and `status: fortsæt` is flagged
// with the allowed values.  Every wait has a timeout, so a hang fails.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const lib = require('../web/lib.js');

const STEP_MS = 30000;
const SERVER = path.join(lib.NODE_MODULES, 'yaml-language-server', 'bin', 'yaml-language-server');

lib.requireTools('yaml-language-server');
setTimeout(() => lib.die('the whole test took over 3 minutes'), 180000).unref();

// ---- a minimal LSP client: Content-Length framing, requests, notifications --

function client(proc) {
  let pending = Buffer.alloc(0);
  let nextId = 1;
  const waiting = new Map();
  const listeners = [];
  const c = {
    diagnostics: new Map(),
    send(msg) {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
      proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      proc.stdin.write(body);
    },
    request(method, params) {
      const id = nextId++;
      c.send({ id, method, params });
      return within(new Promise((resolve, reject) => waiting.set(id, { resolve, reject })),
                    method);
    },
    notify(method, params) { c.send({ method, params }); },
    // Resolves with the first notification for which test returns true.
    until(what, test) {
      return within(new Promise((resolve) => listeners.push({ test, resolve })), what);
    },
  };
  function answerServer(msg) {
    // workspace/configuration: the YAML extension's settings; anything else: null.
    const result = msg.method === 'workspace/configuration'
      ? msg.params.items.map((i) => (i.section === 'yaml' ? settings.yaml : null))
      : null;
    c.send({ id: msg.id, result });
  }
  function dispatch(msg) {
    if (msg.id !== undefined && msg.method) return answerServer(msg);
    if (msg.id !== undefined) {
      const w = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (w && msg.error) w.reject(new Error(JSON.stringify(msg.error)));
      else if (w) w.resolve(msg.result);
      return;
    }
    if (msg.method === 'textDocument/publishDiagnostics')
      c.diagnostics.set(msg.params.uri, msg.params.diagnostics);
    for (let i = listeners.length - 1; i >= 0; i--) {
      if (listeners[i].test(msg)) listeners.splice(i, 1)[0].resolve(msg);
    }
  }
  proc.stdout.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /Content-Length: (\d+)/i.exec(pending.subarray(0, end).toString('ascii'));
      if (!m) lib.die(`bad header from the server: ${pending.subarray(0, end)}`);
      const len = Number(m[1]);
      if (pending.length < end + 4 + len) return;
      const body = pending.subarray(end + 4, end + 4 + len).toString('utf8');
      pending = pending.subarray(end + 4 + len);
      dispatch(JSON.parse(body));
    }
  });
  return c;
}

function within(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${STEP_MS} ms`)),
                       STEP_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const settings = {
  yaml: { validate: true, hover: true, completion: true, format: { enable: false },
          schemaStore: { enable: false }, schemas: {}, yamlVersion: '1.2' },
};

// ---- the content ----------------------------------------------------------

function scaffold() {
  const dir = path.join(lib.tmpdir('lsp'), 'content');
  let r = lib.run(lib.BRIEFGEN, ['new', dir]);
  if (r.status !== 0) lib.die(`briefgen new: ${r.stderr}`);
  r = lib.run(lib.BRIEFGEN, ['new', '--partner', 'skaane', '--name', 'Skåne', '--country',
                             'SE', dir]);
  if (r.status !== 0) lib.die(`briefgen new --partner: ${r.stderr}`);
  const file = path.join(dir, 'partners', 'skaane.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const first = text.split('\n')[0];
  if (!/^# yaml-language-server: \$schema=\.\.\/\.schema\/partner\.schema\.json$/.test(first))
    lib.die(`the partner file does not start with the schema line: ${first}`);
  if (!fs.existsSync(path.join(dir, '.schema', 'partner.schema.json')))
    lib.die('briefgen new wrote no .schema/partner.schema.json');
  return { dir, file, text };
}

let version = 1;
function open(c, file, text) {
  const uri = pathToFileURL(file).href;
  c.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  return uri;
}
function change(c, uri, text) {
  version += 1;
  c.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
}

function labels(result) {
  const items = Array.isArray(result) ? result : (result && result.items) || [];
  return items.map((i) => i.label);
}

function hoverText(h) {
  if (!h || !h.contents) return '';
  const c = h.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return c.value || '';
}

function position(text, needle) {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const col = lines[i].indexOf(needle);
    if (col >= 0) return { line: i, character: col + 1 };
  }
  return lib.die(`'${needle}' is not in the file`);
}

// ---- the checks -------------------------------------------------------------

async function completion(c, s, failures) {
  // A file with only the schema line and an empty line: every key is offered.
  const first = s.text.split('\n')[0];
  const empty = path.join(path.dirname(s.file), 'ny.yaml');
  const uri = open(c, empty, `${first}\n\n`);
  const got = labels(await c.request('textDocument/completion',
    { textDocument: { uri }, position: { line: 1, character: 0 } }));
  for (const key of ['name', 'country', 'status', 'summary', 'costs', 'focus', 'since'])
    if (!got.includes(key)) failures.push(`completion on an empty line lacks '${key}': got ${got.join(', ')}`);
  // The file `new --partner` wrote, with a new line at its end: the keys it lacks.
  const uri2 = open(c, s.file, `${s.text}\n`);
  const lines = s.text.split('\n').length;
  const more = labels(await c.request('textDocument/completion',
    { textDocument: { uri: uri2 }, position: { line: lines, character: 0 } }));
  for (const key of ['costs', 'focus', 'body'])
    if (!more.includes(key)) failures.push(`completion after the written keys lacks '${key}': got ${more.join(', ')}`);
  if (more.includes('name')) failures.push('completion offers `name` again though the file has it');
  return uri2;
}

async function hover(c, s, uri, failures) {
  const h = await c.request('textDocument/hover',
    { textDocument: { uri }, position: position(s.text, 'status:') });
  const text = hoverText(h);
  if (!text.includes('What the recommendation does with it'))
    failures.push(`hover on status does not show its description: ${JSON.stringify(text)}`);
}

async function wrongStatus(c, s, uri, failures) {
  const wrong = s.text.replace('status: explore', 'status: fortsæt');
  const seen = c.until('diagnostics naming fortsæt', (m) =>
    m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri &&
    m.params.diagnostics.length > 0);
  change(c, uri, wrong);
  const diags = (await seen).params.diagnostics;
  const msg = diags.map((d) => d.message).join(' | ');
  const line = position(wrong, 'fortsæt').line;
  const at = diags.find((d) => d.range.start.line === line);
  if (!at) failures.push(`no diagnostic on the status line ${line}: ${msg}`);
  for (const v of ['continue', 'terminate', 'explore'])
    if (!msg.includes(v)) failures.push(`the diagnostic does not name '${v}': ${msg}`);
  // And the right status clears it.
  const cleared = c.until('diagnostics cleared', (m) =>
    m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri &&
    m.params.diagnostics.length === 0);
  change(c, uri, s.text);
  await cleared;
}

async function main() {
  const s = scaffold();
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  proc.on('exit', (code) => { if (code) lib.die(`yaml-language-server exited ${code}: ${stderr}`); });
  const c = client(proc);
  const failures = [];
  try {
    await c.request('initialize', {
      processId: process.pid, rootUri: pathToFileURL(s.dir).href,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          completion: { completionItem: { snippetSupport: false } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: {},
        },
      },
    });
    c.notify('initialized', {});
    c.notify('workspace/didChangeConfiguration', { settings });
    const uri = await completion(c, s, failures);
    await hover(c, s, uri, failures);
    await wrongStatus(c, s, uri, failures);
    await c.request('shutdown', null);
    c.notify('exit', null);
  } catch (e) {
    failures.push(`${e.message}${stderr ? `\nserver stderr: ${stderr}` : ''}`);
  }
  proc.removeAllListeners('exit');
  proc.kill();
  if (failures.length) lib.die(failures.join('\n'));
  console.log('ok: yaml-language-server completes, explains and checks briefgen content from its schema');
}

main().catch((e) => lib.die(e.stack));

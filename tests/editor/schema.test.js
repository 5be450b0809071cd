'use strict';
// The JSON Schemas of `briefgen schema --format json-schema` against real
// content, checked by ajv (ajv-cli, draft-07, strict mode: a keyword ajv does
// not know fails too).  The bundled content/ and what `briefgen new` writes
// are read as YAML 1.2 (the `yaml` package, as yaml-language-server reads
// them) into JSON, and every file must validate; a broken partner must not,
// so the test fails when the schema stops checking.

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('../web/node_modules/yaml');
const lib = require('../web/lib.js');

const AJV = path.join(lib.NODE_MODULES, 'ajv-cli', 'dist', 'index.js');
lib.requireTools('ajv-cli', 'yaml');

const tmp = lib.tmpdir('schema');
const failures = [];

function schemaFile(kind) {
  const r = lib.run(lib.BRIEFGEN, ['schema', '--format', 'json-schema', kind]);
  if (r.status !== 0) lib.die(`briefgen schema --format json-schema ${kind}: ${r.stderr}`);
  JSON.parse(r.stdout);   // throws on JSON that is not
  const f = path.join(tmp, `${kind}.schema.json`);
  fs.writeFileSync(f, r.stdout);
  return f;
}

// YAML file -> JSON file beside the schemas; returns its path.
let n = 0;
function asJson(file) {
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
  const out = path.join(tmp, `${n++}-${path.basename(file, '.yaml')}.json`);
  fs.writeFileSync(out, JSON.stringify(doc));
  return out;
}

function ajv(schema, data) {
  return lib.run(process.execPath, [AJV, 'validate', '--spec=draft7', '--strict=true',
                                    '--all-errors', '--errors=text', '-s', schema, '-d', data]);
}

function mustPass(schema, file) {
  const r = ajv(schema, asJson(file));
  if (r.status !== 0) failures.push(`${file} does not validate:\n${r.stdout}${r.stderr}`);
}

function contentFolder(dir, schemas) {
  mustPass(schemas.briefing, path.join(dir, 'briefing.yaml'));
  const partners = fs.readdirSync(path.join(dir, 'partners')).filter((f) => f.endsWith('.yaml'));
  if (!partners.length) failures.push(`${dir} has no partner files`);
  for (const f of partners) mustPass(schemas.partner, path.join(dir, 'partners', f));
}

function broken(schemas) {
  const file = path.join(tmp, 'broken.yaml');
  fs.writeFileSync(file, [
    'name: Skåne', 'country: SE', 'status: fortsæt', 'summary: Samarbejde.',
    'costs:', '  - label: Aktiviteter', '    amount: "50.000 kr."', '    kind: max', ''].join('\n'));
  const r = ajv(schemas.partner, asJson(file));
  const said = `${r.stdout}${r.stderr}`;
  if (r.status === 0) failures.push(`ajv accepts a partner with status fortsæt and amount "50.000 kr."`);
  else if (!/status/.test(said) || !/amount/.test(said))
    failures.push(`ajv's errors do not name status and amount: ${said}`);
}

const schemas = { briefing: schemaFile('briefing'), partner: schemaFile('partner') };
contentFolder(lib.CONTENT, schemas);
const made = path.join(tmp, 'ny');
let r = lib.run(lib.BRIEFGEN, ['new', made]);
if (r.status !== 0) lib.die(`briefgen new: ${r.stderr}`);
r = lib.run(lib.BRIEFGEN, ['new', '--partner', 'skaane', '--name', 'Skåne', '--country', 'SE', made]);
if (r.status !== 0) lib.die(`briefgen new --partner: ${r.stderr}`);
contentFolder(made, schemas);
// The schemas `new` writes are the ones the command prints.
for (const kind of ['briefing', 'partner'])
  if (fs.readFileSync(path.join(made, '.schema', `${kind}.schema.json`), 'utf8') !==
      fs.readFileSync(schemas[kind], 'utf8'))
    failures.push(`.schema/${kind}.schema.json differs from briefgen schema --format json-schema ${kind}`);
broken(schemas);
if (failures.length) lib.die(failures.join('\n'));
console.log('ok: the bundled and the new content validate against the JSON Schemas; a broken partner does not');

// The citation rule of eslint-rules/no-external-citations.mjs: ESLint applies it to comments in code, and this file
// applies it to the prose ESLint does not read (docs/, the root README and every app's and lib's README).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ESLint, RuleTester } from 'eslint';
import { externalCitations, noExternalCitations } from '../../eslint-rules/no-external-citations.mjs';
import { ROOT } from './util.mjs';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const error = (what, text) => ({ messageId: 'external', data: { what, text } });

new RuleTester().run('no-external-citations', noExternalCitations, {
  valid: [
    '// Store UTC (docs/architecture.md, "Time").',
    '/** Each consumer is idempotent by event id, so a redelivery changes nothing. */',
    '// npm 11 refuses the lock when the registry lists other binaries (npm/cli#8805); 4.0 dropped them (KIP-896).',
    '// The design of the relay: one advisory lock per schema.',
    "const note = 'DESIGN CONVENTIONS issue 4'; // strings are code, not citations",
    "import { Clock } from '../shared/ports';",
  ],
  invalid: [
    { code: '// Store UTC (DESIGN "Time").', errors: [error('"DESIGN"', 'DESIGN')] },
    { code: '/** Parsed once (CONVENTIONS: Config). */', errors: [error('"CONVENTIONS"', 'CONVENTIONS')] },
    {
      code: '/* see ../shared/DESIGN.md */',
      errors: [error('"DESIGN"', 'DESIGN'), error('"../shared/"', '../shared/')],
    },
    { code: '// exactly once (issue 5).', errors: [error('an issue number', 'issue 5')] },
    { code: '// Issues 4 and 5 ask for it.', errors: [error('an issue number', 'Issues 4')] },
    { code: '// as asked in issue #12', errors: [error('an issue number', 'issue #12')] },
    { code: '// fixed upstream (#123)', errors: [error('an issue number', '(#123)')] },
    {
      code: 'const a = 1;\n/**\n * Units are data, never constants\n * (DESIGN).\n */\nexport { a };',
      languageOptions: { sourceType: 'module' },
      errors: [{ messageId: 'external', line: 2, endLine: 5 }],
    },
  ],
});

describe('eslint.config.mjs', () => {
  it('applies the rule to the code of apps, libs, tests and scripts', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    for (const filePath of [
      'apps/reports/src/x.ts',
      'libs/messaging/src/x.ts',
      'test/x.e2e-spec.ts',
      'scripts/x.mjs',
    ]) {
      const [result] = await eslint.lintText('// Store UTC (DESIGN "Time").\nexport const a = 1;\n', {
        filePath,
      });
      assert.deepEqual(
        result.messages.map((m) => m.ruleId),
        ['local/no-external-citations'],
        filePath,
      );
    }
  });
});

/** Every file under `dir` (relative to the repository root) whose name passes `keep`. */
function filesUnder(dir, keep) {
  const absolute = path.join(ROOT, dir);
  return readdirSync(absolute, { recursive: true })
    .map((name) => path.join(dir, String(name)))
    .filter((file) => !file.split(path.sep).includes('node_modules'))
    .filter((file) => keep(path.basename(file)) && statSync(path.join(ROOT, file)).isFile());
}

/** The prose ESLint does not read: docs/ whole, and the READMEs of the repository, its apps and its libs. */
function proseFiles() {
  return [
    'README.md',
    ...filesUnder('docs', (name) => /\.(md|ya?ml|json)$/.test(name)),
    ...filesUnder('apps', (name) => name === 'README.md'),
    ...filesUnder('libs', (name) => name === 'README.md'),
    ...filesUnder('data', (name) => /\.(md|ya?ml|json)$/.test(name)),
    ...filesUnder('k8s', (name) => /\.ya?ml$/.test(name)),
    ...filesUnder('docker', () => true),
  ];
}

describe('prose outside ESLint', () => {
  it('finds the documents it checks', () => {
    const files = proseFiles();
    for (const expected of [
      'README.md',
      'docs/architecture.md',
      'apps/reports/README.md',
      'libs/messaging/README.md',
    ]) {
      assert.ok(files.includes(expected), `${expected} is checked`);
    }
  });

  it('cites nothing outside the repository', () => {
    const found = [];
    for (const file of proseFiles()) {
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, index) => {
          for (const { text, what } of externalCitations(line))
            found.push(`${file}:${index + 1}: ${what} (${text})`);
        });
    }
    assert.deepEqual(found, [], 'cite the section of docs/ that states the rule, or state the reason');
  });

  it('would report a citation in a README line', () => {
    assert.deepEqual(externalCitations('The shape of the system is `../shared/DESIGN.md` (issue 4).'), [
      { text: 'DESIGN', what: '"DESIGN"' },
      { text: '../shared/', what: '"../shared/"' },
      { text: 'issue 4', what: 'an issue number' },
    ]);
    assert.deepEqual(
      externalCitations('Kafka 4.0 removed old protocol versions (KIP-896; npm/cli#8805).'),
      [],
    );
  });
});

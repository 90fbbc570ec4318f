import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeEnv, settingsTable } from '@ioc/observability';
import type { z } from 'zod';

const ROOT = path.resolve(__dirname, '..', '..');
export const SETTINGS_BEGIN = '<!-- settings:begin -->';
export const SETTINGS_END = '<!-- settings:end -->';

/**
 * The settings table between the markers of `apps/<app>/README.md` and the one `describeEnv` makes from the
 * app's schema now; with IOC_UPDATE_DOCS=1 the README is rewritten first (`npm run docs:settings`), so a
 * spec comparing the two fails only on drift. A README without the markers reads as an empty table.
 */
export async function checkedInSettings(
  app: string,
  schema: z.ZodObject,
): Promise<{ checkedIn: string; current: string }> {
  const readme = path.join(ROOT, 'apps', app, 'README.md');
  const meanings = await tsDocOfVariables(app, Object.keys(schema.shape));
  const current = renderSettings(readme, schema, meanings);
  const text = await readFile(readme, 'utf8').catch(() => '');
  if (process.env.IOC_UPDATE_DOCS === '1') {
    const updated = replaceSettings(text, current);
    if (updated === undefined) throw new Error(`${readme}: add ${SETTINGS_BEGIN} and ${SETTINGS_END} first`);
    await writeFile(readme, updated);
    return { checkedIn: current, current };
  }
  return { checkedIn: settingsBetweenMarkers(text) ?? '', current };
}

function settingsBetweenMarkers(text: string): string | undefined {
  const begin = text.indexOf(SETTINGS_BEGIN);
  const end = text.indexOf(SETTINGS_END);
  if (begin < 0 || end < begin) return undefined;
  return text.slice(begin + SETTINGS_BEGIN.length, end).trim();
}

function replaceSettings(text: string, table: string): string | undefined {
  const begin = text.indexOf(SETTINGS_BEGIN);
  const end = text.indexOf(SETTINGS_END);
  if (begin < 0 || end < begin) return undefined;
  return `${text.slice(0, begin + SETTINGS_BEGIN.length)}\n\n${table}\n\n${text.slice(end)}`;
}

// Aligned by Prettier with the README's own settings, so `prettier --check` and this spec agree on the bytes.
// Prettier runs in a child process: its API loads ES modules, which Jest's CommonJS runtime cannot.
function renderSettings(readme: string, schema: z.ZodObject, meanings: Record<string, string>): string {
  const table = settingsTable(describeEnv(schema), meanings);
  const prettier = require.resolve('prettier/bin/prettier.cjs');
  return execFileSync(process.execPath, [prettier, '--stdin-filepath', readme], {
    input: table,
    encoding: 'utf8',
  }).trim();
}

/**
 * The TSDoc comment of each variable where its schema is written: the env fragments of the libs
 * (`libs/<lib>/src/**\/*env.ts`) first, then the app's `config.ts` and `*.config.ts`, which win, as their
 * `safeExtend` does. Zod keeps no comments at run time, so they are read from the source.
 */
async function tsDocOfVariables(app: string, names: readonly string[]): Promise<Record<string, string>> {
  // Loaded lazily: only these specs need the compiler, not every spec importing @ioc/testing.
  const ts = await import('typescript');
  const wanted = new Set(names);
  const files = [
    ...sourceFiles('libs', (file) => /\/src\/.*env\.ts$/.test(file)),
    ...sourceFiles(path.join('apps', app, 'src'), (file) => /(^|\/|\.)config\.ts$/.test(file)),
  ];
  const meanings: Record<string, string> = {};
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: import('typescript').Node): void => {
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && wanted.has(node.name.text)) {
        const comment = ts
          .getJSDocCommentsAndTags(node)
          .filter(ts.isJSDoc)
          .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
          .join(' ')
          .trim();
        if (comment) meanings[node.name.text] = comment;
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return meanings;
}

function sourceFiles(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(ROOT, dir, file))
    .filter((file) => !/\/(node_modules|dist)\//.test(file) && !/\.spec\.ts$/.test(file) && keep(file))
    .sort();
}

// `npm run k8s:check [-- <overlay dir>...]`: renders each k8s/ overlay (all of them by default) and validates every
// object offline against its schema: the Kubernetes API's (kubernetes-models) and the CRDs' of Strimzi, KEDA and
// CloudNativePG (@kubernetes-models/*), compiled from their OpenAPI schemas: types, required fields, enums,
// formats and bounds. Renders with kubectl when a usable one is there or can be installed
// (scripts/infra/kubectl.mjs), always with scripts/infra/kustomize.mjs too, and reports any difference between the
// two. Prints one JSON report on stdout (test/deploy/k8s-render.spec.ts reads it); exits 1 on any problem.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { ensureKubectl } from './infra/kubectl.mjs';
import { renderKustomization } from './infra/kustomize.mjs';
import { ROOT, say } from './infra/util.mjs';

/**
 * The npm package holding each API group's models; the core groups are in kubernetes-models. They are imported by
 * group, version and kind, which knip cannot follow: knip.json lists them under ignoreDependencies.
 */
const MODEL_PACKAGES = {
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
  'keda.sh': '@kubernetes-models/keda',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
};

const key = (object) => `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;

async function validate(object) {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const module = `${MODEL_PACKAGES[group] ?? 'kubernetes-models'}/${group ? `${group}/` : ''}${version}/${object.kind}`;
  let Model;
  try {
    Model = (await import(module))[object.kind];
  } catch {
    return [`no schema for ${object.apiVersion} ${object.kind}`];
  }
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return [error.message];
  }
}

function renderWithKubectl(dir) {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir}: ${result.stderr.trim()}`);
  return parseAllDocuments(result.stdout).map((document) => document.toJS());
}

const overlaysDir = path.join(ROOT, 'k8s', 'overlays');
const dirs = process.argv.slice(2).length
  ? process.argv.slice(2).map((dir) => path.resolve(dir))
  : readdirSync(overlaysDir).map((name) => path.join(overlaysDir, name));
const kubectl = ensureKubectl({ log: say });
if (!kubectl.ok) say(`rendering with scripts/infra/kustomize.mjs only: ${kubectl.reason}`);

const report = { renderer: kubectl.ok ? 'kubectl' : 'kustomize.mjs', reason: kubectl.reason, overlays: {} };
let failed = false;
for (const dir of dirs) {
  const name = path.relative(ROOT, dir);
  const fallback = renderKustomization(dir);
  const objects = kubectl.ok ? renderWithKubectl(dir) : fallback;
  const problems = [];
  if (kubectl.ok) {
    const mine = new Map(fallback.map((object) => [key(object), object]));
    for (const object of objects) {
      if (!isDeepStrictEqual(mine.get(key(object)), object))
        problems.push(`${key(object)}: scripts/infra/kustomize.mjs renders it otherwise`);
      mine.delete(key(object));
    }
    for (const extra of mine.keys()) problems.push(`${extra}: only scripts/infra/kustomize.mjs renders it`);
  }
  for (const object of objects) {
    for (const problem of await validate(object)) problems.push(`${key(object)}: ${problem}`);
  }
  failed ||= problems.length > 0;
  report.overlays[name] = { objects, problems };
}
process.stdout.write(`${JSON.stringify(report)}\n`);
for (const [name, { objects, problems }] of Object.entries(report.overlays)) {
  say(`${name}: ${objects.length} objects, ${problems.length} problems`);
  for (const problem of problems) say(`  ${problem}`);
}
process.exit(failed ? 1 : 0);

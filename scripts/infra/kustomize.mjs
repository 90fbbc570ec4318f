// Renders a k8s/ overlay as `kubectl kustomize` does, for machines whose kubectl cannot (scripts/infra/kubectl.mjs):
// the part of kustomize the project's kustomizations use, and nothing else. resources (files and directories),
// namespace, labels (metadata only), configMapGenerator (literals; create or merge; the content-hash suffix kustomize
// computes, and the references to it in pod templates rewritten), images, and inline JSON 6902 patches selected by
// kind and name. Any other field fails the render rather than being ignored, so the two renderers cannot quietly
// differ; test/deploy/k8s-render.spec.ts renders with both wherever kubectl is usable and requires the same objects.
//   node scripts/infra/kustomize.mjs <dir>     prints the rendered objects as JSON
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

const SUPPORTED = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'labels',
  'resources',
  'configMapGenerator',
  'images',
  'patches',
]);
/** Kinds kustomize treats as cluster-scoped among those the project could use (no namespace set on them). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
]);
// Internal marks on generated ConfigMaps, dropped from the output.
const GENERATED = Symbol('generated');

/** The objects `kubectl kustomize dir` prints, in no particular order. */
export function renderKustomization(dir) {
  const objects = build(path.resolve(dir));
  for (const object of objects) if (object[GENERATED]) hashName(object, objects);
  return objects.map((object) => JSON.parse(JSON.stringify(object)));
}

function build(dir) {
  const kustomization = parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'));
  for (const field of Object.keys(kustomization)) {
    if (!SUPPORTED.has(field)) throw new Error(`${dir}: kustomize field ${field} is not supported here`);
  }
  const objects = [];
  for (const entry of kustomization.resources ?? []) {
    const target = path.join(dir, entry);
    if (statSync(target).isDirectory()) objects.push(...build(target));
    else
      for (const document of parseAllDocuments(readFileSync(target, 'utf8'))) {
        const object = document.toJS();
        if (object) objects.push(object);
      }
  }
  const local = [];
  for (const generator of kustomization.configMapGenerator ?? []) {
    const data = Object.fromEntries(
      (generator.literals ?? []).map((literal) => {
        const at = literal.indexOf('=');
        return [literal.slice(0, at), literal.slice(at + 1)];
      }),
    );
    const unknown = Object.keys(generator).filter((key) => !['name', 'literals', 'behavior'].includes(key));
    if (unknown.length > 0)
      throw new Error(`${dir}: configMapGenerator ${unknown.join(', ')} is not supported here`);
    const existing = objects.find(
      (o) => o.kind === 'ConfigMap' && o[GENERATED] && o.metadata.name === generator.name,
    );
    if (generator.behavior === 'merge' || generator.behavior === 'replace') {
      if (!existing) throw new Error(`${dir}: no ConfigMap ${generator.name} to ${generator.behavior}`);
      existing.data = generator.behavior === 'merge' ? { ...existing.data, ...data } : data;
    } else {
      if (existing) throw new Error(`${dir}: ConfigMap ${generator.name} is generated twice`);
      const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: generator.name }, data };
      Object.defineProperty(configMap, GENERATED, { value: true });
      local.push(configMap);
    }
  }
  objects.push(...local);

  if (kustomization.namespace) {
    for (const object of objects) {
      if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
    }
  }
  for (const { pairs, includeSelectors, includeTemplates, ...rest } of kustomization.labels ?? []) {
    if (includeSelectors || includeTemplates || Object.keys(rest).length > 0)
      throw new Error(`${dir}: labels beyond metadata are not supported here`);
    for (const object of objects) object.metadata.labels = { ...object.metadata.labels, ...pairs };
  }
  for (const { target, patch, ...rest } of kustomization.patches ?? []) {
    if (Object.keys(rest).length > 0 || typeof patch !== 'string')
      throw new Error(`${dir}: only inline JSON 6902 patches are supported here`);
    const operations = parse(patch);
    if (!Array.isArray(operations)) throw new Error(`${dir}: only JSON 6902 patches are supported here`);
    for (const object of objects.filter((candidate) => selects(target, candidate))) {
      for (const operation of operations) applyOperation(object, operation);
    }
  }
  for (const image of kustomization.images ?? []) {
    for (const object of objects) setImages(object, image);
  }
  return objects;
}

function selects(target = {}, object) {
  const unknown = Object.keys(target).filter((key) => !['kind', 'name'].includes(key));
  if (unknown.length > 0) throw new Error(`patch target ${unknown.join(', ')} is not supported here`);
  // kustomize anchors these regular expressions at both ends.
  const matches = (pattern, value) => pattern === undefined || new RegExp(`^(?:${pattern})$`).test(value);
  return matches(target.kind, object.kind) && matches(target.name, object.metadata.name);
}

function applyOperation(object, { op, path: pointer, value }) {
  const keys = pointer
    .split('/')
    .slice(1)
    .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'));
  const last = keys.pop();
  let parent = object;
  for (const key of keys) {
    parent = parent?.[Array.isArray(parent) ? Number(key) : key];
    if (parent === undefined)
      throw new Error(`patch path ${pointer} not found in ${object.kind}/${object.metadata.name}`);
  }
  if (op === 'add') {
    if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, value);
    else parent[last] = value;
  } else if (op === 'replace') {
    if (!(last in parent))
      throw new Error(`patch path ${pointer} not found in ${object.kind}/${object.metadata.name}`);
    parent[Array.isArray(parent) ? Number(last) : last] = value;
  } else if (op === 'remove') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else throw new Error(`patch operation ${op} is not supported here`);
}

/** kustomize's image transformer: every container and init container, wherever in the object. */
function setImages(node, { name, newName, newTag, digest, ...rest }) {
  if (Object.keys(rest).length > 0)
    throw new Error(`images ${Object.keys(rest).join(', ')} is not supported here`);
  if (Array.isArray(node)) for (const item of node) setImages(item, { name, newName, newTag, digest });
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
        for (const container of value) {
          const [, image, tag] = /^(.*?)(?::([^:/@]+))?(?:@.*)?$/.exec(container.image ?? '') ?? [];
          if (image !== name) continue;
          const suffix = digest ? `@${digest}` : (newTag ?? tag) ? `:${newTag ?? tag}` : '';
          container.image = `${newName ?? image}${suffix}`;
        }
      }
      setImages(value, { name, newName, newTag, digest });
    }
  }
}

/** Appends kustomize's content hash to a generated ConfigMap's name and renames the references to it. */
function hashName(configMap, objects) {
  const original = configMap.metadata.name;
  // Go's json.Marshal of a map: keys sorted, <, > and & escaped. kustomize 5 looks the name up under a key
  // `metadata/name`, which no ConfigMap has, so the name it hashes is always empty.
  const json = goJson({ data: configMap.data, kind: 'ConfigMap', name: '' });
  const hex = createHash('sha256').update(json).digest('hex');
  const swap = { 0: 'g', 1: 'h', 3: 'k', a: 'm', e: 't' };
  const suffix = [...hex.slice(0, 10)].map((char) => swap[char] ?? char).join('');
  configMap.metadata.name = `${original}-${suffix}`;
  for (const object of objects) {
    const spec = object.spec?.template?.spec;
    if (object.metadata.namespace !== configMap.metadata.namespace || !spec) continue;
    renameConfigMapRefs(spec, original, configMap.metadata.name);
  }
}

function renameConfigMapRefs(node, from, to) {
  if (Array.isArray(node)) for (const item of node) renameConfigMapRefs(item, from, to);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (['configMapRef', 'configMapKeyRef', 'configMap'].includes(key) && value?.name === from)
        value.name = to;
      renameConfigMapRefs(value, from, to);
    }
  }
}

function goJson(value) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${goJson(key)}:${goJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value).replace(/[<>&]/g, (char) => `\\u00${char.charCodeAt(0).toString(16)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(renderKustomization(process.argv[2] ?? '.'), null, 2)}\n`);
}

// `npm run lint:docker`: docker/Dockerfile checked without a Docker engine. dockerfile-utils (the validator behind
// editors' Dockerfile support) finds what a build would refuse or warn about (bad flags, durations, ports, several
// CMDs in a stage, deprecated instructions); every one of its diagnostics fails here, warnings included. The rules
// below, on dockerfile-ast's parse, hold what the project asks of a production image: pinned base images, a non-root
// user and a health check in the final stage, exec-form commands, `npm ci` from the lock, no ADD and no fetching
// tools. Exits 1 naming each problem as file:line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

/** Each problem as `{ line, message }` (line 1-based). */
export function lintDockerfile(content) {
  const problems = validate(content).map((diagnostic) => ({
    line: diagnostic.range.start.line + 1,
    message: diagnostic.message,
  }));
  const dockerfile = DockerfileParser.parse(content);
  const at = (instruction, message) =>
    problems.push({ line: instruction.getRange().start.line + 1, message });
  const instructions = dockerfile.getInstructions();

  const stages = [];
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') stages.push({ from: instruction, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
    if (keyword === 'ADD') at(instruction, 'use COPY: ADD also fetches URLs and unpacks archives');
    if (keyword === 'RUN') {
      const command = instruction.getArgumentsContent() ?? '';
      if (/\bnpm\s+(install|i)\b/.test(command))
        at(instruction, 'use npm ci: the image installs exactly what package-lock.json says');
      if (/\b(curl|wget)\b/.test(command))
        at(instruction, 'nothing is downloaded at build time but packages');
    }
    if (
      (keyword === 'CMD' || keyword === 'ENTRYPOINT') &&
      !instruction.getArgumentsContent()?.startsWith('[')
    )
      at(instruction, `${keyword} in exec form (JSON array), so that signals reach the process`);
  }

  const stageNames = new Set(stages.map(({ from }) => from.getBuildStage()).filter(Boolean));
  for (const { from } of stages) {
    const image = resolve(dockerfile, from.getImage() ?? '', from.getRange().start.line);
    if (stageNames.has(image)) continue;
    const [, tag] = /^[^@]+?(?::([^:/@]+))?(@sha256:[0-9a-f]{64})?$/.exec(image) ?? [];
    if (!image.includes('@sha256:') && (tag === undefined || tag === 'latest'))
      at(from, `base image ${image || '(none)'} needs a pinned tag or digest`);
  }

  const final = stages.at(-1);
  if (final === undefined) problems.push({ line: 1, message: 'no FROM' });
  else {
    const users = final.instructions.filter((instruction) => instruction.getKeyword() === 'USER');
    const user = users.at(-1)?.getArgumentsContent()?.split(':')[0];
    if (user === undefined || user === 'root' || user === '0')
      at(final.from, 'the final stage must end as a non-root USER');
    const checks = final.instructions.filter((instruction) => instruction.getKeyword() === 'HEALTHCHECK');
    const check = checks.at(-1)?.getArgumentsContent() ?? '';
    if (!/\bCMD\s+\[/.test(check)) at(final.from, 'the final stage needs a HEALTHCHECK in exec form');
  }
  return problems.sort((a, b) => a.line - b.line);
}

/** `${NAME}` and `$NAME` replaced by the ARG defaults before the first FROM. */
function resolve(dockerfile, text, line) {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced, bare) => {
    const value = dockerfile.resolveVariable(braced ?? bare, line);
    return typeof value === 'string' ? value : match;
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  let failed = false;
  for (const file of files.length > 0 ? files : ['docker/Dockerfile']) {
    for (const { line, message } of lintDockerfile(readFileSync(file, 'utf8'))) {
      failed = true;
      console.error(`${path.relative(process.cwd(), path.resolve(file))}:${line}: ${message}`);
    }
  }
  process.exit(failed ? 1 : 0);
}

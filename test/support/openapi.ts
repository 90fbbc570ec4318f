import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type HttpServiceOptions, openApiDocument } from '@ioc/observability';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';

/** Enough environment for an app's config to parse when nothing will be connected to. */
export const OFFLINE_ENV = {
  DATABASE_URL: 'postgres://openapi@localhost/unused',
  KAFKA_BROKERS: 'localhost:9092',
  LOG_LEVEL: 'silent',
} as const;

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The OpenAPI document an app serves at /docs-json, built in Nest's preview mode: the module graph without
 * instantiating providers, so no database or broker is needed.
 */
export async function previewOpenApi(
  rootModule: DynamicModule,
  options: HttpServiceOptions,
): Promise<string> {
  const app = await NestFactory.create(rootModule, { preview: true, abortOnError: false, logger: false });
  try {
    return `${JSON.stringify(openApiDocument(app, options), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

/**
 * The checked-in copy `docs/openapi/<service>.json` and what the app serves now; with IOC_UPDATE_DOCS=1 the
 * copy is rewritten first (`npm run docs:openapi`), so a spec comparing the two fails only on drift.
 */
export async function checkedInOpenApi(
  service: string,
  rootModule: DynamicModule,
  options: HttpServiceOptions,
): Promise<{ checkedIn: string; current: string }> {
  const file = path.join(ROOT, 'docs', 'openapi', `${service}.json`);
  const current = await previewOpenApi(rootModule, options);
  if (process.env.IOC_UPDATE_DOCS === '1') await writeFile(file, current);
  const checkedIn = await readFile(file, 'utf8').catch(() => '');
  return { checkedIn, current };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The operations of an OpenAPI document whose answers are not documented, one line each
 * (`GET /reports/{id}: ...`): every operation documents a success (204, or a 2xx with a body schema) and at
 * least one error answer with its body; no documented answer lacks its body (a 204 excepted).
 */
export function undocumentedAnswers(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  for (const [route, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const name = `${method.toUpperCase()} ${route}`;
      const responses = Object.entries(operation.responses ?? {}) as [string, ResponseObject][];
      const hasBody = (response: ResponseObject): boolean =>
        Object.values(response.content ?? {}).some((media) => media.schema !== undefined);
      const successes = responses.filter(([status]) => status.startsWith('2'));
      const errors = responses.filter(([status]) => status.startsWith('4') || status.startsWith('5'));
      if (successes.length === 0) problems.push(`${name}: no success answer`);
      for (const [status, response] of [...successes, ...errors])
        if (status !== '204' && !hasBody(response)) problems.push(`${name}: ${status} has no body schema`);
      if (errors.length === 0) problems.push(`${name}: no error answer`);
    }
  }
  return problems;
}

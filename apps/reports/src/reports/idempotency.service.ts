import { createHash } from 'node:crypto';
import type { Tx } from '@ioc/database';
import { Injectable } from '@nestjs/common';
import { Clock } from '@ioc/platform';
import { idempotencyLookup, openReceipt, sealReceipt } from './idempotent-receipt';
import { IdempotencyKeyReusedError } from './report.errors';
import { ReportsRepository } from './reports.repository';
import { ReportsPolicy } from './reports.policy';

/** What identifies a request for its Idempotency-Key: the parsed body and the uploaded bytes. */
export interface IdempotentRequest {
  body: unknown;
  photos: readonly Buffer[];
}

/**
 * The `Idempotency-Key` of a submission (draft-ietf-httpapi-idempotency-key-header): a retry of the same
 * request gets the first answer and does nothing again; the same key with another request is refused. The
 * answer is kept sealed (see idempotent-receipt.ts) for REPORTS_IDEMPOTENCY_TTL.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly clock: Clock,
    private readonly policy: ReportsPolicy,
  ) {}

  /** Runs `work` in `tx` under `key` once; a replay returns the first answer without running it. */
  async once<T>(tx: Tx, key: string, request: IdempotentRequest, work: () => Promise<T>): Promise<T> {
    const hash = createHash('sha256').update(JSON.stringify(request.body));
    for (const photo of request.photos) hash.update(createHash('sha256').update(photo).digest());
    const requestHash = hash.digest();
    const lookup = idempotencyLookup(key);
    const claim = await this.reports.claimIdempotencyKey(
      tx,
      lookup,
      requestHash,
      this.clock.now(),
      this.policy.idempotencyTtlMs,
    );
    if (claim.state === 'replay') {
      if (!claim.requestHash.equals(requestHash)) throw new IdempotencyKeyReusedError();
      return openReceipt<T>(key, claim.response as string);
    }
    const answer = await work();
    await this.reports.storeIdempotentResponse(tx, lookup, sealReceipt(key, answer));
    return answer;
  }
}

/** The configurable time rules of the lifecycle, taken from ReportsConfig at start-up. */
export class ReportsPolicy {
  constructor(
    /** A resolved report is closed by the system after this long without the citizen's answer. */
    readonly autoCloseAfterMs: number,
    /** How long after the answer the citizen may reopen. */
    readonly reopenWindowMs: number,
    /** How long the first answer to an Idempotency-Key is replayed. */
    readonly idempotencyTtlMs: number,
    /** How many photos a report may carry. */
    readonly maxPhotos: number,
  ) {}
}

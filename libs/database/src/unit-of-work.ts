import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * A database transaction handle. Services receive it and pass it through, untouched, to repositories and the
 * outbox; only repositories use it.
 */
export type Tx = EntityManager;

/**
 * Runs work in one database transaction, so that a state change and the outbox rows announcing it commit
 * together (docs/architecture.md, "Nothing lost"). A port: unit specs give services an immediate fake.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: (tx: Tx) => Promise<T>): Promise<T>;

  /**
   * Runs work that writes at most one statement, without BEGIN and COMMIT: each statement commits on its
   * own, which makes a single write atomic by itself and saves two round trips on a hot path. Reads before
   * the write see what any statement of a `READ COMMITTED` transaction would (a fresh snapshot each) but take
   * no locks that last; work that locks, or writes twice, belongs in {@link UnitOfWork.run}. The outbox's
   * `enqueue` refuses this handle; `Outbox.rows` in the write's own statement is the way to announce it.
   * Defaults to {@link UnitOfWork.run}, which is always safe.
   */
  autocommit<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.run(work);
  }
}

/** {@link UnitOfWork} on the service's TypeORM data source; {@link DatabaseModule} provides it. */
@Injectable()
export class TypeOrmUnitOfWork extends UnitOfWork {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  override autocommit<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return work(this.dataSource.manager);
  }
}

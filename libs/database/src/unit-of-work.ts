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
}

import type { ArgumentsHost } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { runWithCorrelation } from '../logging/correlation';
import type { HttpObservation } from '../logging/http-observation';
import { IocExceptionFilter } from './ioc-exception.filter';
import { NotFoundError } from './ioc-error';

describe(IocExceptionFilter.name, () => {
  const unusedAdapter = {} as HttpAdapterHost;
  const unusedObservation = {} as HttpObservation;

  function wsHost(client: { emit: jest.Mock }): ArgumentsHost {
    return {
      getType: () => 'ws',
      switchToWs: () => ({ getClient: () => client }),
    } as unknown as ArgumentsHost;
  }

  it('answers a Socket.IO handler failure with the error body on the exception event', () => {
    const client = { emit: jest.fn() };
    const sut = new IocExceptionFilter(unusedAdapter, unusedObservation);

    runWithCorrelation('ws-1', () =>
      sut.catch(new NotFoundError('No such room', { code: 'ROOM.NOT_FOUND' }), wsHost(client)),
    );

    expect(client.emit).toHaveBeenCalledWith('exception', {
      statusCode: 404,
      code: 'ROOM.NOT_FOUND',
      message: 'No such room',
      correlationId: 'ws-1',
    });
  });

  it('rethrows in contexts it does not serve', () => {
    const sut = new IocExceptionFilter(unusedAdapter, unusedObservation);
    const error = new NotFoundError();

    expect(() => sut.catch(error, { getType: () => 'rpc' } as unknown as ArgumentsHost)).toThrow(error);
  });
});

import { parseApiKeyCommand, runApiKeyCommand, UsageError } from './api-key-command';

describe(parseApiKeyCommand.name, () => {
  const sut = parseApiKeyCommand;

  it('creates a key for the named topics', () => {
    expect(
      sut(['--integrator', 'acme', '--topic', 'ioc.camera.detections', '--topic', 'ioc.camera.*']),
    ).toEqual({
      action: 'create',
      integratorId: 'acme',
      scopes: ['ioc.camera.detections', 'ioc.camera.*'],
    });
  });

  it('--all-topics is the scope ioc.*', () => {
    expect(sut(['--integrator', 'acme', '--all-topics'])).toMatchObject({ scopes: ['ioc.*'] });
  });

  it('revokes by key id', () => {
    expect(sut(['--revoke', '0123456789abcdef'])).toEqual({ action: 'revoke', keyId: '0123456789abcdef' });
  });

  it.each([
    [[]],
    [['--integrator', 'acme']],
    [['--integrator', 'acme', '--topic', 'ioc.incidents.events']],
    [['--revoke', 'k', '--integrator', 'acme']],
    [['--unknown']],
    [['positional']],
  ])('refuses %j', (args) => {
    expect(() => sut(args)).toThrow(UsageError);
  });
});

describe(runApiKeyCommand.name, () => {
  const apiKeys = {
    create: jest.fn(async () => ({ id: 'k1', plaintext: 'ioc_k1_secret' })),
    revoke: jest.fn(async (id: string) => id === 'k1'),
  };

  it('prints the key alone on stdout', async () => {
    const result = await runApiKeyCommand(
      { action: 'create', integratorId: 'acme', scopes: ['ioc.*'] },
      apiKeys,
    );
    expect(apiKeys.create).toHaveBeenCalledWith('acme', ['ioc.*']);
    expect(result).toMatchObject({ stdout: 'ioc_k1_secret\n', exitCode: 0 });
    expect(result.stderr).not.toContain('secret');
  });

  it('fails on revoking an unknown key', async () => {
    expect(await runApiKeyCommand({ action: 'revoke', keyId: 'k1' }, apiKeys)).toMatchObject({ exitCode: 0 });
    expect(await runApiKeyCommand({ action: 'revoke', keyId: 'nope' }, apiKeys)).toMatchObject({
      exitCode: 1,
    });
  });
});

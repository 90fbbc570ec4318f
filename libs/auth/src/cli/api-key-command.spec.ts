import { InMemoryApiKeyRepository } from '../api-keys/in-memory-api-key.repository';
import { ApiKeyService } from '../api-keys/api-key.service';
import {
  type ApiKeyCommandTarget,
  apiKeyUsage,
  parseApiKeyCommand,
  runApiKeyCommand,
} from './api-key-command';
import { UsageError } from './token-command';
import { parseApiKey } from '../api-keys/api-key.format';

const withScopes: ApiKeyCommandTarget = {
  service: 'intake',
  defaultSchema: 'intake',
  migrations: [],
  scopes: {
    description: 'a topic',
    accepts: (scope) => scope === 'ioc.camera.detections' || scope.endsWith('*'),
  },
};
const roleOnly: ApiKeyCommandTarget = { service: 'reports', defaultSchema: 'reports', migrations: [] };

describe(parseApiKeyCommand.name, () => {
  const sut = parseApiKeyCommand;

  it('creates a key for an integrator with the scopes the service grants', () => {
    expect(
      sut(
        [
          '--service',
          'intake',
          '--integrator',
          'acme',
          '--scope',
          'ioc.camera.detections',
          '--scope',
          'ioc.*',
        ],
        withScopes,
      ),
    ).toEqual({ action: 'create', integratorId: 'acme', scopes: ['ioc.camera.detections', 'ioc.*'] });
  });

  it('creates a key without scopes for a service that grants by role, --service being optional', () => {
    expect(sut(['--integrator', 'hotline'], roleOnly)).toEqual({
      action: 'create',
      integratorId: 'hotline',
      scopes: [],
    });
  });

  it('lists, revokes and helps', () => {
    expect(sut(['--list'], roleOnly)).toEqual({ action: 'list' });
    expect(sut(['--revoke', '0123456789abcdef'], roleOnly)).toEqual({
      action: 'revoke',
      keyId: '0123456789abcdef',
    });
    expect(sut(['-h'], roleOnly)).toEqual({ action: 'help' });
  });

  it.each([
    [[], roleOnly, 'name exactly one of --integrator <id>, --list or --revoke <key id>'],
    [['--list', '--revoke', '0123456789abcdef'], roleOnly, 'name exactly one of'],
    [
      ['--service', 'intake', '--list'],
      roleOnly,
      'this is the reports key command; --service intake is another',
    ],
    [
      ['--integrator', 'hotline', '--scope', 'open311'],
      roleOnly,
      'reports grants by the integrator role alone',
    ],
    [['--integrator', 'acme'], withScopes, 'a intake key needs at least one --scope'],
    [
      ['--integrator', 'acme', '--scope', 'ioc.incidents.events'],
      withScopes,
      'not a scope of intake: ioc.incidents.events',
    ],
    [['--integrator', ' bad id', '--scope', 'ioc.*'], withScopes, 'integratorId must be a plain identifier'],
    [['--list', '--scope', 'ioc.*'], withScopes, '--scope goes with --integrator'],
    [['--revoke', 'not-an-id'], roleOnly, '--revoke takes a key id: 16 hex digits'],
    [['--unknown'], roleOnly, "Unknown option '--unknown'"],
    [['positional'], roleOnly, 'Unexpected argument'],
  ])('refuses %j', (args, target, message) => {
    expect(() => sut(args, target)).toThrow(UsageError);
    expect(() => sut(args, target)).toThrow(
      expect.objectContaining({ message: expect.stringContaining(message) }),
    );
  });
});

describe(runApiKeyCommand.name, () => {
  let apiKeys: ApiKeyService;

  beforeEach(() => {
    apiKeys = new ApiKeyService(new InMemoryApiKeyRepository());
  });

  it('prints the key alone on stdout and only its id on stderr', async () => {
    const result = await runApiKeyCommand(
      { action: 'create', integratorId: 'acme', scopes: ['ioc.*'] },
      apiKeys,
      'intake',
    );

    expect(result.stdout).toMatch(/^ioc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(result.exitCode).toBe(0);
    const id = result.stdout.split('_')[1];
    expect(result.stderr).toBe(`intake: created key ${id} for acme (scopes: ioc.*); it is shown only now\n`);
    await expect(apiKeys.verify(result.stdout)).resolves.toMatchObject({
      integratorId: 'acme',
      apiKeyId: id,
    });
  });

  it('lists keys without their secrets, then revokes, failing on an unknown key', async () => {
    const created = await apiKeys.create('hotline');

    const listed = await runApiKeyCommand({ action: 'list' }, apiKeys, 'reports');
    expect(listed.stdout.split('\n')).toEqual([
      'id\tintegrator\tscopes\tcreated\trevoked',
      expect.stringMatching(new RegExp(`^${created.id}\thotline\t-\t\\d{4}-[^\t]+Z\t-$`)),
    ]);
    // The secret itself may hold `_` (base64url), so it is read with the key format's own parser.
    expect(listed.stdout).not.toContain(parseApiKey(created.plaintext)?.secret);

    expect(await runApiKeyCommand({ action: 'revoke', keyId: created.id }, apiKeys, 'reports')).toEqual({
      stdout: `reports: revoked key ${created.id}`,
      stderr: '',
      exitCode: 0,
    });
    await expect(apiKeys.verify(created.plaintext)).resolves.toBeNull();
    expect(
      await runApiKeyCommand({ action: 'revoke', keyId: '0123456789abcdef' }, apiKeys, 'reports'),
    ).toMatchObject({
      exitCode: 1,
    });
  });
});

describe(apiKeyUsage.name, () => {
  it('tells how to run it for the service, with or without scopes', () => {
    expect(apiKeyUsage(withScopes)).toContain(
      'npm run api-key -- --service intake --integrator <id> --scope <scope> …',
    );
    expect(apiKeyUsage(roleOnly)).toContain('its keys carry no scope');
  });
});

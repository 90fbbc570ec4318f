// Three Jest projects: fast unit specs beside the code, integration specs that talk to the real Kafka and
// Postgres started (or found) by test/global-setup.mjs, and the fault suite (`npm run test:faults`) on a broker
// and a Postgres of its own (test/faults/global-setup.mjs), which `npm test` leaves out (scripts/test.mjs selects
// the first two unless told otherwise).
const fs = require('node:fs');
const readJson = (file) => JSON.parse(fs.readFileSync(`${__dirname}/${file}`, 'utf8'));
const swc = readJson('.swcrc');
// `@ioc/*` aliases come from tsconfig's paths, so that a new lib is one edit there.
const { paths } = readJson('tsconfig.base.json').compilerOptions;
const moduleNameMapper = Object.fromEntries(
  Object.entries(paths).map(([alias, [target]]) => [
    `^${alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
    `<rootDir>/${target}`,
  ]),
);
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.cache/', '/.run/'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // test/deploy: the image, compose file and k8s/ manifests, checked offline.
      testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts', '<rootDir>/test/deploy/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/*/test/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.mjs',
      globalTeardown: '<rootDir>/test/global-teardown.mjs',
      setupFilesAfterEnv: ['<rootDir>/test/integration-timeout.ts'],
      slowTestThreshold: 30,
    },
    {
      ...shared,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
      // A broker and a Postgres of its own, which it kills and starts again under load.
      globalSetup: '<rootDir>/test/faults/global-setup.mjs',
      globalTeardown: '<rootDir>/test/faults/global-teardown.mjs',
      setupFilesAfterEnv: ['<rootDir>/test/integration-timeout.ts'],
    },
  ],
};

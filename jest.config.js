// Two Jest projects: fast unit specs beside the code, and integration specs that talk to the real
// Kafka and Postgres started (or found) by test/global-setup.mjs.
const swc = JSON.parse(require('node:fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@ioc/testing$': '<rootDir>/test/support/index.ts',
    '^@ioc/(contracts|messaging|database|auth|observability|reference-data|platform)$':
      '<rootDir>/libs/$1/src/index.ts',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.cache/', '/.run/'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/*/test/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.mjs',
      globalTeardown: '<rootDir>/test/global-teardown.mjs',
      setupFilesAfterEnv: ['<rootDir>/test/integration-timeout.ts'],
      slowTestThreshold: 30,
    },
  ],
};

// Layer rules of docs/architecture.md ("Layers"), checked by `npm run lint` rather than by review.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'apps-are-independent',
      comment: 'A service never imports another service: what one needs of another comes as events or REST.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'contracts-stand-alone',
      comment: 'The contracts are what every service and integrator share: they import no other lib.',
      severity: 'error',
      from: { path: '^libs/contracts/src/' },
      to: { path: '^(libs/(?!contracts/)|test/|apps/)' },
    },
    {
      name: 'production-code-never-imports-tests',
      severity: 'error',
      from: { path: '^(apps|libs)/[^/]+/src/', pathNot: '\\.(spec|int-spec)\\.ts$' },
      to: { path: '(^test/|/test/|\\.(spec|int-spec|e2e-spec)\\.ts$)' },
    },
    {
      name: 'only-repositories-use-typeorm',
      comment:
        'In a service, only repositories (and migrations, the module wiring the data source) touch TypeORM; ' +
        'services and controllers depend on repositories and ports.',
      severity: 'error',
      from: {
        path: '^apps/[^/]+/src/',
        pathNot: '(\\.repository|\\.migration|\\.module|\\.spec)\\.ts$|/migrations/|/cli/',
      },
      to: { path: 'node_modules/(typeorm|@nestjs/typeorm)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(apps|libs)/' },
      // A type-only cycle (a module naming a type of the module that validates it) costs nothing at run time.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|\\.cache|\\.run|coverage)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count too: a service typed against TypeORM still depends on it.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};

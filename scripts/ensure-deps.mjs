// Installs the locked dependencies when node_modules lacks them. Preloaded by `npm start` and `npm test`
// (`node --import ./scripts/ensure-deps.mjs …`), so it runs before the entry point's imports are resolved;
// .ci/run runs it directly.
import { ensureDependencies } from './infra/deps.mjs';
import { say } from './infra/util.mjs';

try {
  ensureDependencies();
} catch (error) {
  say(error.message);
  process.exit(1);
}

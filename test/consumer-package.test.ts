import { execFileSync } from 'child_process';
import * as path from 'path';

// Packs the library (npm pack runs the tsc build) and uses the tarball from a scratch project.
test('the packed library type-checks and synthesises in a consumer project', () => {
  const output = execFileSync('bash', [path.resolve(__dirname, '..', 'scripts', 'consumer-check.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(output).toMatch(/consumer check: packed library type-checks and synthesises \(\d+ objects\)/);
}, 180_000);

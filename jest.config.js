/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Jest's default is one worker per core but one, i.e. a single worker on the 2-core machines
  // this runs on; two halve the wall time.
  maxWorkers: 2,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  // Snapshots live in the top-level __snapshots__/ folder, one file per test file.
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};

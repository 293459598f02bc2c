/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  // Snapshots live in the top-level __snapshots__/ folder, one file per test file.
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};

import * as fs from 'fs';
import * as path from 'path';
import { transformSync } from '@swc/core';
import { App, Chart, Testing } from 'cdk8s';
import * as ts from 'typescript';
import { Airflow } from '../lib';
import { CREDENTIAL_KEYS } from '../lib/credentials';
import { AirflowConfigurationError } from '../lib/validation';
import { untypedConfig } from './helpers';

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The text of a README section, from its heading to the next heading of the same or a higher level. */
function section(heading: string): string {
  const lines = readme.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) {
    throw new Error(`README has no section "${heading}"`);
  }
  const level = heading.split(' ')[0].length;
  let fenced = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    fenced = lines[end].startsWith('```') ? !fenced : fenced;
    const hashes = /^(#+) /.exec(lines[end]);
    if (!fenced && hashes && hashes[1].length <= level) {
      break;
    }
  }
  return lines.slice(start + 1, end).join('\n');
}

/** The README's TypeScript example: the one block that imports cdk8s-airflow. */
function exampleSource(): string {
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes("from 'cdk8s-airflow'"));
  if (blocks.length !== 1) {
    throw new Error(`README has ${blocks.length} TypeScript examples using cdk8s-airflow, expected one`);
  }
  return blocks[0];
}

/** Runs the README's TypeScript example against lib/ and returns the app it builds. */
function runExample(): App {
  const block = exampleSource();
  const source = block
    .replace("from 'cdk8s-airflow'", `from ${JSON.stringify(path.resolve(__dirname, '..', 'lib'))}`)
    .replace('app.synth();', 'exports.app = app;')
    .replace('new App()', 'Testing.app()')
    .replace("import { App,", "import { Testing, App,");
  const { code } = transformSync(source, { jsc: { parser: { syntax: 'typescript' }, target: 'es2020' }, module: { type: 'commonjs' } });
  const exported: { app?: App } = {};
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    new Function('require', 'exports', code)(require, exported);
  } finally {
    log.mockRestore();
  }
  return exported.app!;
}

test('the README example synthesises what it says', () => {
  const app = runExample();
  const manifests = app.charts.flatMap((chart) => Testing.synth(chart));
  const names = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
  expect(names).toEqual(expect.arrayContaining(['Deployment/etl-scheduler', 'StatefulSet/etl-worker', 'StatefulSet/etl-worker-gpu', 'Service/etl-api-server']));
  expect(names).not.toContain('StatefulSet/etl-postgresql');
  expect(manifests.find((m) => m.metadata.name === 'etl-worker' && m.kind === 'StatefulSet').spec.replicas).toBe(4);
});

test('the README quotes the validation error the library throws, word for word', () => {
  const chart = new Chart(Testing.app(), 'data-platform', { namespace: 'data' });
  let message = '';
  try {
    new Airflow(chart, 'airflow', { scheduler: { replicas: -1 }, config: untypedConfig({ core: { paralelism: 32 } }) });
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/^Airflow "data-platform\/airflow": 2 problems/);
  expect(readme).toContain('```\n' + message + '\n```');
});

test('the README quotes the rename hint the library gives, word for word', () => {
  const chart = new Chart(Testing.app(), 'data-platform', { namespace: 'data' });
  let problems: string[] = [];
  try {
    new Airflow(chart, 'airflow', { config: { webserver: { expose_config: 'True' } } });
  } catch (err) {
    problems = (err as AirflowConfigurationError).problems;
  }
  expect(problems).toHaveLength(1);
  expect(readme).toContain('```\n' + problems[0] + '\n```');
});

/**
 * Type-checks `source` as the main.ts of a project compiled with `options`, where
 * `import ... from 'cdk8s-airflow'` is this repository's lib/ (the same types the packed
 * declarations carry; scripts/package-check.sh compiles against those). Returns the messages
 * about that file, and the program, to pass back as `oldProgram` for speed.
 */
function typeCheck(source: string, options: ts.CompilerOptions, oldProgram?: ts.Program): { messages: string[]; program: ts.Program } {
  const file = path.join(root, 'readme-example', 'main.ts');
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, language, onError, create) => (name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, onError, create));
  host.fileExists = (name) => name === file || fileExists(name);
  host.resolveModuleNameLiterals = (literals, containing, redirected, compilerOptions) => literals.map((literal) => (literal.text === 'cdk8s-airflow'
    ? { resolvedModule: { resolvedFileName: path.join(root, 'lib', 'index.ts'), extension: ts.Extension.Ts, isExternalLibraryImport: false } }
    : ts.resolveModuleName(literal.text, containing, compilerOptions, host, undefined, redirected)));
  const program = ts.createProgram({ rootNames: [file], options: { ...options, noEmit: true }, host, oldProgram });
  const sourceFile = program.getSourceFile(file)!;
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(sourceFile),
    ...program.getSemanticDiagnostics(sourceFile),
  ];
  return { program, messages: diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')) };
}

/** Compiler options from tsconfig text (JSON with comments), as tsc reads them. */
function compilerOptions(text: string, where: string): ts.CompilerOptions {
  const { config, error } = ts.parseConfigFileTextToJson(where, text);
  if (error) {
    throw new Error(`${where}: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  }
  return ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(where)).options;
}

describe('the README example compiles in a stock cdk8s project', () => {
  // The tsconfig.json that `cdk8s init typescript-app` writes, from the installed cdk8s-cli.
  const templateFile = path.join(root, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json');
  const template = compilerOptions(fs.readFileSync(templateFile, 'utf8'), templateFile);
  const documented = readme.match(/```json\n(\{\n\s+"compilerOptions"[\s\S]*?)```/);
  let program: ts.Program | undefined;

  test('under the settings of `cdk8s init typescript-app` (strict, no unused locals or parameters, ...)', () => {
    expect(template).toMatchObject({ strict: true, noUnusedLocals: true, noUnusedParameters: true, noImplicitReturns: true });
    const result = typeCheck(exampleSource(), template);
    program = result.program;
    expect(result.messages).toEqual([]);
  }, 30_000);

  test('and the check can fail: the same example with an unused local does not compile', () => {
    const variant = exampleSource().replace('app.synth();', 'const unusedLocal = airflow.scheduler;\napp.synth();');
    expect(typeCheck(variant, template, program).messages).toEqual(["'unusedLocal' is declared but its value is never read."]);
  }, 30_000);

  test('under the tsconfig.json the README documents, which has every check the stock one has', () => {
    expect(documented).not.toBeNull();
    const options = compilerOptions(documented![1], path.join(root, 'readme-example', 'tsconfig.json'));
    const strictFamily = ['noImplicitAny', 'noImplicitThis', 'strictNullChecks', 'strictPropertyInitialization', 'alwaysStrict'] as const;
    for (const check of ['strict', 'noImplicitReturns', 'noUnusedLocals', 'noUnusedParameters', 'noFallthroughCasesInSwitch', ...strictFamily] as const) {
      if (template[check]) {
        const on = options[check] ?? (options.strict === true && (strictFamily as readonly string[]).includes(check));
        expect({ check, on }).toEqual({ check, on: true });
      }
    }
    expect(options.module).toBe(ts.ModuleKind.CommonJS);
    expect(typeCheck(exampleSource(), options, program).messages).toEqual([]);
  }, 30_000);
});

describe('the README tells how to install and deploy what works today', () => {
  const use = section('## Use the constructs in your own project');
  const peers = Object.keys(pkg.peerDependencies).sort().join(' ');

  test('no install from the npm registry, where the package is not; git and tarball lines with the peer dependencies', () => {
    expect(readme).not.toMatch(/npm (install|i) cdk8s-airflow\b/);
    expect(use).toContain(`npm install git+https://<host>/<org>/cdk8s-airflow.git ${peers}`);
    expect(use).toContain(`npm install ../cdk8s-airflow-<version>.tgz ${peers}`);
    expect(use).toContain('npm pack');
  });

  test('a git install builds the package: `prepare` compiles it; the files npm packs hold the library and the command', () => {
    expect(pkg.scripts.prepare).toBe('node scripts/build.js --package');
    expect(pkg.bin).toEqual({ 'cdk8s-airflow': 'bin/cdk8s-airflow.js' });
    expect(pkg.files).toEqual(expect.arrayContaining(['bin/cdk8s-airflow.js', 'build/lib/**/*.js', 'build/lib/**/*.d.ts']));
    expect(fs.readFileSync(path.join(root, pkg.bin['cdk8s-airflow']), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(pkg.private).toBe(false);
  });

  test('TypeScript pinned as the repository pins it, ts-node, the secrets command, offline cdk8s synth', () => {
    expect(pkg.devDependencies.typescript).toBe('~5.9');
    expect(use).toContain('npm install -D typescript@~5.9 ts-node@^10 @types/node cdk8s-cli');
    expect(use).toContain('npx ts-node main.ts');
    expect(use).toContain('`npx tsc && node main.js`');
    expect(use).toContain('`CDK8S_CHECK_UPGRADE=false npx cdk8s synth`');
    expect(use).toContain('npx cdk8s-airflow secrets dist/ | kubectl create -f -');
    expect(use).toContain('CDK8S_CHECK_UPGRADE=false');
    expect(section('## Two commands')).toContain('CDK8S_CHECK_UPGRADE=false npx cdk8s synth');
  });

  test('the table of credential keys is the list the command generates from', () => {
    const secrets = section('### Secrets');
    const keys = [...secrets.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(keys).toEqual(Object.values(CREDENTIAL_KEYS));
    expect(secrets).toContain('npx cdk8s-airflow secrets dist/');
    expect(secrets).toContain('you provide: <secret>/<key>');
  });
});

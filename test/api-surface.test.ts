import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { Construct } from 'constructs';
import * as api from '../lib';
import { AuthManager, CeleryBroker, CeleryResultBackend, ConfigFile, Executor, GitAuth, MetadataDatabase, Metrics, Scheduler, UiServer } from '../lib';

const LIB = path.resolve(__dirname, '..', 'lib');

function sourceFile(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2020, true);
}

/** Every `export … from './x'` of lib/index.ts: exported name -> the file that declares it. */
function indexExports(): Map<string, string> {
  const exports = new Map<string, string>();
  for (const statement of sourceFile(path.join(LIB, 'index.ts')).statements) {
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      const file = path.join(LIB, `${(statement.moduleSpecifier as ts.StringLiteral).text}.ts`);
      for (const element of statement.exportClause.elements) {
        exports.set(element.name.text, file);
      }
    }
  }
  return exports;
}

function* libFiles(dir = LIB): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* libFiles(full);
    } else if (entry.name.endsWith('.ts')) {
      yield full;
    }
  }
}

test('the index exports the curated API and no internals', () => {
  // Values at run time: constructs, variant and value classes, enums, the typed config helper.
  expect(Object.keys(api).sort()).toEqual([
    'Airflow', 'AirflowChart', 'AirflowCredentials', 'AirflowVersion', 'AuthManager', 'CeleryBroker', 'CeleryResultBackend', 'CeleryWorkers', 'ConfigFile', 'ContainerImage',
    'CreateAdminUserJob', 'DagProcessor', 'DagSource', 'DatabaseCleanup', 'Executor', 'Flower', 'GitAuth', 'ImagePullPolicy', 'KubernetesWorkerPods',
    'MetadataDatabase', 'Metrics', 'MigrateDatabaseJob', 'NetworkPolicies', 'NetworkProtocol', 'PgBouncer', 'PodCleanup', 'PodLauncherRole', 'PodLogReaderRole', 'PodSecurityLevel', 'PodWatcherRole', 'PostgreSql',
    'Redis', 'RemoteLogStore', 'Scheduler', 'SecretKey', 'ServiceType', 'StatsdExporter', 'TaskLogs', 'Triggerer', 'UiServer', 'airflowConfig',
  ]);
  const names = [...indexExports().keys()];
  for (const internal of ['AirflowContext', 'PORTS', 'AirflowConfigurationError', 'CREDENTIAL_KEYS', 'credentialsSecretManifest', 'ExecutorBehaviour']) {
    expect(names).not.toContain(internal);
  }
});

test('every optional property of the public API documents its default (@default, as the .d.ts carries it)', () => {
  const missing: string[] = [];
  let checked = 0;
  for (const [name, file] of indexExports()) {
    for (const statement of sourceFile(file).statements) {
      if (!ts.isInterfaceDeclaration(statement) || statement.name.text !== name) {
        continue;
      }
      for (const member of statement.members) {
        if (ts.isPropertySignature(member) && member.questionToken) {
          checked++;
          if (!ts.getJSDocTags(member).some((tag) => tag.tagName.text === 'default')) {
            missing.push(`${name}.${member.name.getText()}`);
          }
        }
      }
    }
  }
  expect(checked).toBeGreaterThan(60);
  expect(missing).toEqual([]);
});

test('no executor switch outside lib/executors/: executor names and implementations stay there', () => {
  const executorNames = /\b(Celery|Kubernetes|Local|CeleryKubernetes)Executor\b/;
  const found: string[] = [];
  for (const file of libFiles()) {
    if (file.includes(`${path.sep}executors${path.sep}`)) {
      continue;
    }
    const where = path.relative(LIB, file);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteralLike(node) && executorNames.test(node.text)) {
        found.push(`${where}: "${node.text}"`);
      }
      // The behaviours may only be reached through the Executor class, never named or imported.
      if (ts.isImportDeclaration(node) && /executors\/(celery|kubernetes|local|celery-kubernetes)$/.test((node.moduleSpecifier as ts.StringLiteral).text)
        && !node.importClause?.isTypeOnly) {
        found.push(`${where}: imports ${(node.moduleSpecifier as ts.StringLiteral).text}`);
      }
      if (ts.isIdentifier(node) && /^(Celery|Kubernetes|Local|CeleryKubernetes)Executor$/.test(node.text)) {
        found.push(`${where}: ${node.text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile(file));
  }
  expect(found).toEqual([]);
});

test('the Kubernetes types come from cdk8s-plus-27\'s k8s module, loaded alone: the rest of cdk8s-plus-27 is types only', () => {
  const runtimeImports: string[] = [];
  for (const file of libFiles()) {
    for (const statement of sourceFile(file).statements) {
      if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
        const from = (statement.moduleSpecifier as ts.StringLiteral).text;
        if (from.startsWith('cdk8s-plus-27') && from !== 'cdk8s-plus-27/lib/imports/k8s') {
          runtimeImports.push(`${path.relative(LIB, file)}: ${from}`);
        }
      }
    }
  }
  expect(runtimeImports).toEqual([]);
  expect(fs.existsSync(path.resolve(__dirname, '..', 'imports', 'k8s.ts'))).toBe(false);
});

test('variants are sealed and components are composed through Airflow (checked by tsc in npm test)', () => {
  // @ts-expect-error the executor is made by its static methods only
  class MyExecutor extends Executor {}
  // @ts-expect-error so is the metadata database
  class MyDatabase extends MetadataDatabase {}
  // @ts-expect-error and the auth manager
  class MyAuthManager extends AuthManager {}
  // @ts-expect-error and the Git credentials
  class MyGitAuth extends GitAuth {}
  // @ts-expect-error and the Celery broker
  class MyBroker extends CeleryBroker {}
  // @ts-expect-error and the result backend
  class MyResultBackend extends CeleryResultBackend {}
  // @ts-expect-error and where metrics go
  class MyMetrics extends Metrics {}
  // @ts-expect-error a file's source is made by its static methods too
  const file = () => new ConfigFile({ kind: 'inline', content: '' });
  const scope = new Construct(undefined as never, 'root');
  // @ts-expect-error a component's constructor is private
  const make = () => new Scheduler(scope, 'Scheduler', {});
  // @ts-expect-error the UI server's too
  const makeUi = () => new UiServer(scope, 'Ui', {});
  expect([MyExecutor, MyDatabase, MyAuthManager, MyGitAuth, MyBroker, MyResultBackend, MyMetrics, file, make, makeUi].every((x) => typeof x === 'function')).toBe(true);
});

// Why the README sends renames and namespaces through props, not kustomize overlays: names are
// written inside airflow.cfg (and the pod template), which a name prefix or namespace overlay
// does not rewrite. Uses `kubectl kustomize`, which runs offline.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Executor } from '../lib';
import { Manifest, airflowCfgText, podTemplateFile, synthAirflow } from './helpers';

function kustomize(overlay: string): Manifest[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overlay-'));
  fs.copyFileSync(path.join(__dirname, '..', 'dist', 'airflow.k8s.yaml'), path.join(dir, 'airflow.k8s.yaml'));
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `resources:\n  - airflow.k8s.yaml\n${overlay}`);
  return parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map((d) => d.toJSON());
}

test('a namePrefix overlay renames the Services but not the URLs inside airflow.cfg', () => {
  const manifests = kustomize('namePrefix: team-\n');
  expect(manifests.map((m) => m.metadata.name)).toContain('team-airflow-api-server');
  const cfg = manifests.find((m) => m.kind === 'ConfigMap' && m.data['airflow.cfg'])!.data['airflow.cfg'];
  expect(cfg).toContain('execution_api_server_url = http://airflow-api-server:8080/execution/');
});

test('the props rename everything, the references inside files included', () => {
  const renamed = synthAirflow({ name: 'team-airflow', namespace: 'data', executor: Executor.celeryAndKubernetes() });
  const cfg = airflowCfgText(renamed, 'team-airflow');
  expect(cfg).toContain('execution_api_server_url = http://team-airflow-api-server:8080/execution/');
  expect(cfg).toContain('[kubernetes_executor]\nnamespace = data\n');
  expect(podTemplateFile(renamed, 'team-airflow').spec.serviceAccountName).toBe('team-airflow-kubernetes-worker');
  for (const binding of renamed.filter((m) => m.kind === 'RoleBinding')) {
    for (const subject of binding.subjects) {
      expect([subject.name.startsWith('team-airflow-'), subject.namespace]).toEqual([true, 'data']);
    }
  }
});

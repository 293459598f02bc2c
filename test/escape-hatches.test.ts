import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { AuthManager, DagSource, Executor } from '../lib';
import { sha256 } from '../lib/hash';
import { Manifest, airflowCfgText, airflowIn, find, ofKind, podTemplate, podTemplateFile, workloads } from './helpers';

const GIT = DagSource.gitSync({ repository: 'https://example.com/dags.git' });
const jobName = (manifests: Manifest[], prefix: string) =>
  ofKind(manifests, 'Job').map((j) => j.metadata.name as string).find((n) => n.startsWith(prefix))!;
const checksums = (manifests: Manifest[]) => Object.fromEntries(workloads(manifests)
  .map((w) => [`${w.kind}/${w.metadata.name.replace(/-[0-9a-f]{10}$/, '')}`, podTemplate(w).metadata.annotations?.['checksum/airflow-config']]));

describe('ApiObject.of(component) is the component\'s main object', () => {
  const { airflow } = airflowIn({ executor: Executor.celeryAndKubernetes(), dags: GIT });

  test.each([
    ['uiServer', 'Deployment', 'airflow-api-server'],
    ['scheduler', 'Deployment', 'airflow-scheduler'],
    ['dagProcessor', 'Deployment', 'airflow-dag-processor'],
    ['triggerer', 'StatefulSet', 'airflow-triggerer'],
    ['workers', 'StatefulSet', 'airflow-worker'],
    ['flower', 'Deployment', 'airflow-flower'],
    ['redis', 'StatefulSet', 'airflow-redis'],
    ['postgresql', 'StatefulSet', 'airflow-postgresql'],
    ['migrateDatabaseJob', 'Job', 'airflow-migrate-database'],
    ['createAdminUserJob', 'Job', 'airflow-create-admin-user'],
    ['kubernetesWorkerPods', 'ConfigMap', 'airflow-pod-template'],
    ['podCleanup', 'CronJob', 'airflow-cleanup'],
    ['podLauncherRole', 'Role', 'airflow-pod-launcher'],
    ['podLogReaderRole', 'Role', 'airflow-pod-log-reader'],
  ] as const)('%s: %s %s', (attribute, kind, name) => {
    const component = airflow[attribute] as Construct;
    const object = ApiObject.of(component);
    expect([object.kind, object.name]).toEqual([kind, name]);
  });

  test('with the LocalExecutor the scheduler\'s main object is its StatefulSet', () => {
    const local = airflowIn({ executor: Executor.local() }).airflow;
    expect(ApiObject.of(local.scheduler)).toBe(local.scheduler.statefulSet);
  });
});

describe('a patch to a Job gives it a new name', () => {
  test('the hash covers the spec as written, patches included', () => {
    const plain = airflowIn();
    const patched = airflowIn();
    ApiObject.of(patched.airflow.migrateDatabaseJob).addJsonPatch(JsonPatch.add('/spec/activeDeadlineSeconds', 3600));
    const [before, after] = [Testing.synth(plain.chart), Testing.synth(patched.chart)];
    expect(find(after, 'Job', jobName(after, 'airflow-migrate-database-')).spec.activeDeadlineSeconds).toBe(3600);
    expect(jobName(after, 'airflow-migrate-database-')).not.toBe(jobName(before, 'airflow-migrate-database-'));
    expect(jobName(after, 'airflow-migrate-database-')).toMatch(/^airflow-migrate-database-[0-9a-f]{10}$/);
    // The other Job is untouched.
    expect(jobName(after, 'airflow-create-admin-user-')).toBe(jobName(before, 'airflow-create-admin-user-'));
  });

  test('before synthesis the Job is known by its name without the hash', () => {
    expect(airflowIn().airflow.migrateDatabaseJob.job.name).toBe('airflow-migrate-database');
  });
});

describe('a patch to the config ConfigMap rolls exactly the pods that read it', () => {
  const plain = Testing.synth(airflowIn().chart);
  const { chart, airflow } = airflowIn();
  ApiObject.of(airflow.configMap).addJsonPatch(JsonPatch.replace('/data/airflow.cfg', `${airflow.airflowCfg}\n[core]\nparallelism = 8\n`));
  const patched = Testing.synth(chart);

  test('every annotated pod carries the checksum of the patched file', () => {
    const text = airflowCfgText(patched);
    expect(text).toContain('parallelism = 8');
    const expected = sha256(text);
    for (const [workload, checksum] of Object.entries(checksums(patched))) {
      expect([workload, checksum]).toEqual([workload, checksums(plain)[workload] === undefined ? undefined : expected]);
    }
  });

  test('the pods that roll are the long-running Airflow pods, and nothing else changes', () => {
    const rolled = Object.keys(checksums(plain)).filter((w) => checksums(plain)[w] !== checksums(patched)[w]).sort();
    expect(rolled).toEqual([
      'Deployment/airflow-api-server', 'Deployment/airflow-dag-processor', 'Deployment/airflow-flower', 'Deployment/airflow-scheduler',
      'StatefulSet/airflow-triggerer', 'StatefulSet/airflow-worker',
    ]);
    const withoutConfig = (manifests: Manifest[]) => JSON.stringify(manifests.filter((m) => m.kind !== 'ConfigMap'))
      .replace(/"checksum\/airflow-config":"[0-9a-f]{64}"/g, '');
    expect(withoutConfig(patched)).toBe(withoutConfig(plain));
  });
});

describe('a patch to the task-pod template reaches the task pods', () => {
  const build = (patch?: JsonPatch) => {
    const { chart, airflow } = airflowIn({ executor: Executor.kubernetes(), dags: GIT, authManager: AuthManager.simple() });
    if (patch) {
      airflow.kubernetesWorkerPods!.addPodTemplatePatch(patch);
    }
    return Testing.synth(chart);
  };
  const plain = build();
  const patched = build(JsonPatch.add('/spec/hostAliases', [{ ip: '10.0.0.1', hostnames: ['registry.internal'] }]));
  const schedulerChecksum = (manifests: Manifest[]) =>
    podTemplate(find(manifests, 'Deployment', 'airflow-scheduler')).metadata.annotations['checksum/pod-template'];

  test('the pod template file carries the patch', () => {
    expect(podTemplateFile(patched).spec.hostAliases).toEqual([{ hostnames: ['registry.internal'], ip: '10.0.0.1' }]);
    expect(podTemplateFile(plain).spec.hostAliases).toBeUndefined();
  });

  test('the scheduler rolls to pick it up: its checksum follows the file as written', () => {
    const file = find(patched, 'ConfigMap', 'airflow-pod-template').data['pod_template_file.yaml'];
    expect(schedulerChecksum(patched)).toBe(sha256(file));
    expect(schedulerChecksum(patched)).not.toBe(schedulerChecksum(plain));
  });

  test('a patch to the ConfigMap itself rolls the scheduler too', () => {
    const { chart, airflow } = airflowIn({ executor: Executor.kubernetes() });
    ApiObject.of(airflow.kubernetesWorkerPods!).addJsonPatch(JsonPatch.add('/data/pod_template_file.yaml', 'apiVersion: v1\nkind: Pod\n'));
    expect(schedulerChecksum(Testing.synth(chart))).toBe(sha256('apiVersion: v1\nkind: Pod\n'));
  });
});

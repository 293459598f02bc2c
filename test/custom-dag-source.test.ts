import { Airflow, DagSourceConfig, Executor, IDagSource } from '../lib';
import { Manifest, airflowCfgText, container, find, podTemplate, podTemplateFile, problemsOf, synthAirflow, workloads } from './helpers';

/** A DAG source a team might write: an init container copies DAGs out of an image of their own. */
class DagsFromImage implements IDagSource {
  public boundTo?: string;

  constructor(private readonly image: string, private readonly extra: Partial<DagSourceConfig> = {}) {}

  public bind(airflow: Airflow): DagSourceConfig {
    this.boundTo = `${airflow.name}/${airflow.namespace}/${airflow.version}`;
    return {
      dagsFolder: '/opt/airflow/dags/team',
      volumes: [{ name: 'team-dags', emptyDir: {} }],
      volumeMounts: [{ name: 'team-dags', mountPath: '/opt/airflow/dags/team', readOnly: true }],
      initContainers: [{ name: 'copy-dags', image: this.image, args: ['cp', '-r', '/dags/.', '/target'], volumeMounts: [{ name: 'team-dags', mountPath: '/target' }] }],
      sidecars: [{ name: 'watch-dags', image: this.image, args: ['watch'] }],
      ...this.extra,
    };
  }
}

describe('a DAG source written by the user (IDagSource)', () => {
  const source = new DagsFromImage('registry.example/team-dags:1.0');
  const manifests = synthAirflow({ executor: Executor.celeryAndKubernetes(), dags: source });

  test('is bound once, to the Airflow construct', () => {
    expect(source.boundTo).toBe('airflow/airflow/3.1.7');
  });

  test('sets [core] dags_folder and reaches exactly the pods that read DAGs', () => {
    expect(airflowCfgText(manifests)).toContain('dags_folder = /opt/airflow/dags/team\n');
    const withDags = workloads(manifests).filter((w) => (podTemplate(w).spec.initContainers ?? []).some((c: Manifest) => c.name === 'copy-dags'))
      .map((w) => w.metadata.name).sort();
    expect(withDags).toEqual(['airflow-dag-processor', 'airflow-triggerer', 'airflow-worker']);
    const worker = find(manifests, 'StatefulSet', 'airflow-worker');
    expect(container(worker, 'worker').volumeMounts).toContainEqual({ name: 'team-dags', mountPath: '/opt/airflow/dags/team', readOnly: true });
    expect(podTemplate(worker).spec.containers.map((c: Manifest) => c.name)).toEqual(['worker', 'watch-dags', 'log-groomer']);
    // Task pods must finish: the init container, not the sidecar.
    const taskPod = podTemplateFile(manifests).spec;
    expect([taskPod.initContainers.map((c: Manifest) => c.name), taskPod.containers.map((c: Manifest) => c.name)]).toEqual([['copy-dags'], ['base']]);
  });

  test('its containers are hardened to the restricted profile where they said nothing', () => {
    const copy = container(find(manifests, 'StatefulSet', 'airflow-worker'), 'copy-dags', true);
    expect(copy.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
  });

  test('what breaks the restricted profile is refused at synth, every problem at once', () => {
    const unsafe = new DagsFromImage('registry.example/team-dags:1.0', {
      dagsFolder: 'dags',
      volumes: [{ name: 'host', hostPath: { path: '/srv/dags' } }],
      sidecars: [{ name: 'sync', image: 'sync:1', securityContext: { privileged: true, allowPrivilegeEscalation: true, capabilities: { add: ['SYS_ADMIN'] }, runAsUser: 0 } }],
    });
    expect(problemsOf({ dags: unsafe })).toEqual([
      'dags.dagsFolder: the DAG folder must be an absolute path (got "dags"). Fix: give the folder as Airflow containers see it, e.g. "/opt/airflow/dags"',
      ...([
        ['runs privileged', '{"privileged":true}'],
        ['allows privilege escalation', '{"allowPrivilegeEscalation":true}'],
        ['does not drop all capabilities', '{"capabilities":{"add":["SYS_ADMIN"]}}'],
        ['adds the capabilities SYS_ADMIN', '{"capabilities":{"add":["SYS_ADMIN"]}}'],
        ['runs as root', '{"runAsNonRoot":true,"runAsUser":0}'],
      ]).map(([problem, setting]) => `dags: container sync: ${problem}, which the Pod Security "restricted" profile refuses (got ${setting}). ` +
        'Fix: run it as a non-root user, without privilege escalation and host ports, with all capabilities dropped'),
      'dags: volume host: is of type hostPath, which the Pod Security "restricted" profile refuses (got "host"). ' +
      'Fix: use a configMap, secret, emptyDir, projected, csi, ephemeral or persistentVolumeClaim volume',
    ]);
  });
});

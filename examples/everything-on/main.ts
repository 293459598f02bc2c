// Every operations feature at once, on Airflow 3 with Celery and Kubernetes executors: two worker
// sets of their own queues scaled by KEDA, PgBouncer in front of PostgreSQL, the UI behind an
// Ingress with TLS, NetworkPolicies, disruption budgets, a statsd exporter with a
// ServiceMonitor (one for PgBouncer too), task logs in S3, a nightly `airflow db clean`, and two Git DAG bundles
// with a DAG processor each (two replicas for the busier one).
// `npm run synth` writes it to examples/everything-on/dist/.
import { App, Duration, Size } from 'cdk8s';
import {
  AirflowChart, DagSource, Executor, MetadataDatabase, Metrics, RemoteLogStore, SecretKey, TaskLogs,
} from '../../lib';

export function everythingOnExample(app: App): AirflowChart {
  const chart = new AirflowChart(app, 'airflow', {
    namespace: 'airflow',
    database: MetadataDatabase.bundledPostgres({ storage: Size.gibibytes(20), pgbouncer: { replicas: 2, metrics: { serviceMonitor: {} } } }),
    executor: Executor.celeryAndKubernetes({
      celery: {
        workers: { autoscaling: { minReplicas: 1, maxReplicas: 6 }, terminationGracePeriod: Duration.hours(1) },
        redis: { persistence: { storage: Size.gibibytes(2) } },
      },
    }),
    scheduler: { replicas: 2 },
    apiServer: {
      replicas: 2,
      ingress: { hosts: ['airflow.example.com'], className: 'nginx', tlsSecretName: 'airflow-example-com-tls' },
    },
    // KEDA's operator (namespace keda, the default of autoscalerFrom) reaches PgBouncer by a
    // rule of its own; Prometheus scrapes the statsd and PgBouncer exporters from its namespace.
    networkPolicies: {
      enabled: true,
      allowIngress: [
        { from: [{ namespace: 'monitoring' }], ports: [{ port: 9102 }, { port: 9127 }] },
      ],
    },
    metrics: Metrics.statsdExporter({ serviceMonitor: {} }),
    taskLogs: TaskLogs.remote({
      store: RemoteLogStore.S3,
      baseFolder: 's3://example-airflow-logs/tasks',
      connection: SecretKey.of('airflow-connections', 'aws-logs'),
    }),
    housekeeping: { dbClean: { retentionDays: 90 } },
    dags: DagSource.bundles({
      git: [
        { name: 'analytics', repository: 'https://github.com/example/analytics-dags.git', ref: 'main', connection: SecretKey.of('airflow-git', 'analytics'), processor: { replicas: 2 } },
        { name: 'ml', repository: 'https://github.com/example/ml-dags.git', ref: 'main', subPath: 'dags', connection: SecretKey.of('airflow-git', 'ml') },
      ],
      processorPerBundle: true,
    }),
  });
  // Worker sets of their own queues, each scaled on its own queue's backlog; one scales to zero when idle.
  chart.airflow.addWorkerSet('ml', { queues: ['ml'], concurrency: 4, autoscaling: { minReplicas: 0, maxReplicas: 4 } });
  chart.airflow.addWorkerSet('io', { queues: ['io'], concurrency: 32, autoscaling: { minReplicas: 1, maxReplicas: 3 } });
  return chart;
}

if (require.main === module) {
  const app = new App();
  everythingOnExample(app);
  app.synth();
}

import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { CeleryWorkerOptions } from '../executor';
import { airflowPodTemplate } from '../pod/airflow-pod';
import { renderResources, resources } from '../pod/resources';
import { componentService, componentServiceAccount, componentStatefulSet, servicePort } from './common';

export interface CeleryWorkersProps extends CeleryWorkerOptions {
  readonly context: AirflowContext;
  /**
   * Mount a ServiceAccount token so tasks can launch pods (KubernetesPodOperator).
   * @default false
   */
  readonly kubernetesApiAccess?: boolean;
}

const COMPONENT = 'worker';
const DEFAULT_GRACE_SECONDS = 600;

/**
 * Celery workers. A StatefulSet behind a headless Service so that each worker has a DNS name
 * (`<pod>.<service>`): Airflow records it as the task's host name and the UI fetches live task
 * logs from port 8793 there.
 */
export class CeleryWorkers extends Construct {
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: CeleryWorkersProps) {
    super(scope, id);
    const context = props.context;
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    this.service = componentService(this, context, COMPONENT, [servicePort('worker-logs', PORTS.workerLogs)], { headless: true });
    const template = airflowPodTemplate(context, {
      component: COMPONENT,
      args: ['celery', 'worker'],
      needsDags: true,
      celery: true,
      kubernetesApiAccess: props.kubernetesApiAccess,
      // dumb-init would signal the whole process group and stop running tasks at once; with
      // SETSID=0 only Celery gets SIGTERM and shuts down warm, finishing its tasks.
      env: [{ name: 'DUMB_INIT_SETSID', value: '0' }],
      terminationGracePeriodSeconds: props.terminationGracePeriod?.toSeconds() ?? DEFAULT_GRACE_SECONDS,
      ports: [{ name: 'worker-logs', containerPort: PORTS.workerLogs, protocol: 'TCP' }],
      // Ready once the log server listens: the UI reads live task logs from it.
      readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('worker-logs') }, periodSeconds: 10, timeoutSeconds: 5 },
      resources: renderResources(resources(500, 2000, 1024, 2048), props.resources),
      livenessProbe: {
        exec: {
          command: ['sh', '-c', 'exec celery --app airflow.providers.celery.executors.celery_executor.app inspect ping -d "celery@$(hostname)"'],
        },
        initialDelaySeconds: 30,
        periodSeconds: 60,
        timeoutSeconds: 30,
        failureThreshold: 5,
      },
    });
    this.statefulSet = componentStatefulSet(this, context, COMPONENT, props.replicas ?? 2, template, { podManagementPolicy: 'Parallel' });
  }
}

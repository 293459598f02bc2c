import type * as kplus from 'cdk8s-plus-27';
import { KubernetesWorkerPods } from '../components/kubernetes-worker-pods';
import { PodCleanup } from '../components/pod-cleanup';
import type { ExecutorConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { POD_TEMPLATE_PATH } from '../context';
import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { DEFAULT_RESOURCES } from '../defaults';
import { checkResources } from '../pod/resources';
import { DNS_SUBDOMAIN, ValidationErrors } from '../validation';
import type { ExecutorBehaviour, ExecutorBinding, ExecutorComponents } from './executor';

/**
 * Scheduling of the pods the KubernetesExecutor starts, one per task. Tasks may override any of
 * it with `executor_config={"pod_override": ...}`.
 */
export interface WorkerPodOptions {
  /** @default 500m/2 CPU, 1Gi/2Gi memory */
  readonly resources?: kplus.ContainerResources;
  /** Run task pods only on nodes with these labels. @default - any node */
  readonly nodeSelector?: { [label: string]: string };
  /** Let task pods run on nodes with these taints. @default - none */
  readonly tolerations?: k8s.Toleration[];
  /** Node and pod (anti-)affinity of task pods. @default - none */
  readonly affinity?: k8s.Affinity;
  /** The PriorityClass of task pods. @default - the cluster's default priority */
  readonly priorityClassName?: string;
}

/** A CronJob that deletes finished and stuck task pods (`airflow kubernetes cleanup-pods`). */
export interface PodCleanupOptions {
  /** @default true */
  readonly enabled?: boolean;
  /**
   * When it runs, in cron syntax (five fields, the controller's time zone).
   * @default '*\/15 * * * *' - every quarter of an hour
   */
  readonly schedule?: string;
}

export interface KubernetesExecutorOptions {
  /** The task pods: the pod template the scheduler starts them from. @default - 500m/2 CPU, 1Gi/2Gi memory, any node */
  readonly workerPods?: WorkerPodOptions;
  /** @default - a CronJob every 15 minutes */
  readonly cleanup?: PodCleanupOptions;
}

const PROPERTY = 'executor.kubernetes';
const CRON_FIELD = /^[-*/,0-9A-Za-z]+$/;
const LABEL_NAME = /^[A-Za-z0-9]([-._A-Za-z0-9]*[A-Za-z0-9])?$/;

/**
 * The KubernetesExecutor: the scheduler starts a pod per task from the pod template, the UI reads
 * running task pods' logs through the Kubernetes API, a CronJob removes finished pods. The
 * Kubernetes half of the Celery and Kubernetes executors too.
 */
export class KubernetesExecutor implements ExecutorBehaviour {
  public readonly runsTasksInScheduler = false;

  constructor(private readonly options: KubernetesExecutorOptions) {}

  public configValue(): string {
    return 'KubernetesExecutor';
  }

  public validate(errors: ValidationErrors): void {
    checkResources(errors, `${PROPERTY}.workerPods.resources`, DEFAULT_RESOURCES.kubernetesTaskPods, this.options.workerPods?.resources);
    const schedule = this.options.cleanup?.schedule;
    if (schedule !== undefined) {
      const fields = schedule.trim().split(/\s+/);
      if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
        errors.add(`${PROPERTY}.cleanup.schedule`, schedule, 'not a cron schedule of five fields', 'e.g. "*/15 * * * *" (every 15 minutes)');
      }
    }
    const priorityClass = this.options.workerPods?.priorityClassName;
    if (priorityClass !== undefined && !DNS_SUBDOMAIN.test(priorityClass)) {
      errors.add(`${PROPERTY}.workerPods.priorityClassName`, priorityClass, 'not a valid PriorityClass name', 'use a DNS subdomain, e.g. "airflow-tasks"');
    }
    for (const [key, value] of Object.entries(this.options.workerPods?.nodeSelector ?? {})) {
      // A label key is an optional DNS-subdomain prefix and a name; a value is a name or empty.
      const [prefix, labelName] = key.includes('/') ? key.split(/\/(.*)/s) : [undefined, key];
      const validKey = (prefix === undefined || DNS_SUBDOMAIN.test(prefix)) && LABEL_NAME.test(labelName) && labelName.length <= 63;
      if (!validKey || !(value === '' || (LABEL_NAME.test(value) && value.length <= 63))) {
        errors.add(`${PROPERTY}.workerPods.nodeSelector.${key}`, value, 'not a valid label key and value', 'e.g. { "kubernetes.io/arch": "amd64" }');
      }
    }
  }

  public configure(config: ConfigContributions, facts: ExecutorConfigFacts): void {
    config.set('core', 'executor', this.configValue(), 'executor');
    this.configureKubernetes(config, facts);
  }

  /** Everything but `[core] executor`: where task pods start, and from which template. */
  public configureKubernetes(config: ConfigContributions, facts: ExecutorConfigFacts): void {
    // The provider's default namespace is "default": task pods must start next to the scheduler.
    config.set('kubernetes_executor', 'namespace', facts.namespace, 'namespace');
    config.set('kubernetes_executor', 'pod_template_file', POD_TEMPLATE_PATH, 'executor (the library renders the pod template)');
  }

  public bind(binding: ExecutorBinding): ExecutorComponents {
    const { scope, context, scheduler, uiServer, access } = binding;
    const kubernetesWorkerPods = KubernetesWorkerPods._create(scope, 'KubernetesWorkerPods', { context, ...this.options.workerPods });
    // The scheduler starts the task pods from the template it mounts.
    scheduler._mountPodTemplate(kubernetesWorkerPods);
    access.grantPodLaunch(scheduler);
    access.addTaskRunner(kubernetesWorkerPods);
    // The UI shows the logs of running tasks by reading their pods' logs.
    access.grantPodLogRead(uiServer);
    const cleanup = this.options.cleanup ?? {};
    const podCleanup = (cleanup.enabled ?? true) ? PodCleanup._create(scope, 'PodCleanup', { context, schedule: cleanup.schedule }) : undefined;
    return { kubernetesWorkerPods, podCleanup };
  }
}

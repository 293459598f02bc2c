import type * as kplus from 'cdk8s-plus-27';
import { KubernetesWorkerPods } from '../components/kubernetes-worker-pods';
import { PodCleanup } from '../components/pod-cleanup';
import type { ExecutorConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import { POD_TEMPLATE_PATH } from '../context';
import type * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { DEFAULT_RESOURCES } from '../defaults';
import { PodOptions, validatePodOptions } from '../pod/pod-options';
import { checkResources } from '../pod/resources';
import { checkShape } from '../props-shape/check-shape';
import { ValidationErrors } from '../validation';
import { cronProblem } from '../validation/cron';
import { dns1123SubdomainProblem, labelKeyProblem, labelValueProblem, nodeSelectorRequirementProblem, tolerationProblem } from '../validation/kubernetes-names';
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
  /**
   * Pull secrets, ServiceAccount annotations, extra env, files, containers and scheduling of
   * these pods, on top of the library-wide `pods`.
   * @default - the library-wide `pods` only
   */
  readonly pod?: PodOptions;
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
    if (checkShape(errors, PROPERTY, 'KubernetesExecutorOptions', this.options)) {
      this.validateOptions(errors);
    }
  }

  /** The checks of the options' values, once their shape is right. */
  public validateOptions(errors: ValidationErrors): void {
    const pods = this.options.workerPods;
    checkResources(errors, `${PROPERTY}.workerPods.resources`, DEFAULT_RESOURCES.kubernetesTaskPods, pods?.resources);
    validatePodOptions(errors, `${PROPERTY}.workerPods.pod`, pods?.pod);
    if ((pods?.pod?.sidecars ?? []).length > 0) {
      errors.add(`${PROPERTY}.workerPods.pod.sidecars`, pods?.pod?.sidecars?.map((c) => c?.name),
        'a task pod runs to completion, and on Kubernetes 1.27 a sidecar keeps it running after the task has ended',
        'remove sidecars; run the helper as an initContainer, or reach it as a Service');
    }
    const schedule = this.options.cleanup?.schedule;
    const scheduleProblem = schedule === undefined ? undefined : cronProblem(schedule);
    if (scheduleProblem !== undefined) {
      errors.add(`${PROPERTY}.cleanup.schedule`, schedule, scheduleProblem, 'e.g. "*/15 * * * *" (every 15 minutes) or "@hourly"');
    }
    const priorityClass = pods?.priorityClassName;
    const priorityClassProblem = priorityClass === undefined ? undefined : dns1123SubdomainProblem(priorityClass);
    if (priorityClassProblem !== undefined) {
      errors.add(`${PROPERTY}.workerPods.priorityClassName`, priorityClass, `not a PriorityClass name: ${priorityClassProblem}`, 'e.g. "airflow-tasks"');
    }
    for (const [key, value] of Object.entries(pods?.nodeSelector ?? {})) {
      const problem = labelKeyProblem(key) ?? (typeof value === 'string' ? labelValueProblem(value) : 'the value must be a string');
      if (problem !== undefined) {
        errors.add(`${PROPERTY}.workerPods.nodeSelector.${key}`, value, `not a node label: ${problem}`, 'e.g. { "kubernetes.io/arch": "amd64" }');
      }
    }
    (pods?.tolerations ?? []).forEach((toleration, i) => {
      const problem = tolerationProblem(toleration);
      if (problem !== undefined) {
        errors.add(`${PROPERTY}.workerPods.tolerations[${i}]`, toleration, problem, 'e.g. { key: "pool", operator: "Equal", value: "tasks", effect: "NoSchedule" }');
      }
    });
    const terms = pods?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
    const preferred = (pods?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => p.preference);
    [...terms, ...preferred].forEach((term, t) => {
      (term.matchExpressions ?? []).forEach((requirement, i) => {
        const problem = nodeSelectorRequirementProblem(requirement);
        if (problem !== undefined) {
          errors.add(`${PROPERTY}.workerPods.affinity.nodeAffinity (term ${t}, expression ${i})`, requirement, problem, 'e.g. { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }');
        }
      });
    });
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

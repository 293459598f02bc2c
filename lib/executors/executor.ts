import type { Construct } from 'constructs';
import type { CeleryWorkers } from '../components/celery-workers';
import type { Flower } from '../components/flower';
import type { KubernetesWorkerPods } from '../components/kubernetes-worker-pods';
import type { PodCleanup } from '../components/pod-cleanup';
import type { Redis } from '../components/redis';
import type { Scheduler } from '../components/scheduler';
import type { UiServer } from '../components/ui-server';
import type { AirflowConfiguration, ExecutorConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import type { AirflowContext } from '../context';
import type { KubernetesApiAccess } from '../kubernetes-api';
import type { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';
import { CeleryExecutor, CeleryExecutorOptions, CeleryWorkerSetOptions } from './celery';
import { CeleryKubernetesExecutor, CeleryKubernetesExecutorOptions } from './celery-kubernetes';
import { KubernetesExecutor, KubernetesExecutorOptions } from './kubernetes';
import { LocalExecutor } from './local';

/** What an executor gets when it joins a deployment, after the core components exist. */
export interface ExecutorBinding {
  /** Where its components go: the `Airflow` construct. */
  readonly scope: Construct;
  readonly context: AirflowContext;
  readonly scheduler: Scheduler;
  readonly uiServer: UiServer;
  /** Grants through the Kubernetes API, and the components that run task code. */
  readonly access: KubernetesApiAccess;
  /** The deployment's `airflow.cfg`, overrides included. */
  readonly config: AirflowConfiguration;
  /** The Celery queues taken so far, each with who takes it (`the default workers`, a worker set). */
  readonly queues: Map<string, string>;
}

/** The components an executor adds; each becomes the `Airflow` attribute of the same name. */
export interface ExecutorComponents {
  readonly workers?: CeleryWorkers;
  readonly flower?: Flower;
  readonly redis?: Redis;
  readonly kubernetesWorkerPods?: KubernetesWorkerPods;
  readonly podCleanup?: PodCleanup;
}

/**
 * What an executor does to the deployment it joins: it checks its options, contributes its
 * `airflow.cfg` options and environment, and adds its components and their Kubernetes API access.
 * One implementation per file in this folder.
 */
export interface ExecutorBehaviour {
  /** Tasks run inside the scheduler's pod, which then needs DAG files, a log server and a stable host name. */
  readonly runsTasksInScheduler: boolean;
  /** The value of `[core] executor` on `version`. */
  configValue(version: AirflowVersion): string;
  validate(errors: ValidationErrors): void;
  configure(config: ConfigContributions, facts: ExecutorConfigFacts): void;
  bind(binding: ExecutorBinding): ExecutorComponents;
  /**
   * Executors with Celery workers: adds a worker set after `bind`, or records why it cannot.
   * Undefined for executors without Celery workers.
   */
  addWorkerSet?(binding: ExecutorBinding, name: string, options: CeleryWorkerSetOptions, errors: ValidationErrors): CeleryWorkers | undefined;
  /**
   * The properties of its options that ask for KEDA autoscaling (`executor.celery.workers.autoscaling`),
   * for the check that KEDA can reach the database. Undefined or empty when none does.
   */
  kedaAutoscaled?(): string[];
  /**
   * Checks its options against the deployment's `airflow.cfg` once it is known (the user's
   * overrides merged): `option` reads one value as the file holds it.
   */
  validateAgainstConfig?(errors: ValidationErrors, option: (section: string, key: string) => string | undefined): void;
}

/** How Airflow runs task instances. Made by the static methods; each executor is its own class inside the library. */
export class Executor {
  /** Tasks are queued in Redis and run by Celery worker pods. */
  public static celery(options: CeleryExecutorOptions = {}): Executor {
    return new Executor(new CeleryExecutor(options));
  }

  /**
   * Each task runs in its own pod, started by the scheduler from a pod template: no broker, no
   * standing workers.
   */
  public static kubernetes(options: KubernetesExecutorOptions = {}): Executor {
    return new Executor(new KubernetesExecutor(options));
  }

  /**
   * Celery workers for most tasks, a pod per task for the rest. On Airflow 3 both executors run
   * side by side (`CeleryExecutor,KubernetesExecutor`; a task picks one with `executor=...`);
   * on Airflow 2 it is the `CeleryKubernetesExecutor` (tasks on the queue `kubernetes` get a pod).
   */
  public static celeryAndKubernetes(options: CeleryKubernetesExecutorOptions = {}): Executor {
    return new Executor(new CeleryKubernetesExecutor(options));
  }

  /** Tasks run as processes of the scheduler. One pod does it all; size the scheduler for it. */
  public static local(): Executor {
    return new Executor(new LocalExecutor());
  }

  private constructor(/** @internal */ public readonly _behaviour: ExecutorBehaviour) {}

  /** The value of `[core] executor` on `version`. */
  public configValue(version: AirflowVersion): string {
    return this._behaviour.configValue(version);
  }
}

import type { ExecutorConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import type { ValidationErrors } from '../validation';
import type { AirflowVersion } from '../version';
import type { CeleryWorkers } from '../components/celery-workers';
import { CeleryExecutor, CeleryExecutorOptions, CeleryWorkerSetOptions } from './celery';
import { checkShape } from '../props-shape/check-shape';
import type { ExecutorBehaviour, ExecutorBinding, ExecutorComponents } from './executor';
import { KubernetesExecutor, KubernetesExecutorOptions } from './kubernetes';

export interface CeleryKubernetesExecutorOptions {
  /** @default - as `Executor.celery()` */
  readonly celery?: CeleryExecutorOptions;
  /** @default - as `Executor.kubernetes()` */
  readonly kubernetes?: KubernetesExecutorOptions;
}

/**
 * Celery workers for most tasks and a pod per task for the rest: everything of both executors. On
 * Airflow 3 they run side by side (`[core] executor = CeleryExecutor,KubernetesExecutor`); Airflow 2
 * has one executor class for the pair, the provider's `CeleryKubernetesExecutor`.
 */
export class CeleryKubernetesExecutor implements ExecutorBehaviour {
  public readonly runsTasksInScheduler = false;
  private readonly celery: CeleryExecutor;
  private readonly kubernetes: KubernetesExecutor;

  constructor(private readonly options: CeleryKubernetesExecutorOptions) {
    this.celery = new CeleryExecutor(options?.celery ?? {});
    this.kubernetes = new KubernetesExecutor(options?.kubernetes ?? {});
  }

  public configValue(version: AirflowVersion): string {
    return version.isAirflow3 ? `${this.celery.configValue()},${this.kubernetes.configValue()}` : 'CeleryKubernetesExecutor';
  }

  public validate(errors: ValidationErrors): void {
    // One shape check of both halves' options: paths stay executor.celery.* and executor.kubernetes.*.
    if (checkShape(errors, 'executor', 'CeleryKubernetesExecutorOptions', this.options)) {
      this.celery.validateOptions(errors);
      this.kubernetes.validateOptions(errors);
    }
  }

  public validateAgainstConfig(errors: ValidationErrors, option: (section: string, key: string) => string | undefined): void {
    this.celery.validateAgainstConfig(errors, option);
  }

  public configure(config: ConfigContributions, facts: ExecutorConfigFacts): void {
    config.set('core', 'executor', this.configValue(facts.version), 'executor');
    this.celery.configureCelery(config, facts);
    this.kubernetes.configureKubernetes(config, facts);
  }

  public bind(binding: ExecutorBinding): ExecutorComponents {
    const components = { ...this.celery.bind(binding), ...this.kubernetes.bind(binding) };
    if (!binding.context.version.isAirflow3) {
      // The CeleryKubernetesExecutor sends tasks of this queue to the KubernetesExecutor.
      const queue = binding.config.option('celery_kubernetes_executor', 'kubernetes_queue') ?? 'kubernetes';
      binding.queues.set(queue, 'the KubernetesExecutor (CeleryKubernetesExecutor)');
    }
    return components;
  }

  public addWorkerSet(binding: ExecutorBinding, name: string, options: CeleryWorkerSetOptions, errors: ValidationErrors): CeleryWorkers | undefined {
    return this.celery.addWorkerSet(binding, name, options, errors);
  }

  public kedaAutoscaled(): string[] {
    return this.celery.kedaAutoscaled();
  }
}

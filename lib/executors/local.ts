import type { ExecutorConfigFacts } from '../config/airflow-configuration';
import type { ConfigContributions } from '../config/contributions';
import type { ExecutorBehaviour, ExecutorBinding, ExecutorComponents } from './executor';

/**
 * The LocalExecutor: the scheduler runs tasks as its own processes, so it becomes the pod that
 * needs the DAG files and serves task logs. No other components.
 */
export class LocalExecutor implements ExecutorBehaviour {
  public readonly runsTasksInScheduler = true;

  public configValue(): string {
    return 'LocalExecutor';
  }

  public validate(): void {
    // No options.
  }

  public configure(config: ConfigContributions, _facts: ExecutorConfigFacts): void {
    config.set('core', 'executor', this.configValue(), 'executor');
  }

  public bind(binding: ExecutorBinding): ExecutorComponents {
    binding.access.addTaskRunner(binding.scheduler);
    return {};
  }
}

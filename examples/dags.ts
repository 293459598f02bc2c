import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { DagSource, IDagSource } from '../lib';

/**
 * The repository's `dags/` folder: the walkthrough's two pipelines written for Airflow 3. Found
 * from this file, whether it runs from the sources (tests) or from the build (`build/examples`).
 */
export function shippedDagsFolder(): string {
  let dir = __dirname;
  while (!(fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'dags')))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no dags/ folder above ${__dirname}`);
    }
    dir = parent;
  }
  return path.join(dir, 'dags');
}

/** The shipped Airflow 3 DAGs, inside the output as a ConfigMap: what the Airflow 3 examples load. */
export function shippedDags(): IDagSource {
  return DagSource.fromFiles({ directory: shippedDagsFolder() });
}

/**
 * The walkthrough's own public repository. Its DAGs use Airflow 1.10 import paths, which Airflow
 * 2.11 still serves (with deprecation warnings) and Airflow 3 removed: only the Airflow 2.11
 * example pulls it.
 */
export function walkthroughDags(): IDagSource {
  return DagSource.gitSync({
    repository: 'https://github.com/damavis/airflow-dags.git',
    ref: 'master',
    period: Duration.seconds(60),
  });
}

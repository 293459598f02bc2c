import type { DagSourceConfig, IDagSource } from './dag-source';

/** Where the Airflow image keeps DAGs unless told otherwise. */
const IMAGE_DAGS_FOLDER = '/opt/airflow/dags';

/** DAG files baked into the Airflow image: nothing to add to the pods. */
export class ImageDagSource implements IDagSource {
  constructor(private readonly dagsFolder: string = IMAGE_DAGS_FOLDER) {}

  public bind(): DagSourceConfig {
    return { dagsFolder: this.dagsFolder };
  }
}

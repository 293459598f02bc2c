import { Construct } from 'constructs';
import { UiServer, UiServerOptions, UiServerProps } from './ui-server';

export interface ApiServerOptions extends UiServerOptions {}

export interface ApiServerProps extends UiServerProps {}

/** Airflow 3's API server: the UI, the REST API and the execution API the workers call. */
export class ApiServer extends UiServer {
  constructor(scope: Construct, id: string, props: ApiServerProps) {
    super(scope, id, props, { component: 'api-server', args: ['api-server'], healthPath: '/api/v2/monitor/health' });
  }
}

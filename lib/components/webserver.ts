import { Construct } from 'constructs';
import { UiServer, UiServerOptions, UiServerProps } from './ui-server';

export interface WebserverOptions extends UiServerOptions {}

export interface WebserverProps extends UiServerProps {}

/** Airflow 2's webserver: the UI and the REST API. */
export class Webserver extends UiServer {
  constructor(scope: Construct, id: string, props: WebserverProps) {
    super(scope, id, props, { component: 'webserver', args: ['webserver'], healthPath: '/health' });
  }
}

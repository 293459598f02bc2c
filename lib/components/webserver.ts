import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { IUiServer, UiServerOptions, uiServer } from './ui-server';

export interface WebserverOptions extends UiServerOptions {}

export interface WebserverProps extends WebserverOptions {
  readonly context: AirflowContext;
  /** Mount a token to read running KubernetesExecutor task pods' logs. @default false */
  readonly kubernetesApiAccess?: boolean;
}

const COMPONENT = 'webserver';

/** Airflow 2's webserver: the UI and the REST API. */
export class Webserver extends Construct implements IUiServer {
  public readonly serviceName: string;
  public readonly port = PORTS.apiServer;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: WebserverProps) {
    super(scope, id);
    const flavour = { component: COMPONENT, args: ['webserver'], healthPath: '/health', kubernetesApiAccess: props.kubernetesApiAccess };
    ({ deployment: this.deployment, service: this.service, serviceAccount: this.serviceAccount } = uiServer(this, props.context, flavour, props));
    this.serviceName = props.context.resourceName(COMPONENT);
  }
}

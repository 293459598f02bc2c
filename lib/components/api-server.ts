import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { AirflowContext, PORTS } from '../context';
import { IUiServer, UiServerOptions, uiServer } from './ui-server';

export interface ApiServerOptions extends UiServerOptions {}

export interface ApiServerProps extends ApiServerOptions {
  readonly context: AirflowContext;
  /** Mount a token to read running KubernetesExecutor task pods' logs. @default false */
  readonly kubernetesApiAccess?: boolean;
}

const COMPONENT = 'api-server';

/** Airflow 3's API server: the UI, the REST API and the execution API the workers call. */
export class ApiServer extends Construct implements IUiServer {
  public readonly serviceName: string;
  public readonly port = PORTS.apiServer;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: ApiServerProps) {
    super(scope, id);
    const flavour = { component: COMPONENT, args: ['api-server'], healthPath: '/api/v2/monitor/health', kubernetesApiAccess: props.kubernetesApiAccess };
    ({ deployment: this.deployment, service: this.service, serviceAccount: this.serviceAccount } = uiServer(this, props.context, flavour, props));
    this.serviceName = props.context.resourceName(COMPONENT);
  }
}

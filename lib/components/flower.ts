import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import * as k8s from '../../imports/k8s';
import { configEnvName } from '../config/airflow-config';
import { secretOptions } from '../config/defaults';
import { AirflowContext, PORTS } from '../context';
import { secretEnv } from '../pod/airflow-env';
import { renderResources, resources } from '../pod/resources';
import { airflowDeployment, componentService, componentServiceAccount, servicePort } from './common';

export interface FlowerProps {
  readonly context: AirflowContext;
  /** @default 'admin' */
  readonly username?: string;
  /** @default 100m/500m CPU, 256Mi/512Mi memory */
  readonly resources?: kplus.ContainerResources;
}

const COMPONENT = 'flower';

/** Flower, the Celery monitoring UI, with basic auth whose password comes from a Secret. */
export class Flower extends Construct {
  public readonly serviceName: string;
  public readonly port = PORTS.flower;
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: FlowerProps) {
    super(scope, id);
    const context = props.context;
    const username = props.username ?? 'admin';
    this.serviceAccount = componentServiceAccount(this, context, COMPONENT);
    // Flower answers 401 without credentials, so probes check the socket rather than a page.
    const probe = (periodSeconds: number): k8s.Probe => ({
      tcpSocket: { port: k8s.IntOrString.fromString('flower') },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold: 5,
    });
    this.deployment = airflowDeployment(this, context, 1, {
      component: COMPONENT,
      args: ['celery', 'flower'],
      celery: true,
      env: [
        secretEnv('AIRFLOW_FLOWER_PASSWORD', context.credentials.flowerPassword),
        { name: configEnvName(...secretOptions(context.version).flowerBasicAuth), value: `${username}:$(AIRFLOW_FLOWER_PASSWORD)` },
      ],
      ports: [{ name: 'flower', containerPort: PORTS.flower, protocol: 'TCP' }],
      resources: renderResources(resources(100, 500, 256, 512), props.resources),
      livenessProbe: probe(30),
      readinessProbe: probe(10),
    });
    this.service = componentService(this, context, COMPONENT, [servicePort('flower', PORTS.flower)]);
    this.serviceName = context.resourceName(COMPONENT);
  }
}

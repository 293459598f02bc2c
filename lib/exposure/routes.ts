import type { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from '../../imports/gateway.networking.k8s.io';
import type { AirflowContext } from '../context';
import type { HttpExposure } from './location';

/** The Service port a route sends requests to. */
export interface RouteTarget {
  /** The component whose Service it is: the routes take its name and labels. */
  readonly component: string;
  readonly serviceName: string;
  /** The Service port's name (an Ingress backend names it) and number (an HTTPRoute backend needs it). */
  readonly portName: string;
  readonly port: number;
}

/** The objects that route users to a UI. */
export interface HttpRoutes {
  readonly ingress?: k8s.KubeIngress;
  readonly httpRoute?: HttpRoute;
}

/**
 * Adds the Ingress and the HTTPRoute that `exposure` asks for, named like the component's Service
 * (`<release>-<component>`; different kinds, so no collision) and labelled like it. Both forward
 * the path as it is: the component serves under it (Airflow's base URL, Flower's URL prefix).
 */
export function addRoutes(scope: Construct, context: AirflowContext, target: RouteTarget, exposure: HttpExposure): HttpRoutes {
  const { ingress, httpRoute } = exposure;
  const metadata = (annotations: { [key: string]: string } | undefined) => ({
    ...context.metadata(target.component),
    annotations: annotations !== undefined && Object.keys(annotations).length > 0 ? { ...annotations } : undefined,
  });
  return {
    ingress: ingress === undefined ? undefined : new k8s.KubeIngress(scope, 'Ingress', {
      metadata: metadata(ingress.annotations),
      spec: {
        ingressClassName: ingress.className,
        tls: ingress.tlsSecretName === undefined ? undefined : [{ hosts: [...ingress.hosts], secretName: ingress.tlsSecretName }],
        rules: ingress.hosts.map((host) => ({
          host,
          http: {
            paths: [{
              path: ingress.path ?? '/',
              pathType: 'Prefix',
              backend: { service: { name: target.serviceName, port: { name: target.portName } } },
            }],
          },
        })),
      },
    }),
    httpRoute: httpRoute === undefined ? undefined : new HttpRoute(scope, 'HttpRoute', {
      metadata: metadata(httpRoute.annotations),
      spec: {
        parentRefs: httpRoute.parentRefs.map((parent) => ({ name: parent.name, namespace: parent.namespace, sectionName: parent.sectionName })),
        hostnames: [...httpRoute.hostnames],
        rules: [{
          matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: httpRoute.path ?? '/' } }],
          // An HTTPRoute names a Service port by number only.
          backendRefs: [{ name: target.serviceName, port: target.port }],
        }],
      },
    }),
  };
}

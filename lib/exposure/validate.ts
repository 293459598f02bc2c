import type { ResolvedAirflowProps } from '../airflow-props';
import {
  annotationKeyProblem, annotationsSizeProblem, dns1123LabelProblem, dns1123SubdomainProblem,
} from '../validation/kubernetes-names';
import type { ValidationErrors } from '../validation';
import { HttpExposure, normalisedPath, routeLocation } from './location';
import { validateTrustedProxies } from './trusted-proxies';
import { HttpRouteOptions, IngressOptions, ServiceType, UiServiceOptions } from './options';

/** `spec.hostnames` of an HTTPRoute: at most 16 (Gateway API v1.6.1 CRD, `maxItems`). */
const MAX_HOSTNAMES = 16;
/** `spec.parentRefs` of an HTTPRoute: at most 32 (same CRD). */
const MAX_PARENT_REFS = 32;
/** A path match's value: at most 1024 characters (same CRD). */
const MAX_PATH = 1024;
const SERVICE_TYPES: readonly string[] = Object.values(ServiceType);

/**
 * The UI server's Service and routes (`apiServer` on Airflow 3, `webserver` on Airflow 2; the
 * other one is refused by the props check), and a base URL in `config` that Airflow 2 would refuse.
 */
export function validateUiExposure(errors: ValidationErrors, props: ResolvedAirflowProps): void {
  const isAirflow3 = props.version.isAirflow3;
  const property = isAirflow3 ? 'apiServer' : 'webserver';
  const options = props[property];
  validateService(errors, `${property}.service`, options?.service);
  validateHttpExposure(errors, property, options);
  validateTrustedProxies(errors, `${property}.trustedProxies`, options?.trustedProxies, props.version);
  // Airflow 2's webserver exits at start-up on "webserver.base_url conf cannot have a trailing
  // slash" (airflow/www/extensions/init_wsgi_middlewares.py, `init_wsgi_middleware`). With routes
  // the library writes the option itself (and refuses it in `config`).
  const configured = props.config?.webserver?.base_url;
  if (!isAirflow3 && routeLocation(property, options) === undefined && typeof configured === 'string' && configured.endsWith('/')) {
    errors.add('config.webserver.base_url', configured, `Airflow ${props.version} refuses a base URL that ends with "/" at start-up`,
      `remove the trailing "/": "${configured.replace(/\/+$/, '')}"`);
  }
}

/** The Service in front of the UI server: a known type, valid annotations. */
function validateService(errors: ValidationErrors, property: string, service: UiServiceOptions | undefined): void {
  if (service?.type !== undefined && !SERVICE_TYPES.includes(service.type)) {
    errors.add(`${property}.type`, service.type, `not a Service type for a UI (${SERVICE_TYPES.join(', ')})`, 'e.g. ServiceType.LOAD_BALANCER');
  }
  validateAnnotations(errors, `${property}.annotations`, service?.annotations);
}

/**
 * The Ingress and the HTTPRoute of a UI, as the API server (and the Gateway API CRD's rules) would
 * check them, and as the base URL needs them: host names, not wildcards or addresses; a path that
 * Airflow can serve under. With both, they must serve the same path, since the component serves
 * under one.
 * @param property the component's options, e.g. `apiServer` or `executor.celery.flower`
 * @param disabled why the component is not deployed, when it is not (routes would lead nowhere)
 */
export function validateHttpExposure(errors: ValidationErrors, property: string, exposure: HttpExposure | undefined, disabled?: string): void {
  const { ingress, httpRoute } = exposure ?? {};
  if (disabled !== undefined) {
    for (const [name, value] of [['ingress', ingress], ['httpRoute', httpRoute]] as const) {
      if (value !== undefined) {
        errors.add(`${property}.${name}`, 'set', `${disabled}: the route would lead nowhere`, `remove ${name}, or enable the component`);
      }
    }
    return;
  }
  if (ingress !== undefined) {
    validateIngress(errors, `${property}.ingress`, ingress);
  }
  if (httpRoute !== undefined) {
    validateHttpRoute(errors, `${property}.httpRoute`, httpRoute);
  }
  if (ingress !== undefined && httpRoute !== undefined && pathProblem(ingress.path) === undefined && pathProblem(httpRoute.path) === undefined
    && normalisedPath(ingress.path) !== normalisedPath(httpRoute.path)) {
    errors.add(`${property}.httpRoute.path`, httpRoute.path ?? '/', `the Ingress serves the path "${ingress.path ?? '/'}", and the component serves under one path only`,
      `use the same path for both, e.g. path: "${ingress.path ?? '/'}"`);
  }
}

function validateIngress(errors: ValidationErrors, property: string, ingress: IngressOptions): void {
  validateHosts(errors, `${property}.hosts`, ingress.hosts, 'an Ingress', undefined);
  validatePath(errors, `${property}.path`, ingress.path);
  if (ingress.className !== undefined) {
    const problem = dns1123SubdomainProblem(ingress.className);
    if (problem !== undefined) {
      errors.add(`${property}.className`, ingress.className, `not an IngressClass name: ${problem}`, 'name an IngressClass of the cluster (kubectl get ingressclass), e.g. "nginx"');
    }
  }
  if (ingress.tlsSecretName !== undefined) {
    const problem = dns1123SubdomainProblem(ingress.tlsSecretName);
    if (problem !== undefined) {
      errors.add(`${property}.tlsSecretName`, ingress.tlsSecretName, `not a Secret name: ${problem}`, 'e.g. "airflow-tls"');
    }
  }
  validateAnnotations(errors, `${property}.annotations`, ingress.annotations);
}

function validateHttpRoute(errors: ValidationErrors, property: string, route: HttpRouteOptions): void {
  const parents = route.parentRefs;
  if (parents.length === 0 || parents.length > MAX_PARENT_REFS) {
    errors.add(`${property}.parentRefs`, parents, `an HTTPRoute attaches to 1 to ${MAX_PARENT_REFS} Gateways`,
      'name the Gateway that serves the UI, e.g. parentRefs: [{ name: "shared-gateway", namespace: "gateways" }]');
  }
  const byGateway = new Map<string, number[]>();
  parents.forEach((parent, i) => {
    const at = `${property}.parentRefs[${i}]`;
    const nameProblem = dns1123SubdomainProblem(parent.name);
    if (nameProblem !== undefined) {
      errors.add(`${at}.name`, parent.name, `not a Gateway name: ${nameProblem}`, 'name a Gateway of the cluster (kubectl get gateways -A)');
    }
    const namespaceProblem = parent.namespace === undefined ? undefined : dns1123LabelProblem(parent.namespace);
    if (namespaceProblem !== undefined) {
      errors.add(`${at}.namespace`, parent.namespace, `not a namespace: ${namespaceProblem}`, 'e.g. "gateways", or leave it out for the release\'s namespace');
    }
    const sectionProblem = parent.sectionName === undefined ? undefined : dns1123SubdomainProblem(parent.sectionName);
    if (sectionProblem !== undefined) {
      errors.add(`${at}.sectionName`, parent.sectionName, `not a listener name: ${sectionProblem}`, 'name a listener of the Gateway, e.g. "https"');
    }
    const gateway = `${parent.namespace ?? ''}/${parent.name}`;
    byGateway.set(gateway, [...(byGateway.get(gateway) ?? []), i]);
  });
  // The CRD's rules on parentRefs: a Gateway named more than once needs a distinct sectionName each time.
  for (const indices of byGateway.values()) {
    const sections = indices.map((i) => parents[i].sectionName);
    if (indices.length > 1 && (sections.includes(undefined) || new Set(sections).size < sections.length)) {
      errors.add(`${property}.parentRefs[${indices[1]}]`, parents[indices[1]], 'the same Gateway is named twice: each reference to it needs a sectionName of its own',
        'name the Gateway once, or give each reference a different listener (sectionName)');
    }
  }
  validateHosts(errors, `${property}.hostnames`, route.hostnames, 'an HTTPRoute', MAX_HOSTNAMES);
  validatePath(errors, `${property}.path`, route.path);
  validateAnnotations(errors, `${property}.annotations`, route.annotations);
}

const IPV4 = /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/;

/**
 * Host names: DNS-1123 subdomains (lower case), not IP addresses (networking/validation.go
 * `validateIngressRules`, and the HTTPRoute CRD's pattern), not wildcards (the first one is the
 * host of the base URL, and a wildcard could not be), each once.
 */
function validateHosts(errors: ValidationErrors, property: string, hosts: readonly string[], what: string, max: number | undefined): void {
  if (hosts.length === 0 || (max !== undefined && hosts.length > max)) {
    errors.add(property, hosts, `${what} of a UI needs ${max === undefined ? 'at least one host name' : `1 to ${max} host names`}: the first is the host of the base URL`,
      'e.g. ["airflow.example.com"]');
  }
  hosts.forEach((host, i) => {
    const at = `${property}[${i}]`;
    const fix = 'use the host name users type, e.g. "airflow.example.com"';
    if (host.startsWith('*')) {
      errors.add(at, host, 'wildcard hosts are not supported: Airflow\'s links need the one host name the UI is at', fix);
    } else if (IPV4.test(host) || host.includes(':')) {
      errors.add(at, host, 'must be a DNS name, not an IP address or a port', fix);
    } else {
      const problem = dns1123SubdomainProblem(host);
      if (problem !== undefined) {
        errors.add(at, host, problem, fix);
      } else if (hosts.indexOf(host) !== i) {
        errors.add(at, host, 'listed twice', 'list each host once');
      }
    }
  });
}

const PATH_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * A path the UI is served under: `/`, or `/`-separated parts of unreserved URL characters
 * (RFC 3986), without a trailing "/" (Airflow 2 refuses a base URL that ends with one), "//", or
 * "." and ".." parts (which the HTTPRoute CRD refuses, and browsers resolve away).
 */
function validatePath(errors: ValidationErrors, property: string, path: string | undefined): void {
  const fault = pathProblem(path);
  if (path !== undefined && fault !== undefined) {
    errors.add(property, path, `must be "/" or a path such as "/airflow": parts of letters, digits, "-", ".", "_" and "~" after "/", without a trailing "/" (${fault})`,
      `e.g. "/${path.replace(/[^A-Za-z0-9._~/-]/g, '').split('/').filter((p) => p !== '' && p !== '.' && p !== '..').join('/') || 'airflow'}"`);
  }
}

/** What is wrong with a path, or undefined. */
function pathProblem(path: string | undefined): string | undefined {
  if (path === undefined || path === '/') {
    return undefined;
  }
  let fault: string | undefined;
  if (!path.startsWith('/')) {
    fault = 'it does not start with "/"';
  } else if (path.length > MAX_PATH) {
    fault = `it is longer than ${MAX_PATH} characters`;
  } else if (path.endsWith('/')) {
    fault = 'it ends with "/"';
  } else {
    const parts = path.slice(1).split('/');
    const bad = parts.find((part) => part === '' || part === '.' || part === '..' || !PATH_SEGMENT.test(part));
    if (bad === '') {
      fault = 'it contains "//"';
    } else if (bad === '.' || bad === '..') {
      fault = `it has a "${bad}" part`;
    } else if (bad !== undefined) {
      fault = `${JSON.stringify([...bad].find((c) => !/[A-Za-z0-9._~-]/.test(c)))} is not allowed`;
    }
  }
  return fault;
}

function validateAnnotations(errors: ValidationErrors, property: string, annotations: { readonly [key: string]: string } | undefined): void {
  if (annotations === undefined) {
    return;
  }
  for (const key of Object.keys(annotations)) {
    const problem = annotationKeyProblem(key);
    if (problem !== undefined) {
      errors.add(`${property}.${key}`, annotations[key], `not an annotation key: ${problem}`, 'e.g. "example.com/my-annotation"');
    }
  }
  const size = annotationsSizeProblem(annotations);
  if (size !== undefined) {
    errors.add(property, `${Object.keys(annotations).length} annotations`, size, 'keep large values elsewhere (a ConfigMap)');
  }
}

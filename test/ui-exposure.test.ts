// Reaching the UI: the UI server's Service type and annotations, an Ingress or a Gateway API
// HTTPRoute to it (and to Flower), the base URL Airflow writes links with, and a sub-path that the
// UI, its probes and (Airflow 3) the execution API the workers call all move under.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { AirflowProps, Executor, ServiceType, UiServerOptions } from '../lib';
import { parseAllDocuments } from 'yaml';
import { credentialsUse } from '../lib/secrets-manifest';
import { diffReleases } from './upgrade-diff';
import { Manifest, airflowCfgText, airflowIn, container, find, ofKind, problemsOf, release, synthAirflow, untypedConfig } from './helpers';

const HOST = 'airflow.example.com';
const GATEWAY = { name: 'shared-gateway', namespace: 'gateways', sectionName: 'https' };

/** The option's value in the `airflow.cfg` text, or undefined. */
function option(cfg: string, section: string, name: string): string | undefined {
  const block = cfg.split(/\n(?=\[)/).find((b) => b.startsWith(`[${section}]`)) ?? '';
  return new RegExp(`^${name} = (.*)$`, 'm').exec(block)?.[1];
}

/** The HTTP paths of the UI server's startup, liveness and readiness probes. */
function probePaths(manifests: Manifest[], name: string): string[] {
  const c = container(find(manifests, 'Deployment', `airflow-${name}`), name);
  return [c.startupProbe, c.livenessProbe, c.readinessProbe].map((p) => p.httpGet.path);
}

/** Every backend of an Ingress, as [Service, port name or number]. */
function ingressBackends(ingress: Manifest): Array<[string, string | number]> {
  return ingress.spec.rules.flatMap((rule: Manifest) => rule.http.paths.map((p: Manifest) => [p.backend.service.name, p.backend.service.port.name ?? p.backend.service.port.number]));
}

/** Whether the Service has a port of that name or number. */
function servicePort(manifests: Manifest[], service: string, port: string | number): Manifest | undefined {
  return find(manifests, 'Service', service).spec.ports.find((p: Manifest) => p.name === port || p.port === port);
}

describe('by default the UI is reached through a port-forward', () => {
  test.each([['3.1.7', 'api-server', 'api'], ['2.11.0', 'webserver', 'webserver']])('Airflow %s', (version, name, section) => {
    const manifests = synthAirflow(release(version));
    expect(ofKind(manifests, 'Ingress')).toEqual([]);
    expect(ofKind(manifests, 'HTTPRoute')).toEqual([]);
    const service = find(manifests, 'Service', `airflow-${name}`);
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.metadata.annotations).toBeUndefined();
    const cfg = airflowCfgText(manifests);
    expect(option(cfg, section, 'base_url')).toBeUndefined();
    expect(probePaths(manifests, name)).toEqual(Array(3).fill(section === 'api' ? '/api/v2/monitor/health' : '/health'));
    if (section === 'api') {
      expect(option(cfg, 'core', 'execution_api_server_url')).toBe('http://airflow-api-server:8080/execution/');
    }
  });
});

describe('an Ingress at the root of a host (Airflow 3)', () => {
  const { airflow, chart } = airflowIn({
    apiServer: {
      ingress: {
        hosts: [HOST, 'airflow.internal.example.com'],
        className: 'nginx',
        tlsSecretName: 'airflow-tls',
        annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
      },
    },
  });
  const manifests = Testing.synth(chart);

  test('one Ingress, named and labelled like the Service, a Prefix rule per host to the Service\'s port by name, TLS for every host', () => {
    const [ingress, ...others] = ofKind(manifests, 'Ingress');
    expect(others).toEqual([]);
    const service = find(manifests, 'Service', 'airflow-api-server');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.metadata).toEqual({ ...service.metadata, annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: [HOST, 'airflow.internal.example.com'], secretName: 'airflow-tls' }],
      rules: [HOST, 'airflow.internal.example.com'].map((host) => ({
        host,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'airflow-api-server', port: { name: 'http' } } } }] },
      })),
    });
    for (const [name, port] of ingressBackends(ingress)) {
      expect(servicePort(manifests, name, port)).toMatchObject({ name: 'http', port: 8080 });
    }
  });

  test('the base URL is https on the first host; the probes and the execution API URL stay at the root', () => {
    const cfg = airflowCfgText(manifests);
    expect(option(cfg, 'api', 'base_url')).toBe(`https://${HOST}`);
    expect(option(cfg, 'core', 'execution_api_server_url')).toBe('http://airflow-api-server:8080/execution/');
    expect(probePaths(manifests, 'api-server')).toEqual(Array(3).fill('/api/v2/monitor/health'));
  });

  test('the Ingress is an attribute of the UI server, and the Service stays ClusterIP', () => {
    expect(chart.node.findAll().includes(airflow.uiServer.ingress!)).toBe(true);
    expect(airflow.uiServer.ingress?.name).toBe('airflow-api-server');
    expect(airflow.apiServer?.httpRoute).toBeUndefined();
    expect(find(manifests, 'Service', 'airflow-api-server').spec.type).toBe('ClusterIP');
  });
});

describe('a sub-path: the UI, its probes and the execution API move under it', () => {
  test('Airflow 3: [api] base_url with the path, probes and the in-cluster execution API URL under it', () => {
    const manifests = synthAirflow({ apiServer: { ingress: { hosts: [HOST], path: '/airflow', tlsSecretName: 'airflow-tls' } } });
    const cfg = airflowCfgText(manifests);
    expect(option(cfg, 'api', 'base_url')).toBe(`https://${HOST}/airflow`);
    // The API server mounts the execution API under the base URL's path: the workers call it there.
    expect(option(cfg, 'core', 'execution_api_server_url')).toBe('http://airflow-api-server:8080/airflow/execution/');
    expect(probePaths(manifests, 'api-server')).toEqual(Array(3).fill('/airflow/api/v2/monitor/health'));
    expect(find(manifests, 'Ingress', 'airflow-api-server').spec.rules[0].http.paths[0].path).toBe('/airflow');
    // The KubernetesExecutor's task pods read the same airflow.cfg.
    const pods = synthAirflow({ executor: Executor.kubernetes(), apiServer: { ingress: { hosts: [HOST], path: '/airflow' } } });
    expect(option(airflowCfgText(pods), 'core', 'execution_api_server_url')).toBe('http://airflow-api-server:8080/airflow/execution/');
  });

  test('Airflow 2.11: [webserver] base_url without a trailing "/", the /health probes under the path, no execution API', () => {
    const manifests = synthAirflow({ ...release('2.11.0'), webserver: { ingress: { hosts: [HOST], path: '/data/airflow' } } });
    const cfg = airflowCfgText(manifests);
    expect(option(cfg, 'webserver', 'base_url')).toBe(`http://${HOST}/data/airflow`);
    expect(option(cfg, 'api', 'base_url')).toBeUndefined();
    expect(option(cfg, 'core', 'execution_api_server_url')).toBeUndefined();
    expect(probePaths(manifests, 'webserver')).toEqual(Array(3).fill('/data/airflow/health'));
    const ingress = find(manifests, 'Ingress', 'airflow-webserver');
    expect(ingressBackends(ingress)).toEqual([['airflow-webserver', 'http']]);
    expect(servicePort(manifests, 'airflow-webserver', 'http')).toBeDefined();
  });

  test('a base URL of your own in config (your own Ingress): the probes and the execution API URL follow its path', () => {
    const manifests = synthAirflow({ config: { api: { base_url: 'https://example.com/team-a/airflow/' } } });
    const cfg = airflowCfgText(manifests);
    expect(option(cfg, 'api', 'base_url')).toBe('https://example.com/team-a/airflow/');
    expect(option(cfg, 'core', 'execution_api_server_url')).toBe('http://airflow-api-server:8080/team-a/airflow/execution/');
    expect(probePaths(manifests, 'api-server')).toEqual(Array(3).fill('/team-a/airflow/api/v2/monitor/health'));
    const legacy = synthAirflow({ ...release('2.11.0'), config: { webserver: { base_url: 'https://example.com/airflow' } } });
    expect(probePaths(legacy, 'webserver')).toEqual(Array(3).fill('/airflow/health'));
  });
});

describe('the scheme of the base URL', () => {
  const baseUrl = (apiServer: UiServerOptions) => option(airflowCfgText(synthAirflow({ apiServer })), 'api', 'base_url');

  test('an Ingress: https with a TLS Secret, http without, https when a load balancer in front terminates TLS', () => {
    expect(baseUrl({ ingress: { hosts: [HOST], tlsSecretName: 'airflow-tls' } })).toBe(`https://${HOST}`);
    expect(baseUrl({ ingress: { hosts: [HOST] } })).toBe(`http://${HOST}`);
    expect(baseUrl({ ingress: { hosts: [HOST], https: true } })).toBe(`https://${HOST}`);
  });

  test('an HTTPRoute: https (the Gateway terminates TLS), http for a plain listener', () => {
    expect(baseUrl({ httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST] } })).toBe(`https://${HOST}`);
    expect(baseUrl({ httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST], https: false } })).toBe(`http://${HOST}`);
  });
});

describe('forwarded headers: behind a proxy that terminates TLS the server must see https', () => {
  const apiServer = (manifests: Manifest[]): Manifest => container(find(manifests, 'Deployment', 'airflow-api-server'), 'api-server');
  const forwardedAllowIps = (c: Manifest): string | undefined => c.env.find((e: Manifest) => e.name === 'FORWARDED_ALLOW_IPS')?.value;

  test('Airflow 3 with an Ingress or an HTTPRoute: `api-server --proxy-headers`, trusting any proxy by default', () => {
    for (const options of [{ ingress: { hosts: [HOST], tlsSecretName: 'airflow-tls' } }, { httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST] } }]) {
      const c = apiServer(synthAirflow({ apiServer: options }));
      expect(c.args).toEqual(['api-server', '--proxy-headers']);
      expect(forwardedAllowIps(c)).toBe('*');
    }
  });

  test('Airflow 3 without routes: forwarded headers ignored (uvicorn trusts 127.0.0.1 only), unless trustedProxies says otherwise', () => {
    const plain = apiServer(synthAirflow());
    expect(plain.args).toEqual(['api-server']);
    expect(forwardedAllowIps(plain)).toBeUndefined();
    const own = apiServer(synthAirflow({ apiServer: { trustedProxies: ['10.0.0.0/8', 'fd00::/8', '192.168.1.7'] } }));
    expect(own.args).toEqual(['api-server', '--proxy-headers']);
    expect(forwardedAllowIps(own)).toBe('10.0.0.0/8,fd00::/8,192.168.1.7');
  });

  test('Airflow 3: trustedProxies [] turns the headers off behind an Ingress', () => {
    const c = apiServer(synthAirflow({ apiServer: { ingress: { hosts: [HOST] }, trustedProxies: [] } }));
    expect(c.args).toEqual(['api-server']);
    expect(forwardedAllowIps(c)).toBeUndefined();
  });

  test('Airflow 2.11: [webserver] enable_proxy_fix with routes or trustedProxies ["*"], not otherwise; the command line stays', () => {
    const cfgOf = (webserver: UiServerOptions) => option(airflowCfgText(synthAirflow({ ...release('2.11.0'), webserver })), 'webserver', 'enable_proxy_fix');
    expect(cfgOf({ ingress: { hosts: [HOST] } })).toBe('True');
    expect(cfgOf({ httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST] } })).toBe('True');
    expect(cfgOf({ trustedProxies: ['*'] })).toBe('True');
    expect(cfgOf({})).toBeUndefined();
    expect(cfgOf({ ingress: { hosts: [HOST] }, trustedProxies: [] })).toBeUndefined();
    const manifests = synthAirflow({ ...release('2.11.0'), webserver: { ingress: { hosts: [HOST] } } });
    expect(container(find(manifests, 'Deployment', 'airflow-webserver'), 'webserver').args).toEqual(['webserver']);
  });

  test('turning them on rolls the API server alone', () => {
    const diff = diffReleases(synthAirflow(), synthAirflow({ apiServer: { trustedProxies: ['*'] } }));
    expect(diff.rolled).toEqual(['airflow-api-server']);
    expect(diff.immutableViolations).toEqual([]);
  });

  test('bad addresses, "*" among others, and an address list on Airflow 2.11: each named', () => {
    expect(problemsOf({ apiServer: { trustedProxies: ['10.0.0.1/8', 'proxy.example.com', '10.0.0.0/33', '::1/129', '*'] } })).toEqual([
      'apiServer.trustedProxies[0]: has host bits set (a network address is needed, e.g. 10.0.0.0/8) (got "10.0.0.1/8"). Fix: an IPv4 or IPv6 address or network, e.g. \'10.0.0.0/8\', or \'*\' for any',
      'apiServer.trustedProxies[1]: not an IP address or network (got "proxy.example.com"). Fix: an IPv4 or IPv6 address or network, e.g. \'10.0.0.0/8\', or \'*\' for any',
      'apiServer.trustedProxies[2]: the prefix length must be 0-32 (got "10.0.0.0/33"). Fix: an IPv4 or IPv6 address or network, e.g. \'10.0.0.0/8\', or \'*\' for any',
      'apiServer.trustedProxies[3]: the prefix length must be 0-128 (got "::1/129"). Fix: an IPv4 or IPv6 address or network, e.g. \'10.0.0.0/8\', or \'*\' for any',
      'apiServer.trustedProxies: \'*\' trusts every address, so the other entries mean nothing (got "10.0.0.1/8,proxy.example.com,10.0.0.0/33,::1/129,*"). Fix: give either [\'*\'] or the addresses alone',
    ]);
    expect(problemsOf({ ...release('2.11.0'), webserver: { trustedProxies: ['10.0.0.0/8'] } })).toEqual([
      'webserver.trustedProxies: Airflow 2.11.0\'s webserver trusts forwarded headers through ProxyFix ([webserver] enable_proxy_fix), which has no address list (got "10.0.0.0/8"). Fix: use [\'*\'] to trust the proxy in front of it, or [] to ignore forwarded headers',
    ]);
    expect(problemsOf({ apiServer: { trustedProxies: ['::ffff:10.0.0.0/104', '2001:db8::/32', '0.0.0.0/0'] } })).toEqual([]);
    expect(problemsOf({ apiServer: { trustedProxies: ['2001:db8::1/32'] } })).toHaveLength(1);
  });

  test('enable_proxy_fix in config beside routes on Airflow 2.11 is refused: the prop decides', () => {
    expect(problemsOf({ ...release('2.11.0'), webserver: { ingress: { hosts: [HOST] } }, config: untypedConfig({ webserver: { enable_proxy_fix: 'False' } }) })).toEqual([
      'config.webserver.enable_proxy_fix: this option is set by the library (got "False"). Fix: use the prop webserver.trustedProxies instead',
    ]);
  });
});

describe('a Gateway API HTTPRoute', () => {
  const { airflow, chart } = airflowIn({
    apiServer: { httpRoute: { parentRefs: [GATEWAY, { name: 'internal' }], hostnames: [HOST], path: '/airflow', annotations: { 'example.com/team': 'data' } } },
  });
  const manifests = Testing.synth(chart);

  test('attached to the Gateways, a PathPrefix rule to the Service\'s port by number', () => {
    const [route, ...others] = ofKind(manifests, 'HTTPRoute');
    expect(others).toEqual([]);
    expect(ofKind(manifests, 'Ingress')).toEqual([]);
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata).toEqual({ ...find(manifests, 'Service', 'airflow-api-server').metadata, annotations: { 'example.com/team': 'data' } });
    expect(route.spec).toEqual({
      parentRefs: [GATEWAY, { name: 'internal' }],
      hostnames: [HOST],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/airflow' } }],
        backendRefs: [{ name: 'airflow-api-server', port: 8080 }],
      }],
    });
    const [backend] = route.spec.rules[0].backendRefs;
    expect(servicePort(manifests, backend.name, backend.port)).toMatchObject({ name: 'http', port: 8080 });
    expect(airflow.uiServer.httpRoute?.name).toBe('airflow-api-server');
  });

  test('the base URL, probes and execution API URL follow its host and path', () => {
    const cfg = airflowCfgText(manifests);
    expect(option(cfg, 'api', 'base_url')).toBe(`https://${HOST}/airflow`);
    expect(option(cfg, 'core', 'execution_api_server_url')).toBe('http://airflow-api-server:8080/airflow/execution/');
    expect(probePaths(manifests, 'api-server')).toEqual(Array(3).fill('/airflow/api/v2/monitor/health'));
  });

  test('beside an Ingress of the same path (a move from one to the other): both, the base URL from the Ingress', () => {
    const both = synthAirflow({
      apiServer: {
        ingress: { hosts: ['old.example.com'], path: '/airflow' },
        httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST], path: '/airflow' },
      },
    });
    expect([ofKind(both, 'Ingress').length, ofKind(both, 'HTTPRoute').length]).toEqual([1, 1]);
    expect(option(airflowCfgText(both), 'api', 'base_url')).toBe('http://old.example.com/airflow');
  });
});

describe('the UI server\'s Service', () => {
  test.each([ServiceType.LOAD_BALANCER, ServiceType.NODE_PORT])('%s, with annotations for an internal load balancer', (type) => {
    const annotations = { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal', 'networking.gke.io/load-balancer-type': 'Internal' };
    const manifests = synthAirflow({ apiServer: { service: { type, annotations } } });
    const service = find(manifests, 'Service', 'airflow-api-server');
    expect(service.spec.type).toBe(type);
    expect(service.metadata.annotations).toEqual(annotations);
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 'http' }]);
    // The other Services keep their type.
    expect(ofKind(manifests, 'Service').filter((s) => s.spec.type !== 'ClusterIP').map((s) => s.metadata.name)).toEqual(['airflow-api-server']);
  });

  test('on Airflow 2.11, under webserver', () => {
    const manifests = synthAirflow({ ...release('2.11.0'), webserver: { service: { type: ServiceType.LOAD_BALANCER } } });
    expect(find(manifests, 'Service', 'airflow-webserver').spec.type).toBe('LoadBalancer');
  });
});

describe('Flower', () => {
  const flower = (options: Record<string, unknown>) => Executor.celery({ flower: options });

  test('an Ingress and an HTTPRoute to Flower\'s Service port, and Flower serving under their path', () => {
    const manifests = synthAirflow({
      executor: flower({
        ingress: { hosts: [HOST], path: '/flower', tlsSecretName: 'airflow-tls' },
        httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST], path: '/flower' },
      }),
    });
    const ingress = find(manifests, 'Ingress', 'airflow-flower');
    expect(ingressBackends(ingress)).toEqual([['airflow-flower', 'flower']]);
    expect(servicePort(manifests, 'airflow-flower', 'flower')).toMatchObject({ port: 5555 });
    expect(ingress.spec.tls).toEqual([{ hosts: [HOST], secretName: 'airflow-tls' }]);
    const route = find(manifests, 'HTTPRoute', 'airflow-flower');
    expect(route.spec.rules).toEqual([{ matches: [{ path: { type: 'PathPrefix', value: '/flower' } }], backendRefs: [{ name: 'airflow-flower', port: 5555 }] }]);
    expect(container(find(manifests, 'Deployment', 'airflow-flower'), 'flower').args).toEqual(['celery', 'flower', '--url-prefix=/flower']);
    // Flower's routes do not touch the UI's base URL.
    expect(option(airflowCfgText(manifests), 'api', 'base_url')).toBeUndefined();
  });

  test('at the root of its own host: no URL prefix', () => {
    const manifests = synthAirflow({ executor: flower({ ingress: { hosts: ['flower.example.com'] } }) });
    expect(container(find(manifests, 'Deployment', 'airflow-flower'), 'flower').args).toEqual(['celery', 'flower']);
    expect(find(manifests, 'Ingress', 'airflow-flower').spec.rules[0]).toMatchObject({ host: 'flower.example.com', http: { paths: [{ path: '/' }] } });
  });

  test('the URL prefix is on Flower\'s command line: adding the route rolls Flower alone', () => {
    const before = synthAirflow();
    const after = synthAirflow({ executor: flower({ ingress: { hosts: [HOST], path: '/flower' } }) });
    const diff = diffReleases(before, after);
    expect(diff.rolled).toEqual(['airflow-flower']);
    expect(diff.added).toEqual(['Ingress/airflow-flower']);
    expect(diff.immutableViolations).toEqual([]);
  });

  test('the Celery and Kubernetes executor has Flower\'s routes too', () => {
    const manifests = synthAirflow({ executor: Executor.celeryAndKubernetes({ celery: { flower: { httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST] } } } }) });
    expect(find(manifests, 'HTTPRoute', 'airflow-flower').spec.rules[0].backendRefs).toEqual([{ name: 'airflow-flower', port: 5555 }]);
  });
});

test('an Ingress on the UI rolls the pods that read airflow.cfg (the base URL is in it), and changes no immutable field', () => {
  const before = synthAirflow();
  const after = synthAirflow({ apiServer: { ingress: { hosts: [HOST], path: '/airflow' } } });
  const diff = diffReleases(before, after);
  expect(diff.added).toEqual(['Ingress/airflow-api-server']);
  expect(diff.rolled).toContain('airflow-api-server');
  expect(diff.rolled).toContain('airflow-worker');
  expect(diff.immutableViolations).toEqual([]);
});

describe('bad input: every problem at once, in the project\'s words', () => {
  test('the Service, the Ingress and the HTTPRoute of the UI', () => {
    expect(problemsOf({
      apiServer: {
        service: { type: ServiceType.NODE_PORT, annotations: { 'bad key!': 'x' } },
        ingress: {
          hosts: ['Airflow.Example.com', '10.0.0.1', '*.example.com', 'ok.example.com', 'ok.example.com'],
          path: 'airflow/',
          className: 'Nginx',
          tlsSecretName: 'airflow_tls',
          annotations: { '/x': 'y' },
        },
        httpRoute: { parentRefs: [{ name: 'gw' }, { name: 'gw' }, { name: 'GW', namespace: '-x', sectionName: 'HTTPS' }], hostnames: [], path: '/air flow' },
      },
    })).toEqual([
      'apiServer.service.annotations.bad key!: not an annotation key: must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit (" " is not allowed) (got "x"). Fix: e.g. "example.com/my-annotation"',
      'apiServer.ingress.hosts[0]: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("A" is not allowed) (got "Airflow.Example.com"). Fix: use the host name users type, e.g. "airflow.example.com"',
      'apiServer.ingress.hosts[1]: must be a DNS name, not an IP address or a port (got "10.0.0.1"). Fix: use the host name users type, e.g. "airflow.example.com"',
      'apiServer.ingress.hosts[2]: wildcard hosts are not supported: Airflow\'s links need the one host name the UI is at (got "*.example.com"). Fix: use the host name users type, e.g. "airflow.example.com"',
      'apiServer.ingress.hosts[4]: listed twice (got "ok.example.com"). Fix: list each host once',
      'apiServer.ingress.path: must be "/" or a path such as "/airflow": parts of letters, digits, "-", ".", "_" and "~" after "/", without a trailing "/" (it does not start with "/") (got "airflow/"). Fix: e.g. "/airflow"',
      'apiServer.ingress.className: not an IngressClass name: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("N" is not allowed) (got "Nginx"). Fix: name an IngressClass of the cluster (kubectl get ingressclass), e.g. "nginx"',
      'apiServer.ingress.tlsSecretName: not a Secret name: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("_" is not allowed) (got "airflow_tls"). Fix: e.g. "airflow-tls"',
      'apiServer.ingress.annotations./x: not an annotation key: the prefix before "/" must not be empty (got "y"). Fix: e.g. "example.com/my-annotation"',
      'apiServer.httpRoute.parentRefs[2].name: not a Gateway name: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("G" is not allowed) (got "GW"). Fix: name a Gateway of the cluster (kubectl get gateways -A)',
      'apiServer.httpRoute.parentRefs[2].namespace: not a namespace: must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit (it starts with "-") (got "-x"). Fix: e.g. "gateways", or leave it out for the release\'s namespace',
      'apiServer.httpRoute.parentRefs[2].sectionName: not a listener name: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("H" is not allowed) (got "HTTPS"). Fix: name a listener of the Gateway, e.g. "https"',
      'apiServer.httpRoute.parentRefs[1]: the same Gateway is named twice: each reference to it needs a sectionName of its own (got {"name":"gw"}). Fix: name the Gateway once, or give each reference a different listener (sectionName)',
      'apiServer.httpRoute.hostnames: an HTTPRoute of a UI needs 1 to 16 host names: the first is the host of the base URL (got []). Fix: e.g. ["airflow.example.com"]',
      'apiServer.httpRoute.path: must be "/" or a path such as "/airflow": parts of letters, digits, "-", ".", "_" and "~" after "/", without a trailing "/" (" " is not allowed) (got "/air flow"). Fix: e.g. "/airflow"',
    ]);
  });

  test.each<[string, AirflowProps, string[]]>([
    ['no host, a trailing "/"', { apiServer: { ingress: { hosts: [], path: '/airflow/' } } }, [
      'apiServer.ingress.hosts: an Ingress of a UI needs at least one host name: the first is the host of the base URL (got []). Fix: e.g. ["airflow.example.com"]',
      'apiServer.ingress.path: must be "/" or a path such as "/airflow": parts of letters, digits, "-", ".", "_" and "~" after "/", without a trailing "/" (it ends with "/") (got "/airflow/"). Fix: e.g. "/airflow"',
    ]],
    ['"//" in the path', { webserver: { ingress: { hosts: [HOST], path: '/a//b' } }, ...release('2.11.0') }, [
      'webserver.ingress.path: must be "/" or a path such as "/airflow": parts of letters, digits, "-", ".", "_" and "~" after "/", without a trailing "/" (it contains "//") (got "/a//b"). Fix: e.g. "/a/b"',
    ]],
    ['a ".." part', { apiServer: { httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST], path: '/a/../b' } } }, [
      'apiServer.httpRoute.path: must be "/" or a path such as "/airflow": parts of letters, digits, "-", ".", "_" and "~" after "/", without a trailing "/" (it has a ".." part) (got "/a/../b"). Fix: e.g. "/a/b"',
    ]],
    ['an HTTPRoute without a Gateway', { apiServer: { httpRoute: { parentRefs: [], hostnames: [HOST] } } }, [
      'apiServer.httpRoute.parentRefs: an HTTPRoute attaches to 1 to 32 Gateways (got []). Fix: name the Gateway that serves the UI, e.g. parentRefs: [{ name: "shared-gateway", namespace: "gateways" }]',
    ]],
    ['an Ingress and an HTTPRoute of different paths', { apiServer: { ingress: { hosts: [HOST], path: '/airflow' }, httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST] } } }, [
      'apiServer.httpRoute.path: the Ingress serves the path "/airflow", and the component serves under one path only (got "/"). Fix: use the same path for both, e.g. path: "/airflow"',
    ]],
    ['the base URL in config beside an Ingress', { apiServer: { ingress: { hosts: [HOST] } }, config: { api: { base_url: 'https://other.example.com' } } }, [
      'config.api.base_url: this option is set by the library (got "https://other.example.com"). Fix: use the prop apiServer.ingress instead',
    ]],
    ['the base URL in config beside an HTTPRoute (Airflow 2.11)', { ...release('2.11.0'), webserver: { httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST] } }, config: { webserver: { base_url: 'https://other.example.com' } } }, [
      'config.webserver.base_url: this option is set by the library (got "https://other.example.com"). Fix: use the prop webserver.httpRoute instead',
    ]],
    ['a base URL Airflow 2.11 refuses at start-up', { ...release('2.11.0'), config: { webserver: { base_url: 'https://example.com/airflow/' } } }, [
      'config.webserver.base_url: Airflow 2.11.0 refuses a base URL that ends with "/" at start-up (got "https://example.com/airflow/"). Fix: remove the trailing "/": "https://example.com/airflow"',
    ]],
    ['routes to a disabled Flower', { executor: Executor.celery({ flower: { enabled: false, ingress: { hosts: [HOST] }, httpRoute: { parentRefs: [GATEWAY], hostnames: [HOST] } } }) }, [
      'executor.celery.flower.ingress: Flower is disabled (enabled: false): the route would lead nowhere (got "set"). Fix: remove ingress, or enable the component',
      'executor.celery.flower.httpRoute: Flower is disabled (enabled: false): the route would lead nowhere (got "set"). Fix: remove httpRoute, or enable the component',
    ]],
    ['Flower\'s URL prefix in config beside its route', { executor: Executor.celery({ flower: { ingress: { hosts: [HOST], path: '/flower' } } }), config: untypedConfig({ celery: { flower_url_prefix: '/other' } }) }, [
      'config.celery.flower_url_prefix: this option is set by the library (got "/other"). Fix: use the prop executor flower.ingress.path instead',
    ]],
    ['a bad host on Flower\'s Ingress', { executor: Executor.celery({ flower: { ingress: { hosts: ['flower_example'] } } }) }, [
      'executor.celery.flower.ingress.hosts[0]: must be a DNS-1123 subdomain: lower-case letters, digits and "-", starting and ending with a letter or digit, in parts joined by "." ("_" is not allowed) (got "flower_example"). Fix: use the host name users type, e.g. "airflow.example.com"',
    ]],
    ['a Service type the library does not write (a caller without types)', { apiServer: { service: { type: 'ExternalName' as ServiceType } } }, [
      'apiServer.service.type: must be a ServiceType: "ClusterIP", "NodePort" or "LoadBalancer" (got "ExternalName"). Fix: use ServiceType.CLUSTER_IP, ServiceType.NODE_PORT or ServiceType.LOAD_BALANCER',
    ]],
  ])('%s', (_what, props, expected) => {
    expect(problemsOf(props)).toEqual(expected);
  });

  test('accepted: a Gateway named twice with a listener each, a dotted path part, "~" and "_"', () => {
    expect(problemsOf({
      apiServer: {
        httpRoute: { parentRefs: [{ name: 'gw', sectionName: 'https' }, { name: 'gw', sectionName: 'internal' }], hostnames: [HOST, 'b.example.com'], path: '/v1.2/~team_a' },
      },
    })).toEqual([]);
  });
});

// The committed HTTPRoute import is what scripts/gen-imports.js writes from the vendored CRD (v1
// only). Builds and tests never need ../shared; where it is there, as in CI, this checks it.
const root = path.resolve(__dirname, '..');
const VENDORED_CRD = path.join(root, '..', 'shared', 'crds', 'gateway-api', 'gateway.networking.k8s.io_httproutes.yaml');

(fs.existsSync(VENDORED_CRD) ? test : test.skip)('imports/gateway.networking.k8s.io.ts is what scripts/gen-imports.js writes, HTTPRoute v1 alone', () => {
  const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'gen-imports.js'), '--check'], { cwd: root, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const text = fs.readFileSync(path.join(root, 'imports', 'gateway.networking.k8s.io.ts'), 'utf8');
  expect([...text.matchAll(/^export class (\w+)/gm)].map((m) => m[1])).toEqual(['HttpRoute']);
  expect(text).toContain("apiVersion: 'gateway.networking.k8s.io/v1',");
});

test('the README\'s "Reaching the UI" quotes the library\'s message word for word', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const [problem] = problemsOf({ apiServer: { ingress: { hosts: [HOST], path: '/airflow/' } } });
  expect(readme).toContain('```\n' + problem + '\n```');
});

test('`cdk8s-airflow secrets` lists the Ingress\'s TLS Secret among those you provide, and generates no key for it', () => {
  const manifests = synthAirflow({ apiServer: { ingress: { hosts: [HOST], tlsSecretName: 'airflow-tls' } } });
  const use = credentialsUse(manifests, (text) => parseAllDocuments(text).map((d) => d.toJSON()));
  expect(use.userOwned.filter((ref) => ref.secret === 'airflow-tls')).toEqual([
    { namespace: 'airflow', secret: 'airflow-tls', key: 'tls.crt', via: 'ingressTls' },
    { namespace: 'airflow', secret: 'airflow-tls', key: 'tls.key', via: 'ingressTls' },
  ]);
  expect(use.secrets.flatMap((s) => s.keys)).not.toContain('tls.crt');
});

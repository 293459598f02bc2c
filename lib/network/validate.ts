import { NAMESPACE_NAME, ValidationErrors } from '../validation';
import { labelKeyProblem, labelValueProblem, portProblem } from '../validation/kubernetes-names';
import { NetworkEgressRule, NetworkIngressRule, NetworkPeer, NetworkPolicyOptions, NetworkPort, NetworkProtocol, NetworkServicePorts } from './options';
import type { ConnectedService, ServiceConnection } from './traffic';

const PROPERTY = 'networkPolicies';
const PROTOCOLS: readonly string[] = Object.values(NetworkProtocol);

/** What each service of `servicePorts` is, and who connects to it, for the messages. */
const SERVICES: Record<ConnectedService, { what: string; source: string; example: number }> = {
  database: { what: 'metadata database', source: 'MetadataDatabase.fromSecret', example: 5432 },
  broker: { what: 'Celery broker', source: 'CeleryBroker.fromSecret', example: 6379 },
  resultBackend: { what: 'Celery result backend', source: 'CeleryResultBackend.fromSecret', example: 5432 },
  secretsBackend: { what: 'secrets backend', source: 'secretsBackend', example: 8200 },
  remoteLogs: { what: 'Elasticsearch host of the task logs', source: 'TaskLogs.remote hostSecret', example: 9200 },
};

/**
 * Checks `networkPolicies` (its shape was checked with the props'): options only with
 * `enabled: true`, peers and ports as the API server validates NetworkPolicies
 * (networking/validation `ValidateNetworkPolicyPeer`, `ValidateIPBlock`, `ValidateNetworkPolicyPort`).
 */
export function validateNetworkPolicies(errors: ValidationErrors, options: NetworkPolicyOptions | undefined): void {
  if (options === undefined) {
    return;
  }
  if (options.enabled !== true) {
    for (const [key, value] of Object.entries(options)) {
      if (key !== 'enabled' && value !== undefined) {
        errors.add(`${PROPERTY}.${key}`, value, 'NetworkPolicies are written only with enabled: true, so this would do nothing',
          'add enabled: true to networkPolicies, or remove it');
      }
    }
    return;
  }
  (options.uiFrom ?? []).forEach((p, i) => validatePeer(errors, `${PROPERTY}.uiFrom[${i}]`, p));
  (options.autoscalerFrom ?? []).forEach((p, i) => validatePeer(errors, `${PROPERTY}.autoscalerFrom[${i}]`, p));
  validateEgressRule(errors, `${PROPERTY}.dns`, options.dns, 'DNS would fail in every pod');
  validateEgressRule(errors, `${PROPERTY}.kubernetesApi`, options.kubernetesApi, 'the pods that hold a token could not reach the Kubernetes API');
  (options.allowEgress ?? []).forEach((rule, i) => validateEgressRule(errors, `${PROPERTY}.allowEgress[${i}]`, rule, 'the rule would allow nothing'));
  (options.allowIngress ?? []).forEach((rule, i) => validateIngressRule(errors, `${PROPERTY}.allowIngress[${i}]`, rule));
  for (const [service, port] of Object.entries(options.servicePorts ?? {})) {
    const problem = port === undefined ? undefined : portProblem(port);
    if (problem !== undefined) {
      errors.add(`${PROPERTY}.servicePorts.${service}`, port, `not a TCP port: ${problem}`, `e.g. ${SERVICES[service as ConnectedService]?.example ?? 443}`);
    }
  }
}

/**
 * Checks `servicePorts` against the services the configuration connects to: a port for each whose
 * address is in a Secret (without it no policy would let the pods reach it), and none for the rest.
 */
export function validateServicePorts(errors: ValidationErrors, options: NetworkPolicyOptions | undefined, connections: readonly ServiceConnection[]): void {
  if (options?.enabled !== true) {
    return;
  }
  const given: NetworkServicePorts = options.servicePorts ?? {};
  for (const service of Object.keys(SERVICES) as ConnectedService[]) {
    const { what, source, example } = SERVICES[service];
    const connection = connections.find((c) => c.service === service);
    const port = given[service];
    if (connection !== undefined && connection.port === undefined && port === undefined) {
      errors.add(`${PROPERTY}.servicePorts.${service}`, undefined,
        `the address of the ${what} (${source}) is in a Secret the library cannot read, so no NetworkPolicy would let the pods reach it`,
        `give its TCP port, e.g. servicePorts: { ${service}: ${example} }`);
    } else if (port !== undefined && connection === undefined) {
      errors.add(`${PROPERTY}.servicePorts.${service}`, port, `the deployment has no ${what} whose address is in a Secret (${source})`, `remove servicePorts.${service}`);
    } else if (port !== undefined && connection?.port !== undefined) {
      errors.add(`${PROPERTY}.servicePorts.${service}`, port, `the library knows the port of the ${what} from its options (${connection.port})`,
        `remove servicePorts.${service}`);
    }
  }
}

function validateEgressRule(errors: ValidationErrors, property: string, rule: NetworkEgressRule | undefined, emptyMeans: string): void {
  if (rule === undefined) {
    return;
  }
  if (rule.to !== undefined && rule.to.length === 0) {
    errors.add(`${property}.to`, [], `an empty list allows no destination: ${emptyMeans}`, 'leave to out for any address, or name the peers');
  }
  (rule.to ?? []).forEach((p, i) => validatePeer(errors, `${property}.to[${i}]`, p));
  validatePorts(errors, `${property}.ports`, rule.ports, emptyMeans);
}

function validateIngressRule(errors: ValidationErrors, property: string, rule: NetworkIngressRule): void {
  if (rule.from !== undefined && rule.from.length === 0) {
    errors.add(`${property}.from`, [], 'an empty list allows no source: the rule would allow nothing', 'leave from out for any address, or name the peers');
  }
  (rule.from ?? []).forEach((p, i) => validatePeer(errors, `${property}.from[${i}]`, p));
  validatePorts(errors, `${property}.ports`, rule.ports, 'the rule would allow nothing');
}

function validatePorts(errors: ValidationErrors, property: string, ports: NetworkPort[] | undefined, emptyMeans: string): void {
  if (ports !== undefined && ports.length === 0) {
    errors.add(property, [], `an empty list allows no port: ${emptyMeans}`, 'leave ports out for every port, or list them');
  }
  (ports ?? []).forEach((p, i) => {
    const at = `${property}[${i}]`;
    const problem = portProblem(p.port);
    if (problem !== undefined) {
      errors.add(`${at}.port`, p.port, `not a port: ${problem}`, 'e.g. 443');
    }
    if (p.endPort !== undefined) {
      const endProblem = portProblem(p.endPort);
      if (endProblem !== undefined) {
        errors.add(`${at}.endPort`, p.endPort, `not a port: ${endProblem}`, `e.g. ${Math.min(65535, (Number.isInteger(p.port) ? p.port : 1000) + 10)}`);
      } else if (problem === undefined && p.endPort < p.port) {
        errors.add(`${at}.endPort`, p.endPort, `the range ends before it starts (port ${p.port})`, `give an endPort of ${p.port} or more, or leave it out for the one port`);
      }
    }
    if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) {
      errors.add(`${at}.protocol`, p.protocol, `not a protocol of NetworkPolicies (${PROTOCOLS.join(', ')})`, 'e.g. NetworkProtocol.UDP');
    }
  });
}

/** A peer: pods (namespace, namespace labels, pod labels) or an address range, not both, not neither. */
export function validatePeer(errors: ValidationErrors, property: string, p: NetworkPeer): void {
  const selects = p.namespace !== undefined || p.namespaceLabels !== undefined || p.podLabels !== undefined;
  if (p.cidr === undefined) {
    if (!selects) {
      errors.add(property, p, 'a peer names pods (namespace, namespaceLabels, podLabels) or addresses (cidr)',
        'e.g. { namespace: "ingress-nginx" }, or { namespaceLabels: {} } for any pod in any namespace');
    }
    if (p.except !== undefined) {
      errors.add(`${property}.except`, p.except, 'except leaves ranges out of cidr, and there is none', 'give cidr too, or remove except');
    }
  } else {
    if (selects) {
      errors.add(property, p, 'a peer is either pods (namespace, namespaceLabels, podLabels) or an address range (cidr), not both',
        'use two peers: one with cidr, one with the selectors');
    }
    validateIpBlock(errors, property, p.cidr, p.except ?? []);
  }
  if (p.namespace !== undefined && (!NAMESPACE_NAME.test(p.namespace) || p.namespace.length > 63)) {
    errors.add(`${property}.namespace`, p.namespace, 'not a namespace name', 'use at most 63 lower-case letters, digits and "-", e.g. "ingress-nginx"');
  }
  for (const [field, labels] of [['namespaceLabels', p.namespaceLabels], ['podLabels', p.podLabels]] as const) {
    for (const [key, value] of Object.entries(labels ?? {})) {
      const problem = labelKeyProblem(key) ?? (typeof value === 'string' ? labelValueProblem(value) : 'the value must be a string');
      if (problem !== undefined) {
        errors.add(`${property}.${field}.${key}`, value, `not a label: ${problem}`, 'e.g. { "app.kubernetes.io/name": "ingress-nginx" }');
      }
    }
  }
}

function validateIpBlock(errors: ValidationErrors, property: string, cidr: string, except: string[]): void {
  const range = parseCidr(cidr);
  if (typeof range === 'string') {
    errors.add(`${property}.cidr`, cidr, range, 'e.g. "10.0.0.0/16", "192.0.2.10/32" or "2001:db8::/64"');
    return;
  }
  except.forEach((text, i) => {
    const inner = parseCidr(text);
    if (typeof inner === 'string') {
      errors.add(`${property}.except[${i}]`, text, inner, `e.g. a smaller range inside ${cidr}`);
    } else if (inner.bits !== range.bits || inner.prefix <= range.prefix || (inner.address >> BigInt(inner.bits - range.prefix)) !== (range.address >> BigInt(range.bits - range.prefix))) {
      // networking/validation ValidateIPBlock: "must be a strict subset of `cidr`".
      errors.add(`${property}.except[${i}]`, text, `must be a range strictly inside cidr ${cidr}`, `give a longer prefix inside ${cidr}, or remove it`);
    }
  });
}

interface ParsedCidr {
  /** 32 or 128. */
  readonly bits: number;
  readonly prefix: number;
  readonly address: bigint;
}

/**
 * An IPv4 or IPv6 range in CIDR notation, in its network form (no bits set after the prefix: a
 * host address is `/32` or `/128`), or why not.
 */
export function parseCidr(text: string): ParsedCidr | string {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(typeof text === 'string' ? text : '');
  if (match === null) {
    return 'not an address range in CIDR notation (address/prefix length)';
  }
  const v4 = parseIpv4(match[1]);
  const v6 = v4 === undefined ? parseIpv6(match[1]) : undefined;
  const address = v4 ?? v6;
  const bits = v4 !== undefined ? 32 : 128;
  if (address === undefined) {
    return 'not an IPv4 or IPv6 address before the "/" (IPv4 without leading zeros)';
  }
  const prefix = Number(match[2]);
  if (prefix > bits || (match[2].length > 1 && match[2].startsWith('0'))) {
    return `the prefix length must be 0 to ${bits}`;
  }
  const hostBits = BigInt(bits - prefix);
  const network = (address >> hostBits) << hostBits;
  if (network !== address) {
    return `bits are set after the /${prefix} prefix: the range is written from its first address (${formatAddress(network, bits)}/${prefix}), a single address as /${bits}`;
  }
  return { bits, prefix, address };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.reduce((n, p) => (n << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) {
    return undefined;
  }
  const groups = (part: string): number[] | undefined => {
    if (part === '') {
      return [];
    }
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4(item);
        if (v4 === undefined) {
          return undefined;
        }
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) {
        out.push(parseInt(item, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const [head, tail] = text.split('::');
  const first = groups(head);
  const last = tail === undefined ? [] : groups(tail);
  if (first === undefined || last === undefined) {
    return undefined;
  }
  const missing = 8 - first.length - last.length;
  if ((tail === undefined && missing !== 0) || (tail !== undefined && missing < 1)) {
    return undefined;
  }
  return [...first, ...new Array<number>(missing).fill(0), ...last].reduce((n, g) => (n << 16n) | BigInt(g), 0n);
}

function formatAddress(address: bigint, bits: number): string {
  if (bits === 32) {
    return [24n, 16n, 8n, 0n].map((shift) => String((address >> shift) & 0xffn)).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) => ((address >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // The longest run of zero groups (two or more) becomes "::".
  let best = [-1, 0];
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') {
      j++;
    }
    if (j - i > best[1]) {
      best = [i, j - i];
    }
    i = j === i ? i + 1 : j;
  }
  if (best[1] < 2) {
    return groups.join(':');
  }
  return `${groups.slice(0, best[0]).join(':')}::${groups.slice(best[0] + best[1]).join(':')}`;
}

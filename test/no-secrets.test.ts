import { Yaml } from 'cdk8s';
import { parse } from 'yaml';
import { CREDENTIAL_KEYS } from '../lib/credentials';
import { credentialsSecretManifest } from '../lib/secrets-manifest';
import { EXAMPLES, Manifest, synthExample, synthReference, strings } from './helpers';

/** The reference deployment and every example, the way `npm run synth` writes them. */
const outputs: Array<[string, Manifest[]]> = [
  ['reference', synthReference()],
  ...Object.keys(EXAMPLES).map((name): [string, Manifest[]] => [name, synthExample(name)]),
];
/** Every object, plus the Pod manifests that ConfigMaps carry as text (the KubernetesExecutor's pod template). */
const manifests = outputs.flatMap(([, m]) => m).flatMap((m) => m.kind === 'ConfigMap' && m.data['pod_template_file.yaml']
  ? [m, parse(m.data['pod_template_file.yaml']) as Manifest]
  : [m]);

/** Every string in the manifests that looks like a credential, with where it is. */
function credentialFindings(objects: unknown): string[] {
  const findings: string[] = [];
  for (const [where, value] of strings(objects)) {
    // Checksums of the config files are the long hex values that are expected.
    if (/\.annotations\.checksum\/[a-z-]+$/.test(where)) {
      continue;
    }
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) {
      findings.push(`${where}: a private key`);
    }
    // user:password@ in a URL, unless the password is a $(VAR) reference.
    for (const [, password] of value.matchAll(/:\/\/[^/\s:@]*:([^@\s]+)@/g)) {
      if (!/^\$\([A-Z0-9_]+\)$/.test(password)) {
        findings.push(`${where}: a literal password in a URL`);
      }
    }
    // A boolean or null is a switch, not a secret (`automount_service_account_token=False`).
    // A $(VAR) reference, quoted or not, is filled in by the kubelet from a Secret-backed variable.
    if (/(password|secret|token|fernet)[\w-]*\s*[=:]\s*(?!['"]?\$\()(?!(?:true|false|none|null)\b)\S{6,}/i.test(value) && !where.endsWith('#key')) {
      findings.push(`${where}: an assignment to a secret-named setting`);
    }
    // 32+ characters of hex, or of base64 mixing cases and digits: a key, a token or a hash.
    const base64ish = /^[A-Za-z0-9+/_=-]{32,}$/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
    if (base64ish || /^[0-9a-fA-F]{32,}$/.test(value)) {
      findings.push(`${where}: a long random-looking token`);
    }
  }
  return findings;
}

describe('no secret value is synthesised (reference deployment and every example)', () => {
  test('every output is scanned', () => {
    expect(outputs.map(([name]) => name)).toEqual(['reference', ...Object.keys(EXAMPLES)]);
    expect(outputs.every(([, m]) => m.length > 20)).toBe(true);
  });

  test('embedded pod templates are scanned as objects too', () => {
    // One per output with a KubernetesExecutor: the two executor examples, platform and everything-on.
    const withTemplates = outputs.filter(([, m]) => m.some((o) => o.kind === 'ConfigMap' && o.data?.['pod_template_file.yaml'])).length;
    expect(withTemplates).toBe(4);
    expect(manifests.filter((m) => m.kind === 'Pod')).toHaveLength(withTemplates);
  });

  test('no Secret object at all', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });

  test('no value looks like a credential', () => {
    expect(credentialFindings(manifests)).toEqual([]);
  });

  test('the scan finds credentials when they are there', () => {
    const planted = [{
      kind: 'Deployment',
      spec: { template: { spec: { containers: [{ env: [
        { name: 'DB', value: 'postgresql://airflow:hunter2hunter2@db:5432/airflow' },
        { name: 'KEY', value: 'Zm9vYmFyYmF6cXV4UVdFUlRZMTIzNDU2Nzg5MGFiY2RlZg' },
        { name: 'CFG', value: 'fernet_key = abcdefghijkl' },
        { name: 'PY', value: 'api_token="Falsehood-is-a-secret"' },
        { name: 'OFF', value: 'automount_service_account_token=False,' },
        { name: 'REF', value: "host=127.0.0.1 password='$(PW)' sslmode=disable" },
      ] }] } } },
    }];
    // Four findings: a switch set to False is not one.
    expect(credentialFindings(planted)).toHaveLength(4);
  });

  test('environment variables with secret-sounding names are always Secret references', () => {
    const text = Yaml.stringify(...manifests);
    expect(text).not.toMatch(/name: \S*(PASSWORD|SECRET|TOKEN|FERNET)\S*\n\s+value:/);
  });
});

describe('the credentials Secret command', () => {
  // A zero first byte, then 0xfb: the values hold "-" and "_" (base64url's own characters), but
  // do not start with "-", which the generator draws again (test/scripts.test.ts covers that).
  const fixed = (fill: number) => (size: number) => Buffer.concat([Buffer.from([0]), Buffer.alloc(size - 1, fill)]);

  test('creates every key the deployment reads, with URL-safe values', () => {
    const secret = credentialsSecretManifest({ name: 'airflow', namespace: 'airflow', random: fixed(0xfb) }) as any;
    expect(Object.values<string>(secret.stringData).join('')).toMatch(/-/);
    expect(secret.metadata).toMatchObject({ name: 'airflow-credentials', namespace: 'airflow' });
    expect(Object.keys(secret.stringData).sort()).toEqual(Object.values(CREDENTIAL_KEYS).sort());
    for (const value of Object.values<string>(secret.stringData)) {
      expect(value).toMatch(/^[A-Za-z0-9_-]+=*$/);
    }
    // A Fernet key: URL-safe base64 of 32 bytes, padding kept.
    const fernet = Buffer.from(secret.stringData['fernet-key'].replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    expect(secret.stringData['fernet-key']).toHaveLength(44);
    expect(fernet).toHaveLength(32);
  });

  test('draws fresh random values each time', () => {
    const a = credentialsSecretManifest({ name: 'airflow', namespace: 'airflow' }) as any;
    const b = credentialsSecretManifest({ name: 'airflow', namespace: 'airflow' }) as any;
    for (const key of Object.values(CREDENTIAL_KEYS)) {
      expect(a.stringData[key]).not.toEqual(b.stringData[key]);
      expect(a.stringData[key].length).toBeGreaterThanOrEqual(43);
    }
  });

  test('the Secret every output reads is the one the command creates, and only keys it writes', () => {
    // The platform and external-services examples read Secrets a platform owns (a database URL, a broker password, …) on purpose.
    const library = outputs.filter(([name]) => !['platform', 'external-services', 'everything-on'].includes(name)).flatMap(([, m]) => m).flatMap((m) => m.kind === 'ConfigMap' && m.data['pod_template_file.yaml']
      ? [m, parse(m.data['pod_template_file.yaml']) as Manifest]
      : [m]);
    const referenced = new Set<string>();
    for (const [where, value] of strings(library)) {
      if (where.endsWith('.secretKeyRef.name')) {
        referenced.add(value);
      }
      if (where.endsWith('.secretKeyRef.key')) {
        expect(Object.values(CREDENTIAL_KEYS)).toContain(value);
      }
    }
    expect([...referenced]).toEqual(['airflow-credentials']);
  });
});

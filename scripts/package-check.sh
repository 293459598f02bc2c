#!/usr/bin/env bash
# The package as others get it, checked in a scratch folder (the working tree, build/ included,
# is never touched):
#   1. jsii compiles the library with zero errors, and its public API has no TypeScript union
#      (jsii accepts unions; Python, Java and Go users cannot use them well);
#   2. `npm pack` in a copy of the repository, which runs `prepare` (the build a git install runs
#      too), packs the library and the `cdk8s-airflow` command and nothing else;
#   3. a scratch project that follows the README's "Use the constructs in your own project": it
#      installs the tarball with the README's line, runs `npx cdk8s-airflow secrets` with the
#      runtime dependencies alone, adds the README's development tools, compiles the README's
#      example with the README's tsconfig.json (and with the one `cdk8s init` writes), runs it
#      with node and with `cdk8s synth`, and pipes the output to `npx cdk8s-airflow secrets`.
# Offline, from the npm cache that `npm ci` filled: bare package names cannot be resolved without
# the registry, so the scratch project's package.json and lock pin the README's names to the
# versions of this checkout's lock (what `npm install <name>` would have written there), and
# every install runs with --offline. ts-node is in no lock here, so the project runs `tsc` and
# `node` (the README's other route); cdk8s-cli runs from this checkout. CI runs this script.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap '[ -n "${KEEP_WORK:-}" ] && echo "kept $work" >&2 || rm -rf "$work"' EXIT

echo "== jsii: the public API compiles for every jsii language"
jsii_dir="$work/jsii"
mkdir -p "$jsii_dir"
cp -r "$root/lib" "$root/imports" "$root/README.md" "$jsii_dir/"
ln -s "$root/node_modules" "$jsii_dir/node_modules"
# jsii wants publishing metadata that this private repository does not carry; the check only
# compiles, so placeholders stand in for them.
node -e '
  const pkg = require(process.argv[1]);
  pkg.author = { name: "cdk8s-airflow developers", organization: true };
  pkg.repository = { type: "git", url: "https://example.invalid/cdk8s-airflow.git" };
  pkg.main = "out/lib/index.js";
  pkg.types = "out/lib/index.d.ts";
  // jsii expects the lowest version a peer dependency allows as the development version.
  pkg.devDependencies = Object.fromEntries(Object.entries(pkg.peerDependencies).map(([n, v]) => [n, v.replace(/^\^/, "")]));
  pkg.jsii = { outdir: "dist-jsii", targets: {}, tsc: { outDir: "out", rootDir: "." } };
  require("fs").writeFileSync(process.argv[2], JSON.stringify(pkg, null, 2));
' "$root/package.json" "$jsii_dir/package.json"
status=0
(cd "$jsii_dir" && JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=1 "$root/node_modules/.bin/jsii" >jsii.log 2>&1) || status=$?
# Errors and warnings, without the notice that Node.js 20 is past its end of life.
grep -v -e '^\s*$' -e '!!' "$jsii_dir/jsii.log" || true
if [ "$status" -ne 0 ]; then
  echo "jsii check: jsii failed (exit $status), see above" >&2
  exit 1
fi
node -e '
  const assembly = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const unions = [];
  const visit = (ref, where) => {
    if (!ref || typeof ref !== "object") return;
    if (ref.union || ref.intersection) unions.push(where);
    if (ref.collection) visit(ref.collection.elementtype, where);
  };
  for (const [fqn, type] of Object.entries(assembly.types)) {
    for (const p of type.properties ?? []) visit(p.type, `${fqn}.${p.name}`);
    for (const m of [...(type.methods ?? []), ...(type.initializer ? [type.initializer] : [])]) {
      visit(m.returns?.type, `${fqn}.${m.name ?? "constructor"}()`);
      for (const p of m.parameters ?? []) visit(p.type, `${fqn}.${m.name ?? "constructor"}(${p.name})`);
    }
  }
  if (unions.length > 0) {
    console.error(`jsii check: TypeScript unions in the public API: ${unions.join(", ")}`);
    process.exit(1);
  }
  console.log(`jsii check: 0 errors, ${Object.keys(assembly.types).length} public types, no unions`);
' "$jsii_dir/.jsii"

echo "== npm pack in a copy of the repository"
# The files git holds that the build reads, with this checkout's node_modules.
clone="$work/cdk8s-airflow"
mkdir -p "$clone/scripts"
cp -r "$root/lib" "$root/docs" "$root/bin" "$root/imports" "$root/README.md" "$root/package.json" "$root/tsconfig.json" "$root/tsconfig.lib.json" "$clone/"
cp "$root/scripts/build.js" "$clone/scripts/"
ln -s "$root/node_modules" "$clone/node_modules"
version=$(node -p 'require(process.argv[1]).version' "$root/package.json")
# npm pack runs `prepare`, and prints the tarball's name last.
tarball=$(cd "$clone" && npm pack --silent --pack-destination "$work" | tail -n 1)
test "$tarball" = "cdk8s-airflow-$version.tgz"
if grep -rlE "from '(\.\./)+imports/k8s'" "$clone/build" --include='*.d.ts'; then
  echo "package check: the declarations refer to a generated imports/k8s module" >&2
  exit 1
fi
contents=$(tar -tzf "$work/$tarball")
for file in package/bin/cdk8s-airflow.js package/build/lib/index.js package/build/lib/index.d.ts package/build/lib/cli/main.js package/build/lib/secrets-manifest.js; do
  if ! grep -qx "$file" <<<"$contents"; then
    echo "package check: $tarball has no $file" >&2
    exit 1
  fi
done
if grep -E '^package/(lib|scripts|test|examples|dist)/|\.ts$' <<<"$contents" | grep -v '\.d\.ts$'; then
  echo "package check: $tarball carries sources or outputs (above)" >&2
  exit 1
fi

echo "== a project that follows the README"
consumer="$work/consumer"
mkdir -p "$consumer"
readme="$root/README.md"
# The README's lines: the install from the tarball packed beside the project, the development tools.
install_line=$(grep -m1 -E '^npm install \.\./cdk8s-airflow-<version>\.tgz ' "$readme")
dev_line=$(grep -m1 -E '^npm install -D ' "$readme")
read -r -a install_words <<<"$install_line"
read -r -a dev_words <<<"$dev_line"
tarball_ref=${install_words[2]/<version>/$version}
test "$(cd "$consumer" && realpath -m "$tarball_ref")" = "$work/$tarball"
runtime=("${install_words[@]:3}")
# The development tools this checkout's lock holds (typescript, @types/node), at its versions.
dev=()
for word in "${dev_words[@]:3}"; do
  name=${word%@*}; name=${name:-$word}
  if node -e 'process.exit(require(process.argv[1]).packages["node_modules/" + process.argv[2]] ? 0 : 1)' "$root/package-lock.json" "$name" && [ "$name" != cdk8s-cli ]; then
    dev+=("$name")
  fi
done
node - "$root/package-lock.json" "$consumer" "$(IFS=,; echo "${runtime[*]}")" "$(IFS=,; echo "${dev[*]}")" <<'JS'
// The project's package.json and lock: the named packages at this checkout's versions, with
// everything they depend on (optional dependencies included), laid out as in this checkout.
const fs = require('fs');
const [lockFile, dir, runtime, dev] = process.argv.slice(2);
const all = JSON.parse(fs.readFileSync(lockFile, 'utf8')).packages;
const packages = {};
const locate = (from, name) => {
  for (let base = from; ;) {
    const key = `${base}node_modules/${name}`;
    if (all[key]) return key;
    if (!base) return undefined;
    base = base.slice(0, base.slice(0, -1).lastIndexOf('node_modules/'));
  }
};
// The runtime packages come first, so a package both need stays a runtime one.
const add = (key, isDev) => {
  if (packages[key]) {
    return;
  }
  const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = all[key];
  packages[key] = isDev ? { ...entry, dev: true } : entry;
  for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
    const found = locate(`${key}/`, name);
    if (found) add(found, isDev);
    else if (!entry.optionalDependencies?.[name]) throw new Error(`${key} needs ${name}, which the lock does not hold`);
  }
};
const names = (list) => list.split(',').filter(Boolean);
names(runtime).forEach((name) => add(`node_modules/${name}`, false));
names(dev).forEach((name) => add(`node_modules/${name}`, true));
const pin = (list) => Object.fromEntries(names(list).map((name) => [name, `^${all[`node_modules/${name}`].version}`]));
const manifest = { name: 'data-platform', version: '1.0.0', private: true, dependencies: pin(runtime), devDependencies: pin(dev) };
fs.writeFileSync(`${dir}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
const lock = { name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages: { '': manifest, ...packages } };
fs.writeFileSync(`${dir}/package-lock.json`, `${JSON.stringify(lock, null, 2)}\n`);
JS
cd "$consumer"
npm_offline=(--offline --no-audit --no-fund --loglevel=error)
# The README's install line, runtime dependencies only. Its bare names are in package.json and the
# lock already, so the tarball is the argument left; offline, npm cannot fetch the peer
# dependencies' metadata to re-check them, so it skips that (--legacy-peer-deps) and `npm ls`
# checks the installed tree instead (it fails on a peer range the tree does not satisfy).
npm install "${npm_offline[@]}" --omit=dev --legacy-peer-deps "$tarball_ref" >/dev/null
npm ls --offline --omit=dev --all >/dev/null
for name in cdk8s-airflow "${runtime[@]}"; do
  test -f "node_modules/$name/package.json"
done
test ! -e node_modules/typescript
# The command from the tarball, with nothing but the runtime dependencies.
npx --offline cdk8s-airflow secrets --name etl --namespace data >secret-all.yaml
grep -q '^  name: etl-credentials$' secret-all.yaml
# The README's development tools (those the offline cache holds), then its tsconfig.json and example.
npm install "${npm_offline[@]}" >/dev/null
node - "$readme" <<'JS'
const fs = require('fs');
const readme = fs.readFileSync(process.argv[2], 'utf8');
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).filter((code) => code.includes("from 'cdk8s-airflow'"));
const tsconfig = readme.match(/```json\n(\{\n\s+"compilerOptions"[\s\S]*?)```/);
if (examples.length !== 1 || !tsconfig) throw new Error('README: expected one TypeScript example and one tsconfig.json');
fs.writeFileSync('main.ts', examples[0]);
fs.writeFileSync('tsconfig.json', tsconfig[1]);
JS
cp "$root/node_modules/cdk8s-cli/templates/typescript-app/tsconfig.json" tsconfig.cdk8s-init.json
cat > app.ts <<'TS'
import { ApiObject, App, Chart, JsonPatch } from 'cdk8s';
import { Airflow, DagSource, Executor, MetadataDatabase, airflowConfig } from 'cdk8s-airflow';

const app = new App({ outdir: 'out' });
const chart = new Chart(app, 'team', { namespace: 'data' });
const airflow = new Airflow(chart, 'airflow', {
  name: 'etl',
  executor: Executor.celery({ workers: { replicas: 3 } }),
  database: MetadataDatabase.externalPostgres({ host: 'pg.data.svc' }),
  dags: DagSource.gitSync({ repository: 'https://example.com/dags.git' }),
  config: airflowConfig({ core: { parallelism: 64 } }),
});
ApiObject.of(airflow.scheduler).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'airflow'));
console.log(airflow.uiServer.serviceName);
app.synth();
TS
# Against the packed .d.ts files, library declarations checked too (neither sets skipLibCheck).
npx --offline tsc -p tsconfig.json
npx --offline tsc -p tsconfig.cdk8s-init.json --noEmit
# `node` after `tsc`, then `cdk8s synth` with `app:` in cdk8s.yaml.
test "$(node main.js)" = "etl-api-server 8080"
test -f dist/data-platform.k8s.yaml
rm -rf dist
printf 'app: node main.js\n' >cdk8s.yaml
CDK8S_CHECK_UPGRADE=false "$root/node_modules/.bin/cdk8s" synth >/dev/null
test -f dist/data-platform.k8s.yaml
# The README's last step: the Secret with the keys the output reads, and what the user provides.
npx --offline cdk8s-airflow secrets dist/ >secret.yaml 2>secret.log
node - <<'JS'
const fs = require('fs');
const { Yaml } = require('cdk8s');
const text = fs.readFileSync('dist/data-platform.k8s.yaml', 'utf8');
const read = [...new Set([...text.matchAll(/secretKeyRef:\n(\s+)key: (\S+)\n\1name: etl-credentials\n/g)].map((m) => m[2]))].sort();
const [secret, ...rest] = Yaml.load('secret.yaml');
const keys = Object.keys(secret.stringData).sort();
if (rest.length > 0 || secret.metadata.name !== 'etl-credentials' || secret.metadata.namespace !== 'data' || JSON.stringify(keys) !== JSON.stringify(read)) {
  throw new Error(`cdk8s-airflow secrets: expected etl-credentials in data with ${read}, got ${JSON.stringify(secret.metadata)} with ${keys}`);
}
if (Object.values(secret.stringData).some((v) => v.startsWith('-'))) throw new Error('a value starts with "-"');
if (!fs.readFileSync('secret.log', 'utf8').includes('you provide: dags-deploy-key/ssh-privatekey')) throw new Error('the deploy key is not listed as the user\'s');
fs.writeFileSync('secret.count', String(keys.length));
JS
# The escape hatch, from the packed JavaScript.
service=$(node app.js)
test "$service" = "etl-api-server"
grep -q 'name: etl-scheduler' out/team.k8s.yaml
grep -q 'priorityClassName: airflow' out/team.k8s.yaml
echo "package check: the packed library installs as the README says, type-checks (README and cdk8s init tsconfig), synthesises with node and cdk8s synth, and its command writes the $(cat secret.count) keys the output reads ($(du -k "$work/$tarball" | cut -f1) KiB packed)"

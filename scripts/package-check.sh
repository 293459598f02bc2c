#!/usr/bin/env bash
# The package as others get it, checked in a scratch folder (the working tree, build/ included,
# is never touched):
#   1. jsii compiles the library with zero errors, and its public API has no TypeScript union
#      (jsii accepts unions; Python, Java and Go users cannot use them well);
#   2. `npm pack` of the library, installed in a scratch TypeScript project that type-checks
#      against the packed .d.ts files and synthesises with the packed JavaScript.
# Offline: the dependencies are linked from this checkout's node_modules. CI runs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The package's own files, as `npm pack` would see them.
package="$work/package"
mkdir -p "$package"
cp -r "$root/lib" "$root/docs" "$root/README.md" "$root/package.json" "$root/tsconfig.json" "$root/tsconfig.lib.json" "$package/"
ln -s "$root/node_modules" "$package/node_modules"

echo "== jsii: the public API compiles for every jsii language"
jsii_dir="$work/jsii"
mkdir -p "$jsii_dir"
cp -r "$root/lib" "$root/README.md" "$jsii_dir/"
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

echo "== npm pack, installed in a consumer project"
(cd "$package" && rm -rf build && node "$root/node_modules/typescript/bin/tsc" -p tsconfig.lib.json)
if grep -rlE "from '(\.\./)+imports/k8s'" "$package/build" --include='*.d.ts'; then
  echo "package check: the declarations refer to a generated imports/k8s module" >&2
  exit 1
fi
tarball=$(cd "$package" && npm pack --silent --ignore-scripts --pack-destination "$work" | tail -n 1)
consumer="$work/consumer"
mkdir -p "$consumer/node_modules/cdk8s-airflow"
tar -xzf "$work/$tarball" -C "$consumer/node_modules/cdk8s-airflow" --strip-components=1
for dep in cdk8s cdk8s-plus-27 constructs; do
  ln -s "$root/node_modules/$dep" "$consumer/node_modules/$dep"
done

cat > "$consumer/app.ts" <<'TS'
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
cat > "$consumer/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2020", "module": "commonjs", "strict": true, "skipLibCheck": false, "types": [] }, "files": ["app.ts"] }
JSON

cd "$consumer"
node "$root/node_modules/typescript/bin/tsc" -p tsconfig.json
service=$(node app.js)
test "$service" = "etl-api-server"
grep -q 'name: etl-scheduler' out/team.k8s.yaml
grep -q 'priorityClassName: airflow' out/team.k8s.yaml
echo "package check: the packed library type-checks and synthesises ($(grep -c '^kind:' out/team.k8s.yaml) objects, $(du -k "$work/$tarball" | cut -f1) KiB packed)"

#!/usr/bin/env bash
# Packs the library as npm would publish it and uses the tarball from a scratch project, the
# way another team would: type-check a TypeScript consumer against the packed .d.ts files and
# synthesise with the packed JavaScript. Offline: the peer dependencies are linked from this
# checkout's node_modules instead of being installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
consumer="$work/consumer"
mkdir -p "$consumer/node_modules/cdk8s-airflow"
tar -xzf "$work/$tarball" -C "$consumer/node_modules/cdk8s-airflow" --strip-components=1
for dep in cdk8s cdk8s-plus-27 constructs; do
  ln -s "$root/node_modules/$dep" "$consumer/node_modules/$dep"
done

cat > "$consumer/app.ts" <<'TS'
import { App, Chart } from 'cdk8s';
import { Airflow, DagSource, Executor, MetadataDatabase } from 'cdk8s-airflow';

const app = new App({ outdir: 'out' });
const chart = new Chart(app, 'team', { namespace: 'data' });
const airflow = new Airflow(chart, 'airflow', {
  name: 'etl',
  executor: Executor.celery({ workers: { replicas: 3 } }),
  database: MetadataDatabase.externalPostgres({ host: 'pg.data.svc' }),
  dags: DagSource.gitSync({ repository: 'https://example.com/dags.git' }),
});
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
echo "consumer check: packed library type-checks and synthesises ($(grep -c '^kind:' out/team.k8s.yaml) objects)"

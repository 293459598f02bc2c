#!/usr/bin/env node
// Regenerates lib/props-shape/shapes.generated.ts: a compact description of the public props and
// options interfaces, read from the TypeScript sources with the compiler API, for the runtime
// checker lib/props-shape/check-shape.ts (callers without types: plain JavaScript, props loaded
// from JSON or YAML). With --check it only compares, and exits 1 when the committed file differs
// (--out <file> names another file to write or compare). Commit the result.
//
// Where it starts: AirflowProps, AirflowChartProps, the parameters of every public static factory
// of the variant and value classes (Executor, MetadataDatabase, DagSource, AuthManager, GitAuth,
// SecretKey, ContainerImage) and of Airflow.addWorkerSet. From there it follows every property.
//
// Kinds (a leading "?" marks an optional property or parameter):
//   string | number | boolean | string[]
//   {string}     an object of strings (nodeSelector)
//   {{string}}   an object of objects of strings (config: section -> option -> value)
//   {#<Name>}    an object of class instances (connections: connection id -> SecretKey)
//   <Name>       an object described by SHAPES[Name] (an interface of this library or cdk8s-plus-27)
//   <Name>[]     a list of such objects (an HTTPRoute's parentRefs)
//   #<Name>      an instance of a class, or an object implementing a behavioural interface
//                (IDagSource); check-shape.ts knows how to recognise each
//   =<Name>      a value of the string enum ENUMS[Name]
//   ~<Name>      an opaque Kubernetes API object (cdk8s-plus-27/lib/imports/k8s), ~<Name>[] a list
// Anything else fails the generator, so a new kind of property cannot go unchecked silently.
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const OUT = path.join(root, 'lib', 'props-shape', 'shapes.generated.ts');

/** Interfaces to describe, wherever they are used. */
const ROOT_INTERFACES = [
  ['lib/airflow-props.ts', 'AirflowProps'],
  ['lib/airflow-chart.ts', 'AirflowChartProps'],
];

/** Classes whose public static methods are factories: every one is described, unless excluded below. */
const FACTORY_CLASSES = [
  ['lib/executors/executor.ts', 'Executor'],
  ['lib/database/metadata-database.ts', 'MetadataDatabase'],
  ['lib/dags/dag-source.ts', 'DagSource'],
  ['lib/auth/auth-manager.ts', 'AuthManager'],
  ['lib/dags/git-auth.ts', 'GitAuth'],
  ['lib/credentials.ts', 'SecretKey'],
  ['lib/image.ts', 'ContainerImage'],
  ['lib/executors/celery-broker.ts', 'CeleryBroker'],
  ['lib/executors/celery-broker.ts', 'CeleryResultBackend'],
  ['lib/config/files.ts', 'ConfigFile'],
  ['lib/metrics/metrics.ts', 'Metrics'],
  ['lib/pod/task-logs.ts', 'TaskLogs'],
];

/** Factories left out, with the reason. */
const EXCLUDED = {
  // Takes a cdk8s-plus ISecret, a construct: only code that has types can make one.
  'SecretKey.fromSecret': true,
};

/** Instance methods that take options. */
const METHODS = [
  ['lib/airflow.ts', 'Airflow', 'addWorkerSet'],
];

/** Where opaque Kubernetes API types come from. */
const K8S_TYPES = `${path.sep}cdk8s-plus-27${path.sep}lib${path.sep}imports${path.sep}`;

function createProgram() {
  const files = [...new Set([...ROOT_INTERFACES, ...FACTORY_CLASSES, ...METHODS].map(([file]) => path.join(root, file)))];
  return ts.createProgram(files, {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
}

function relative(file) {
  return path.relative(root, file).split(path.sep).join('/');
}

/** Builds the description: { shapes, enums, calls }, each sorted by name. */
function describe() {
  const program = createProgram();
  const checker = program.getTypeChecker();
  const shapes = new Map();
  const enums = new Map();
  const calls = new Map();
  /** name -> declaring file, to refuse two interfaces of one name. */
  const origins = new Map();
  const queue = [];

  function declarationOf(file, name, test) {
    const source = program.getSourceFile(path.join(root, file));
    if (source === undefined) {
      throw new Error(`gen-props-shape: ${file} not found`);
    }
    const found = source.statements.find((s) => test(s) && s.name && s.name.text === name);
    if (found === undefined) {
      throw new Error(`gen-props-shape: ${file} declares no ${name}`);
    }
    return found;
  }

  function claim(name, declaration) {
    const file = relative(declaration.getSourceFile().fileName);
    const earlier = origins.get(name);
    if (earlier !== undefined && earlier !== file) {
      throw new Error(`gen-props-shape: two types named ${name} (${earlier}, ${file}); the description keys them by name`);
    }
    origins.set(name, file);
  }

  function enqueueInterface(symbol) {
    const declaration = symbol.declarations[0];
    claim(symbol.name, declaration);
    if (!shapes.has(symbol.name)) {
      shapes.set(symbol.name, null);
      queue.push(symbol);
    }
    return symbol.name;
  }

  function enumKind(symbol, where) {
    const values = [];
    for (const declaration of symbol.declarations) {
      for (const member of declaration.members) {
        if (!member.initializer || !ts.isStringLiteral(member.initializer)) {
          throw new Error(`gen-props-shape: ${where}: the enum ${symbol.name} has a member that is not a string`);
        }
        values.push([member.name.getText(), member.initializer.text]);
      }
    }
    claim(symbol.name, symbol.declarations[0]);
    enums.set(symbol.name, values);
    return `=${symbol.name}`;
  }

  /** The kind of a type, as the header describes; throws on what the checker cannot check. */
  function kindOf(type, where) {
    type = checker.getNonNullableType(type);
    const text = () => checker.typeToString(type);
    if (type.flags & ts.TypeFlags.String) {
      return 'string';
    }
    if (type.flags & ts.TypeFlags.Number) {
      return 'number';
    }
    if (type.flags & ts.TypeFlags.Boolean) {
      return 'boolean';
    }
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (symbol && symbol.flags & ts.SymbolFlags.Enum) {
      return enumKind(symbol, where);
    }
    if (checker.isArrayType(type)) {
      const element = checker.getTypeArguments(type)[0];
      const elementKind = kindOf(element, `${where}[]`);
      if (elementKind === 'string' || elementKind.startsWith('~') || shapes.has(elementKind)) {
        return `${elementKind}[]`;
      }
      throw new Error(`gen-props-shape: ${where}: lists of ${checker.typeToString(element)} are not supported`);
    }
    if (type.flags & ts.TypeFlags.Object) {
      const sym = type.getSymbol();
      if (sym && sym.flags & ts.SymbolFlags.Class) {
        claim(sym.name, sym.declarations[0]);
        return `#${sym.name}`;
      }
      if (sym && sym.flags & ts.SymbolFlags.Interface) {
        const declaration = sym.declarations[0];
        if (declaration.getSourceFile().fileName.includes(K8S_TYPES)) {
          claim(sym.name, declaration);
          return `~${sym.name}`;
        }
        // An interface with methods is a behaviour (IDagSource): recognised by its methods.
        if (sym.declarations.some((d) => d.members.some((m) => ts.isMethodSignature(m)))) {
          claim(sym.name, declaration);
          return `#${sym.name}`;
        }
        return enqueueInterface(sym);
      }
      const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
      if (index && checker.getPropertiesOfType(type).length === 0) {
        const valueKind = kindOf(index.type, `${where}[string]`);
        if (valueKind === 'string' || valueKind === '{string}' || valueKind.startsWith('#')) {
          return `{${valueKind}}`;
        }
      }
    }
    throw new Error(`gen-props-shape: ${where}: the type ${text()} is not supported; teach scripts/gen-props-shape.js and check-shape.ts`);
  }

  function parameterKinds(declaration, where) {
    return declaration.parameters.map((parameter) => {
      const name = parameter.name.getText();
      const optional = parameter.questionToken !== undefined || parameter.initializer !== undefined;
      const kind = kindOf(checker.getTypeAtLocation(parameter), `${where}(${name})`);
      return [name, `${optional ? '?' : ''}${kind}`];
    });
  }

  for (const [file, name] of ROOT_INTERFACES) {
    const declaration = declarationOf(file, name, ts.isInterfaceDeclaration);
    enqueueInterface(checker.getSymbolAtLocation(declaration.name));
  }
  for (const [file, name] of FACTORY_CLASSES) {
    const declaration = declarationOf(file, name, ts.isClassDeclaration);
    for (const member of declaration.members) {
      const modifiers = ts.getCombinedModifierFlags(member);
      if (!ts.isMethodDeclaration(member) || !(modifiers & ts.ModifierFlags.Static)
        || modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || member.name.getText().startsWith('_')) {
        continue;
      }
      const call = `${name}.${member.name.getText()}`;
      if (!EXCLUDED[call]) {
        calls.set(call, parameterKinds(member, call));
      }
    }
  }
  for (const [file, name, method] of METHODS) {
    const declaration = declarationOf(file, name, ts.isClassDeclaration);
    const member = declaration.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText() === method);
    if (member === undefined) {
      throw new Error(`gen-props-shape: ${file}: ${name} has no method ${method}`);
    }
    calls.set(`${name}.${method}`, parameterKinds(member, `${name}.${method}`));
  }
  while (queue.length > 0) {
    const symbol = queue.shift();
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const properties = {};
    for (const property of checker.getPropertiesOfType(type)) {
      const declaration = property.valueDeclaration ?? property.declarations[0];
      if (!ts.isPropertySignature(declaration)) {
        throw new Error(`gen-props-shape: ${symbol.name}.${property.name} is not a plain property`);
      }
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      properties[property.name] = `${optional ? '?' : ''}${kindOf(checker.getTypeOfSymbol(property), `${symbol.name}.${property.name}`)}`;
    }
    shapes.set(symbol.name, properties);
  }
  const sorted = (map) => new Map([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { shapes: sorted(shapes), enums: sorted(enums), calls: sorted(calls) };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));

/** The generated file's text: one property per line, so a change to an interface is a readable diff. */
function generate() {
  const { shapes, enums, calls } = describe();
  const shapeLines = [...shapes].map(([name, properties]) => {
    const names = Object.keys(properties).sort();
    return `  ${key(name)}: {\n${names.map((p) => `    ${key(p)}: ${JSON.stringify(properties[p])},`).join('\n')}\n  },`;
  });
  const enumLines = [...enums].map(([name, members]) =>
    `  ${key(name)}: { ${members.map(([m, v]) => `${key(m)}: ${JSON.stringify(v)}`).join(', ')} },`);
  const callLines = [...calls].map(([name, params]) =>
    `  ${key(name)}: [${params.map(([p, kind]) => `[${JSON.stringify(p)}, ${JSON.stringify(kind)}]`).join(', ')}],`);
  return [
    '// Generated by scripts/gen-props-shape.js from the props and options interfaces of lib/ (and the',
    '// cdk8s-plus-27 types they use). Do not edit: run `node scripts/gen-props-shape.js` after changing one;',
    '// `node scripts/gen-props-shape.js --check` fails when this file is stale. The kinds are explained',
    '// at the top of the script; lib/props-shape/check-shape.ts checks values against them.',
    '',
    '/** Interface -> property -> kind ("?" first: optional). */',
    'export const SHAPES: { readonly [name: string]: { readonly [property: string]: string } } = {',
    ...shapeLines,
    '};',
    '',
    '/** String enum -> member -> value, in declaration order. */',
    'export const ENUMS: { readonly [name: string]: { readonly [member: string]: string } } = {',
    ...enumLines,
    '};',
    '',
    '/** `Class.method` -> its parameters, [name, kind], in order. */',
    'export const CALLS: { readonly [call: string]: ReadonlyArray<readonly [string, string]> } = {',
    ...callLines,
    '};',
    '',
  ].join('\n');
}

module.exports = { generate, OUT };

if (require.main === module) {
  // --out <file>: another file than the committed one (the tests check a stale copy with it).
  const outIndex = process.argv.indexOf('--out');
  const OUT = outIndex > 0 ? path.resolve(process.argv[outIndex + 1]) : module.exports.OUT;
  const text = generate();
  const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : undefined;
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error(`${relative(OUT)} is stale: run 'node scripts/gen-props-shape.js' and commit the result`);
      process.exit(1);
    }
    console.log(`${relative(OUT)} is up to date`);
  } else if (current === text) {
    console.log(`${relative(OUT)} is up to date`);
  } else {
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, text);
    console.log(`wrote ${relative(OUT)} (${Buffer.byteLength(text)} bytes)`);
  }
}

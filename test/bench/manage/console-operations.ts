import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

/**
 * The GraphQL operations the console sends, read from the console's own source (every
 * `graphql(\`…\`)` in client/app, client/components and client/lib), so the scale test and
 * the management benchmark exercise exactly what the console asks — fields, nested
 * resolvers and all — and follow it when a page changes. No codegen is needed.
 */

const CLIENT = path.resolve(__dirname, '..', '..', '..', 'client');
const DIRS = ['app', 'components', 'lib'];

/** The same login the console's server sends (client/lib/session.ts). */
export const LOGIN = 'mutation Login($e:String!,$p:String!){ login(email:$e, password:$p){ token } }';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

let cache: Map<string, string> | undefined;

/** Operation name → printed document (with the fragments it spreads). */
export function consoleOperations(): Map<string, string> {
  if (cache) return cache;
  const ops = new Map<string, OperationDefinitionNode>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of DIRS.flatMap((d) => sources(path.join(CLIENT, d)))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/graphql\(`([\s\S]*?)`\)/g)) {
      for (const def of parse(m[1] ?? '').definitions as DefinitionNode[]) {
        if (def.kind === Kind.OPERATION_DEFINITION && def.name) ops.set(def.name.value, def);
        if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
      }
    }
  }
  cache = new Map();
  for (const [name, op] of ops) {
    const used = new Set<string>();
    const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
      visit(node, {
        FragmentSpread(s) {
          if (used.has(s.name.value)) return;
          used.add(s.name.value);
          const f = fragments.get(s.name.value);
          if (!f) throw new Error(`console operation ${name} spreads unknown fragment ${s.name.value}`);
          collect(f);
        },
      });
    collect(op);
    cache.set(name, [op, ...[...used].map((f) => fragments.get(f) as FragmentDefinitionNode)].map((d) => print(d)).join('\n'));
  }
  return cache;
}

/** The console's document for `name`; throws (naming the known ones) when the console has none. */
export function consoleOperation(name: string): string {
  const doc = consoleOperations().get(name);
  if (!doc) throw new Error(`the console has no GraphQL operation named ${name} (known: ${[...consoleOperations().keys()].join(', ')})`);
  return doc;
}

import fc from 'fast-check';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';

/** One generated GraphQL request. `who` picks the credential the runner attaches. */
export interface FuzzOp {
  query: string;
  variables: Record<string, unknown>;
  who: 'owner' | 'key' | 'anonymous';
  field: string;
}

/** The schema as a client sees it (introspection of the running test app). */
export async function introspect(url: string): Promise<GraphQLSchema> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: getIntrospectionQuery() }) });
  const body = (await res.json()) as { data: IntrospectionQuery };
  return buildClientSchema(body.data);
}

// Values chosen because they have broken real servers: operators of query languages,
// prototype keys, NUL, lone surrogates, regex bombs, numbers past 32 bits, huge strings.
const INJECTIONS: unknown[] = [
  { $ne: null },
  { $gt: '' },
  { $where: 'sleep(1000)' },
  { $regex: '.*' },
  { __proto__: { admin: true } },
  { constructor: { prototype: { x: 1 } } },
  [{ $ne: null }],
  '{"$ne":null}',
];
const NASTY_STRINGS = [
  '',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uFFFF',
  'ｌｋ＿ｐｒｄ＿',
  '👩‍👩‍👧‍👦'.repeat(50),
  '__proto__',
  'constructor',
  '(a+)+$',
  '.*',
  '*',
  '$ne',
  "'; DROP TABLE keys; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  'usr_000000000000000000000000',
  'key_000000000000000000000000',
  'lk_prd_0000000000000000000000000000000000000000000000',
  '2038-01-19T03:14:08.000Z',
  '9999-12-31T23:59:59.999Z',
  '-1',
  'NaN',
  'owner@example.test',
];

const bigString = fc.constantFrom(1_000, 65_536, 200_000).map((n) => 'x'.repeat(n));
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: bigString },
);
const nastyInt = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER), fc.double({ noNaN: true }));
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(...INJECTIONS), nastyString, nastyInt);

/**
 * A value for an input type: mostly well-shaped (so resolvers and services really run),
 * sometimes of the wrong type or an injection object (so coercion and validation do).
 */
export function valueFor(schema: GraphQLSchema, type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const wrong = depth > 3 ? fc.constant(null) : anyJson;
  if (isNonNullType(type)) return fc.oneof({ weight: 9, arbitrary: valueFor(schema, type.ofType, depth) }, { weight: 1, arbitrary: fc.constant(null) });
  if (isListType(type)) {
    const item = valueFor(schema, type.ofType as GraphQLInputType, depth + 1);
    return fc.oneof(
      { weight: 6, arbitrary: fc.array(item, { maxLength: 4 }) },
      { weight: 1, arbitrary: item },
      { weight: 1, arbitrary: fc.array(item, { minLength: 200, maxLength: 400 }) },
      { weight: 1, arbitrary: wrong },
    );
  }
  let good: fc.Arbitrary<unknown>;
  if (isEnumType(type)) good = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) }, { weight: 1, arbitrary: nastyString });
  else if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    if (depth > 3) return fc.constant({});
    const entries = fields.map((f) => fc.option(valueFor(schema, f.type, depth + 1).map((v) => [f.name, v] as const), { freq: 3, nil: undefined }));
    good = fc.tuple(fc.tuple(...entries), fc.option(fc.tuple(fc.constantFrom('$ne', '__proto__', 'unknownField', 'orgId'), anyJson), { freq: 8 })).map(([kv, extra]) => {
      const o: Record<string, unknown> = {};
      for (const e of kv) if (e) o[e[0]] = e[1];
      if (extra) Object.defineProperty(o, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
      return o;
    });
  } else if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
        good = nastyInt;
        break;
      case 'Float':
        good = fc.oneof(fc.double({ noNaN: true }), nastyInt);
        break;
      case 'Boolean':
        good = fc.boolean();
        break;
      case 'DateTimeISO':
        good = fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), nastyString, nastyInt);
        break;
      case 'JSONObject':
        good = fc.oneof(fc.object({ maxDepth: 3 }), fc.constantFrom(...INJECTIONS));
        break;
      default:
        good = nastyString;
    }
  } else good = anyJson;
  return fc.oneof({ weight: 7, arbitrary: good }, { weight: 2, arbitrary: wrong });
}

/** A GraphQL literal for a JSON value (keys that are not GraphQL names make a parse error: also worth sending). */
export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${literal(x)}`).join(', ')}}`;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '0';
  return JSON.stringify(v);
}

/** A selection set for a field's output type: a few scalar fields, nested at most `depth`. */
export function selectionFor(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, depth: number): fc.Arbitrary<string> {
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return isScalarType(named) || isEnumType(named) ? fc.constant('') : fc.constant('{ __typename }');
  return objectSelection(schema, named, depth);
}

function objectSelection(schema: GraphQLSchema, type: GraphQLObjectType, depth: number): fc.Arbitrary<string> {
  // Only fields whose arguments are all optional: the point is the root field's input.
  const fields = Object.values(type.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)));
  if (fields.length === 0) return fc.constant('{ __typename }');
  return fc.subarray(fields, { minLength: 1, maxLength: Math.min(4, fields.length) }).chain((picked) =>
    fc
      .tuple(
        ...picked.map((f) =>
          depth > 0
            ? selectionFor(schema, f, depth - 1).map((s) => `${f.name} ${s}`)
            : fc.constant(isObjectType(getNamedType(f.type)) ? `${f.name} { __typename }` : f.name),
        ),
      )
      .map((parts) => `{ ${parts.join(' ')} }`),
  );
}

/** A whole operation over one random root field, with arguments inline or as variables. */
export function operationArb(schema: GraphQLSchema, opts: { excludeWithOwner?: readonly string[] } = {}): fc.Arbitrary<FuzzOp> {
  const roots: [string, GraphQLObjectType][] = [];
  const rootTypes = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const;
  for (const [kind, t] of rootTypes) if (t) roots.push([kind, t]);
  const choices = roots.flatMap(([kind, t]) => Object.values(t.getFields()).map((f) => ({ kind, f })));
  const structured = fc.constantFrom(...choices).chain(({ kind, f }) => {
    const args = f.args.map((a) =>
      fc.record({
        mode: fc.constantFrom('var', 'var', 'inline', 'omit', 'wrongType'),
        value: valueFor(schema, a.type),
      }).map((x) => ({ ...x, arg: a })),
    );
    const parts = fc.tuple(
      fc.tuple(...args),
      selectionFor(schema, f, 2),
      fc.constantFrom<FuzzOp['who']>('owner', 'owner', 'owner', 'key', 'anonymous'),
      fc.option(fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 }), { freq: 6 }),
    );
    return parts.map(([argVals, sel, who, extraVars]) => {
      const decls: string[] = [];
      const passed: string[] = [];
      const variables: Record<string, unknown> = { ...(extraVars ?? {}) };
      argVals.forEach(({ mode, value, arg }, i) => {
        if (mode === 'omit') return;
        if (mode === 'inline') passed.push(`${arg.name}: ${literal(value)}`);
        else {
          // A declared type that disagrees with the argument makes a validation error; that path is fuzzed too.
          decls.push(`$v${i}: ${mode === 'wrongType' ? 'String' : arg.type.toString()}`);
          passed.push(`${arg.name}: $v${i}`);
          variables[`v${i}`] = value;
        }
      });
      const head = decls.length ? `${kind} Fuzz(${decls.join(', ')})` : kind;
      const call = passed.length ? `${f.name}(${passed.join(', ')})` : f.name;
      const excluded = opts.excludeWithOwner?.includes(f.name) ?? false;
      return { query: `${head} { ${call} ${sel} }`, variables, who: excluded && who === 'owner' ? 'anonymous' : who, field: f.name } satisfies FuzzOp;
    });
  });
  // Some plainly broken documents: truncated, random text, a stray operator object as the query.
  const broken = fc.tuple(structured, fc.nat(), nastyString).map(([op, cut, junk]) => ({
    ...op,
    query: cut % 2 ? op.query.slice(0, cut % op.query.length) : `${junk} ${op.query}`,
  }));
  return fc.oneof({ weight: 9, arbitrary: structured }, { weight: 1, arbitrary: broken });
}

import fc from 'fast-check';
import { decide, decideScope, formatRequirement, parseScope, scopesWithin, type Requirement } from './policy';

// Small alphabets so generated scopes and requirements collide often; a few random
// well-formed names keep the generator honest about the grammar.
const name = fc.oneof(fc.constantFrom('keys', 'applications', 'data', 'read', 'write', 'deploy'), fc.stringMatching(/^[a-z][a-z0-9_-]{0,12}$/));
const segment = fc.oneof({ weight: 1, arbitrary: fc.constant('*') }, { weight: 4, arbitrary: name });
const resourceId = fc.oneof(fc.constant(undefined), fc.constant('*'), fc.constantFrom('id_1', 'id_2'), fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/));

const scope = fc.record({ resource: segment, action: segment, resourceId }).map((r) => formatRequirement(r as Requirement));
const scopes = fc.array(scope, { maxLength: 6 });
/** What a caller actually asks for: no wildcards in resource or action. */
const concrete = fc.record({ resource: name, action: name, resourceId: fc.oneof(fc.constant(undefined), fc.constantFrom('id_1', 'id_2')) }).map(
  (r): Requirement => (r.resourceId === undefined ? { resource: r.resource, action: r.action } : { resource: r.resource, action: r.action, resourceId: r.resourceId }),
);

describe('policy properties', () => {
  it('formatting and parsing round-trip', () => {
    fc.assert(
      fc.property(scope, (s) => {
        const p = parseScope(s);
        expect(p).not.toBeNull();
        expect(formatRequirement(p as Requirement)).toBe(s);
      }),
    );
  });

  it('*:* allows every requirement', () => {
    fc.assert(fc.property(scope, (s) => decideScope(['*:*'], s).allowed));
  });

  it('every scope allows itself', () => {
    fc.assert(fc.property(scope, (s) => decideScope([s], s).allowed));
  });

  it('granting more never takes a permission away (monotonic)', () => {
    fc.assert(fc.property(scopes, scopes, concrete, (g, h, r) => !decide(g, r).allowed || decide([...g, ...h], r).allowed));
  });

  it('the order of granted scopes does not change the decision', () => {
    fc.assert(fc.property(scopes, concrete, (g, r) => decide(g, r).allowed === decide([...g].reverse(), r).allowed));
  });

  it('an allowed decision names a granted scope that alone allows it; a denial has none', () => {
    fc.assert(
      fc.property(scopes, concrete, (g, r) => {
        const d = decide(g, r);
        if (d.allowed) return g.includes(d.matchedScope) && decide([d.matchedScope], r).allowed;
        return g.every((s) => !decide([s], r).allowed) && d.missingScope === formatRequirement(r);
      }),
    );
  });

  it('a wildcard grants exactly what the concrete scopes it stands for grant', () => {
    fc.assert(
      fc.property(name, name, concrete, (res, act, r) => {
        const wildcard = decide([`${res}:*`], r).allowed;
        const concreteScope = decide([`${res}:${r.action}`], r).allowed;
        const anyRes = decide([`*:${act}`], r).allowed === decide([`${r.resource}:${act}`], r).allowed;
        return wildcard === concreteScope && anyRes;
      }),
    );
  });

  it('scopesWithin agrees with decide for a single wanted scope', () => {
    fc.assert(fc.property(scopes, scope, (held, w) => scopesWithin(held, [w]).ok === decideScope(held, w).allowed));
  });

  it('whatever can be granted from held scopes allows nothing the holder cannot do (no escalation)', () => {
    fc.assert(
      fc.property(scopes, scopes, concrete, (held, wanted, r) => {
        if (!scopesWithin(held, wanted).ok) return true;
        return !decide(wanted, r).allowed || decide(held, r).allowed;
      }),
      { numRuns: 2000 },
    );
  });

  it('scopesWithin is reflexive and transitive', () => {
    fc.assert(fc.property(scopes, (a) => scopesWithin(a, a).ok));
    fc.assert(
      fc.property(scopes, scopes, scopes, (a, b, c) => !(scopesWithin(a, b).ok && scopesWithin(b, c).ok) || scopesWithin(a, c).ok),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.string(), (g, s) => {
        decideScope(g, s);
        scopesWithin(g, [s]);
        return true;
      }),
    );
  });
});

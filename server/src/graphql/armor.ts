import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Config } from '../infra/config';

/**
 * Query limits shared by HTTP and graphql-ws. Numbers are generous for the console's
 * largest page and far below anything that could hurt a node.
 */
export const QUERY_LIMITS = {
  maxDepth: 12,
  maxAliases: 30,
  maxDirectives: 30,
  maxTokens: 5_000,
  maxCost: 20_000,
} as const;

/**
 * The token limit is graphql-js's own (`parse(…, { maxTokens })`), passed to Apollo as
 * `parseOptions` and used by graphql-ws. Armor's max-tokens plugin parsed again inside
 * `parsingDidStart`, where a throw is "unexpected" to Apollo: every syntax error and
 * every over-long document answered HTTP 500 INTERNAL_SERVER_ERROR. Inside Apollo's own
 * parse they are the client's error: 400 GRAPHQL_PARSE_FAILED.
 */
export const PARSE_OPTIONS = { maxTokens: QUERY_LIMITS.maxTokens } as const;

/**
 * Subscriptions run over graphql-ws only. Over HTTP, graphql-js would call the
 * subscription fields' resolvers without an event (a TypeError, answered as
 * INTERNAL_SERVER_ERROR to anyone, even anonymous callers): refuse them as the client's
 * mistake before anything executes.
 */
const noHttpSubscriptions: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription') {
          throw new GraphQLError('subscriptions are served over graphql-ws (ws(s)://…/graphql), not HTTP', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
      },
    };
  },
};

export function createArmor(config: Config) {
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, flattenFragments: true, exposeLimits: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases, exposeLimits: true },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, exposeLimits: true },
    maxTokens: { enabled: false },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, exposeLimits: true },
    blockFieldSuggestion: { enabled: config.isProduction },
  }).protect();
  return { ...armor, plugins: [...armor.plugins, noHttpSubscriptions], parseOptions: PARSE_OPTIONS };
}

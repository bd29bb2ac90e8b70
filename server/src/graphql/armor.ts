import { ApolloArmor } from '@escape.tech/graphql-armor';
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

export function createArmor(config: Config) {
  return new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, flattenFragments: true, exposeLimits: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases, exposeLimits: true },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, exposeLimits: true },
    maxTokens: { n: QUERY_LIMITS.maxTokens, exposeLimits: true },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, exposeLimits: true },
    blockFieldSuggestion: { enabled: config.isProduction },
  }).protect();
}

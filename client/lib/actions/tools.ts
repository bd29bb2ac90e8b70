'use server';

import { graphql } from '@/gql';
import { gqlRequest } from '../api';
import { crossSiteRefusal } from './guard';

const Check = graphql(`
  query CheckPermission($principalId: ID, $scope: String, $resource: String, $action: String, $resourceId: String) {
    checkPermission(principalId: $principalId, scope: $scope, resource: $resource, action: $action, resourceId: $resourceId) {
      allowed reason requirement matchedScope missingScope principalId
    }
  }
`);

export interface PermissionQuestion {
  principalId?: string;
  scope?: string;
  resource?: string;
  action?: string;
  resourceId?: string;
}

/** A read, but it can probe other principals' permissions: keep it same-origin. */
export async function checkPermissionAction(q: PermissionQuestion) {
  const refused = await crossSiteRefusal();
  if (refused) return refused;
  const clean = (v?: string) => (v && v.trim() ? v.trim() : null);
  return gqlRequest(Check, {
    principalId: clean(q.principalId),
    scope: clean(q.scope),
    resource: clean(q.resource),
    action: clean(q.action),
    resourceId: clean(q.resourceId),
  });
}

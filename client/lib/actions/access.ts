'use server';

import { revalidatePath } from 'next/cache';
import { graphql } from '@/gql';
import type { CreateApplicationInput, CreateRoleInput, CreateUserInput, UpdateOrganizationPolicyInput, UpdateRoleInput } from '@/gql/graphql';
import { gqlRequest, type ApiResult } from '../api';
import { crossSiteRefusal } from './guard';

const CreateUser = graphql(`mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id email } }`);
const DisableUser = graphql(`mutation DisableUser($id: ID!) { disableUser(id: $id) { id status } }`);
const CreateRole = graphql(`mutation CreateRole($input: CreateRoleInput!) { createRole(input: $input) { id name } }`);
const UpdateRole = graphql(`mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) { updateRole(id: $id, input: $input) { id name } }`);
const DeleteRole = graphql(`mutation DeleteRole($id: ID!) { deleteRole(id: $id) }`);
const CreateApp = graphql(`mutation CreateApplication($input: CreateApplicationInput!) { createApplication(input: $input) { id name } }`);
const UpdatePolicy = graphql(`mutation UpdatePolicy($input: UpdateOrganizationPolicyInput!) { updateOrganizationPolicy(input: $input) { version } }`);

async function guarded<T>(path: string, run: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  const refused = await crossSiteRefusal();
  if (refused) return refused;
  const result = await run();
  if (result.ok) revalidatePath(path);
  return result;
}

export async function createUser(input: CreateUserInput) {
  return guarded('/access/members', () => gqlRequest(CreateUser, { input }));
}

export async function disableUser(id: string) {
  return guarded('/access/members', () => gqlRequest(DisableUser, { id }));
}

export async function createRole(input: CreateRoleInput) {
  return guarded('/access/roles', () => gqlRequest(CreateRole, { input }));
}

export async function updateRole(id: string, input: UpdateRoleInput) {
  return guarded('/access/roles', () => gqlRequest(UpdateRole, { id, input }));
}

export async function deleteRole(id: string) {
  return guarded('/access/roles', () => gqlRequest(DeleteRole, { id }));
}

export async function createApplication(input: CreateApplicationInput) {
  return guarded('/access/applications', () => gqlRequest(CreateApp, { input }));
}

export async function updatePolicy(input: UpdateOrganizationPolicyInput) {
  return guarded('/access/policy', () => gqlRequest(UpdatePolicy, { input }));
}

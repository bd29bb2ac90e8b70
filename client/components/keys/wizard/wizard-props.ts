import type { WizardMeQuery, WizardPolicyQuery, WizardRolesQuery } from '@/gql/graphql';
import type { WizardState } from './model';

/**
 * What the page hands the wizard and what every step receives. A leaf module so the
 * wizard, its step views and the steps' pieces all import down to it, never each other.
 */
export interface WizardProps {
  myScopes: readonly string[];
  canWrite: boolean;
  applications: WizardMeQuery['applications']['nodes'];
  roles: WizardRolesQuery['roles']['nodes'];
  policy: WizardPolicyQuery['organization']['policy'] | null;
  catalogue: WizardPolicyQuery['organization']['catalogue'] | null;
}

export interface StepProps {
  state: WizardState;
  update: (patch: Partial<WizardState>) => void;
  props: WizardProps;
  viaRequest: boolean;
}

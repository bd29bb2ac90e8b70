'use client';

import { RotateDialog } from './actions/rotate-dialog';
import { ReasonDialog } from './actions/reason-dialog';
import { RenewDialog } from './actions/renew-dialog';
import { EditDialog, type EditDialogProps } from './actions/edit-dialog';
import { ReactivateButton } from './actions/reactivate-button';

/** The editable fields come from the edit dialog, which owns their meaning. */
export interface KeyActionsProps extends EditDialogProps {
  status: string;
  expiresAt: string | null;
  rotationGrace: number | null;
}

/** Only the transitions the key's state allows (docs/KEYS.md lifecycle) are offered. */
export function KeyActions(props: KeyActionsProps) {
  const { keyId, status } = props;
  const live = status === 'active' || status === 'rotating' || status === 'suspended';
  return (
    <div className="page-actions" role="group" aria-label="Key actions">
      {status === 'active' ? <EditDialog {...props} /> : null}
      {status === 'active' ? <RotateDialog keyId={keyId} defaultGrace={props.rotationGrace} /> : null}
      {status === 'active' || status === 'suspended' || status === 'expired' ? <RenewDialog keyId={keyId} expiresAt={props.expiresAt} /> : null}
      {status === 'active' || status === 'rotating' ? <ReasonDialog keyId={keyId} kind="suspend" /> : null}
      {status === 'suspended' ? <ReactivateButton keyId={keyId} /> : null}
      {live || status === 'expired' || status === 'approved' ? <ReasonDialog keyId={keyId} kind="revoke" /> : null}
    </div>
  );
}

'use client';

import { useId, useState } from 'react';
import { approveRequest, rejectRequest } from '@/lib/actions/requests';
import { Dialog, DialogActions } from '@/components/ui/dialog';
import { FormError, useAction } from '@/components/ui/use-action';

/** One dialog for both decisions: the comment is the approval note or the rejection reason. */
export function ApproveReject({ requestId, name }: { requestId: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [comment, setComment] = useState('');
  const approve = useAction(approveRequest);
  const reject = useAction(rejectRequest);
  const commentId = useId();
  const pending = approve.pending || reject.pending;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        approve.reset();
        reject.reset();
      }}
      title={`Review “${name}”`}
      description="Approving issues the key once enough approvers agree; you must hold every scope it grants. Rejecting needs a reason."
      trigger={
        <button className="button button-small" type="button">
          Review
        </button>
      }
    >
      <div className="field">
        <label htmlFor={commentId}>Comment</label>
        <textarea id={commentId} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} />
      </div>
      <FormError error={approve.error ?? reject.error} />
      <DialogActions>
        <button
          className="button button-danger"
          type="button"
          disabled={pending || !comment.trim()}
          title={comment.trim() ? undefined : 'A reason is required to reject'}
          onClick={async () => {
            if (await reject.run(requestId, comment.trim())) setOpen(false);
          }}
        >
          Reject
        </button>
        <button
          className="button button-primary"
          type="button"
          disabled={pending}
          onClick={async () => {
            if (await approve.run(requestId, comment.trim())) setOpen(false);
          }}
        >
          Approve
        </button>
      </DialogActions>
    </Dialog>
  );
}

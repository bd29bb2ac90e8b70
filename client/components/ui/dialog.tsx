'use client';

import { Dialog as D } from 'radix-ui';
import type { ReactNode } from 'react';

/**
 * Radix Dialog: focus trap, Escape to close, focus returned to the trigger, and the
 * title/description wired to aria-labelledby/-describedby.
 */
export function Dialog({
  trigger,
  title,
  description,
  open,
  onOpenChange,
  children,
}: {
  trigger: ReactNode;
  title: string;
  description?: ReactNode;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  children: ReactNode;
}) {
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Trigger asChild>{trigger}</D.Trigger>
      <D.Portal>
        <D.Overlay className="dialog-overlay" />
        <D.Content className="dialog-content">
          <D.Title className="dialog-title">{title}</D.Title>
          {description ? <D.Description className="dialog-description">{description}</D.Description> : <D.Description className="visually-hidden">{title}</D.Description>}
          {children}
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

export const DialogClose = D.Close;

/** The footer every dialog shares: Cancel first, then the dialog's own buttons. */
export function DialogActions({ children }: { children: ReactNode }) {
  return (
    <div className="dialog-actions">
      <D.Close asChild>
        <button className="button" type="button">
          Cancel
        </button>
      </D.Close>
      {children}
    </div>
  );
}

'use client';

import { useRef, useState } from 'react';

/**
 * The one place a secret is shown. It lives in the parent's React state only (never in
 * storage, the URL or a cookie) and is gone once the page is left or "Done" is pressed.
 */
export function SecretReveal({ secret, title = 'Your new key', notice, onDone }: { secret: string; title?: string; notice?: string | null; onDone?: () => void }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const field = useRef<HTMLInputElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('copied');
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): select it for Ctrl+C.
      field.current?.select();
      setCopied('failed');
    }
  }

  return (
    <section className="secret-reveal" aria-labelledby="secret-title">
      <h2 id="secret-title">{title}</h2>
      <p className="secret-warning" role="alert">
        <strong>Copy it now — you will not see this again.</strong> Latchkey stores only a hash of the key.
      </p>
      <div className="secret-row">
        <label className="visually-hidden" htmlFor="secret-value">
          Secret
        </label>
        <input
          ref={field}
          id="secret-value"
          className="secret-value"
          readOnly
          value={secret}
          spellCheck={false}
          autoComplete="off"
          data-testid="secret-value"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button button-primary" onClick={copy}>
          {copied === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="muted" aria-live="polite">
        {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copy was refused: the key is selected, press Ctrl+C.' : (notice ?? '')}
      </p>
      {onDone ? (
        <button type="button" className="button" onClick={onDone}>
          I have stored it — done
        </button>
      ) : null}
    </section>
  );
}

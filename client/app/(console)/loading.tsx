/** Shown while a signed-in page waits for the API (every page renders per request). */
export default function Loading() {
  return (
    <div role="status" aria-live="polite" aria-label="Loading">
      <div className="skeleton" style={{ width: '14rem', height: '2rem', marginBottom: '0.75rem' }} />
      <div className="skeleton" style={{ width: '26rem', maxWidth: '100%', marginBottom: '1.5rem' }} />
      <div className="stats">
        {[0, 1, 2, 3].map((i) => (
          <div className="stat" key={i}>
            <div className="skeleton" style={{ width: '60%', marginBottom: '0.6rem' }} />
            <div className="skeleton" style={{ width: '40%', height: '1.6rem' }} />
          </div>
        ))}
      </div>
      <div className="panel">
        {[0, 1, 2, 3, 4].map((i) => (
          <div className="skeleton" key={i} style={{ margin: '0.6rem 0' }} />
        ))}
      </div>
      <span className="visually-hidden">Loading…</span>
    </div>
  );
}

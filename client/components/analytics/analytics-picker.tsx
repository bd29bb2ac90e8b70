import { PERIODS } from '@/lib/usage';

/** GET form: the selection lives in the URL, so an analysis can be shared as a link. */
type Named = readonly { id: string; name: string }[];

export function AnalyticsPicker({ keys, applications, values }: { keys: Named; applications: Named; values: { key?: string; application?: string; period: string } }) {
  return (
    <form className="filters panel" method="get" action="/analytics" aria-label="Choose what to analyze">
      <div className="field field-grow">
        <label htmlFor="an-key">Key</label>
        <select id="an-key" name="key" defaultValue={values.key ?? ''}>
          <option value="">All keys</option>
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-grow">
        <label htmlFor="an-app">Application</label>
        <select id="an-app" name="application" defaultValue={values.application ?? ''}>
          <option value="">All applications</option>
          {applications.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="an-period">Period</label>
        <select id="an-period" name="period" defaultValue={values.period}>
          {Object.entries(PERIODS).map(([k, p]) => (
            <option key={k} value={k}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <button className="button button-primary" type="submit">
        Show
      </button>
    </form>
  );
}

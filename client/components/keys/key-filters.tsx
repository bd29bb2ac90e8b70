import Link from 'next/link';
import { ENVIRONMENTS, KEY_STATUSES, KEY_TYPES, SORT_FIELDS, SUBTYPES } from '@/lib/key-options';

const SORT_LABELS = { createdAt: 'Created', name: 'Name', lastUsedAt: 'Last used', expiresAt: 'Expiry' };

interface Values {
  type?: string;
  subtype?: string;
  status?: string;
  environment?: string;
  tag?: string;
  q?: string;
  sort?: string;
  dir?: string;
}

interface SelectProps {
  name: string;
  label: string;
  options: readonly string[];
  value?: string;
  /** The label of the "no filter" choice; null offers none. */
  any?: string | null;
  labels?: Record<string, string>;
}

function Select({ name, label, options, value, any = 'Any', labels = {} }: SelectProps) {
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name} defaultValue={value ?? ''}>
        {any !== null ? <option value="">{any}</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {labels[o] ?? o.replace(/_/g, ' ')}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A GET form: filters live in the URL, work before hydration and can be bookmarked. */
export function KeyFilters({ values }: { values: Values }) {
  return (
    <form className="filters panel" method="get" action="/keys" role="search" aria-label="Filter keys">
      <div className="field field-grow">
        <label htmlFor="f-q">Search</label>
        <input id="f-q" name="q" type="search" placeholder="Name or key start (lk_live_…)" defaultValue={values.q ?? ''} />
      </div>
      <Select name="type" label="Type" options={KEY_TYPES} value={values.type} />
      <Select name="subtype" label="Subtype" options={SUBTYPES.map((s) => s.value)} value={values.subtype} />
      <Select name="status" label="Status" options={KEY_STATUSES} value={values.status} />
      <Select name="environment" label="Environment" options={ENVIRONMENTS} value={values.environment} />
      <div className="field">
        <label htmlFor="f-tag">Tag</label>
        <input id="f-tag" name="tag" defaultValue={values.tag ?? ''} size={10} />
      </div>
      <Select name="sort" label="Sort by" options={SORT_FIELDS} value={values.sort ?? 'createdAt'} any={null} labels={SORT_LABELS} />
      <Select name="dir" label="Order" options={['desc', 'asc']} value={values.dir ?? 'desc'} any={null} labels={{ desc: 'Descending', asc: 'Ascending' }} />
      <div className="form-row">
        <button className="button button-primary" type="submit">
          Apply
        </button>
        <Link className="button" href="/keys" prefetch={false}>
          Reset
        </Link>
      </div>
    </form>
  );
}

import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';

const Keys = graphql(`
  query ToolKeyChoices { apiKeys(first: 100, filter: { status: "active" }, sort: { field: lastUsedAt, direction: desc }) { nodes { id name start last4 } } }
`);

/** A GET form choosing one active key (most recently used first) for a tool page. */
export async function KeyPicker({ action, selected, children }: { action: string; selected?: string; children?: React.ReactNode }) {
  const r = await gqlRequest(Keys, {});
  const keys = r.ok ? r.data.apiKeys.nodes : [];
  return (
    <form className="filters panel" method="get" action={action} aria-label="Choose a key">
      <div className="field field-grow">
        <label htmlFor="tool-key">Key</label>
        <select id="tool-key" name="key" defaultValue={selected ?? ''} required>
          <option value="" disabled>
            {keys.length ? 'Choose a key…' : 'No active keys'}
          </option>
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name} ({k.start}…{k.last4})
            </option>
          ))}
        </select>
      </div>
      {children}
      <button className="button button-primary" type="submit">
        Show
      </button>
    </form>
  );
}

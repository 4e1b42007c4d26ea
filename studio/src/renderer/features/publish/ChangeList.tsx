import type { BundleChange } from '@mascot/bot-bundle';

const show = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value));

export function ChangeList({ changes, label }: { changes: BundleChange[]; label: string }) {
  if (changes.length === 0) return <p className="muted">No configuration changes.</p>;
  return (
    <table className="diff" aria-label={label}>
      <thead><tr><th>Setting</th><th>Change</th><th>Before</th><th>After</th></tr></thead>
      <tbody>
        {changes.map((c) => (
          <tr key={`${c.kind}:${c.path}`} data-kind={c.kind}>
            <td>{c.path}</td><td>{c.kind}</td><td>{show(c.before)}</td><td>{show(c.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

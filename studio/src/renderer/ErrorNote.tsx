export function ErrorNote({ error }: { error: string | null }) {
  return error ? <p role="alert" className="error">{error}</p> : null;
}

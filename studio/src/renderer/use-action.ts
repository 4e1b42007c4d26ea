import { useCallback, useState } from 'react';
import { StudioError } from './studio.ts';

/** Runs a Studio call, remembering whether it runs and the error a designer should read. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T,>(call: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await call();
    } catch (caught) {
      setError(caught instanceof StudioError ? describe(caught) : String(caught));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

function describe(error: StudioError): string {
  if (error.fields.length === 0) return error.message;
  return error.fields.map((f) => `${f.field}: ${f.message}`).join('\n');
}

import { useEffect, useState } from 'react';

type Scheme = 'light' | 'dark';
const STORAGE_KEY = 'studio:color-scheme';

/** Studio follows the system's light or dark scheme until the designer picks one (remembered). */
export function ColorSchemeToggle() {
  const [scheme, setScheme] = useState<Scheme>(() => {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'light' || stored === 'dark') return stored;
    return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  });
  useEffect(() => {
    document.documentElement.dataset['scheme'] = scheme;
  }, [scheme]);
  const next: Scheme = scheme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="button ghost" aria-pressed={scheme === 'dark'} onClick={() => {
      localStorage.setItem(STORAGE_KEY, next);
      setScheme(next);
    }}>
      Dark mode
    </button>
  );
}

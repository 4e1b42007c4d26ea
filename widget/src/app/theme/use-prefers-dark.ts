import { useEffect, useState } from 'react';

const QUERY = '(prefers-color-scheme: dark)';

/** The visitor's `prefers-color-scheme: dark`, following changes while the chat is open. */
export function usePrefersDark(): boolean {
  const [dark, setDark] = useState(() => typeof matchMedia === 'function' && matchMedia(QUERY).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const query = matchMedia(QUERY);
    const update = () => setDark(query.matches);
    query.addEventListener('change', update);
    update();
    return () => query.removeEventListener('change', update);
  }, []);
  return dark;
}

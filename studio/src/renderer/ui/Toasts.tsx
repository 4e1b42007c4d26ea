import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

/** How long a toast stays: long enough to read a short sentence. */
const TOAST_MS = 4000;

const ToastContext = createContext<(message: string) => void>(() => undefined);

/** Short confirmations ("Copied") in a polite live region, so screen readers hear them too. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<{ id: number; message: string }[]>([]);
  const show = useCallback((message: string) => {
    const id = Date.now() + Math.random();
    setToasts((list) => [...list, { id, message }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), TOAST_MS);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      {/* A live region without a role: the panels' own status lines keep the only `status` roles. */}
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => <div key={t.id} className="toast">{t.message}</div>)}
      </div>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);

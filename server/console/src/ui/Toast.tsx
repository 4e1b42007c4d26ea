import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { Button } from './Button.tsx';

export type ToastTone = 'info' | 'success' | 'warning' | 'danger';
interface ToastItem {
  id: number;
  text: string;
  tone: ToastTone;
}

type Notify = (text: string, tone?: ToastTone) => void;
const ToastContext = createContext<Notify>(() => undefined);

/** Short messages at the bottom right, read out by screen readers (role=status, or alert for errors). */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((toast) => toast.id !== id)), []);
  const notify = useCallback<Notify>((text, tone = 'info') => {
    const id = nextId.current++;
    setToasts((all) => [...all.slice(-3), { id, text, tone }]);
    // Errors stay until dismissed: someone may be looking elsewhere.
    if (tone !== 'danger') setTimeout(() => dismiss(id), 6000);
  }, [dismiss]);
  const value = useMemo(() => notify, [notify]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="ui-toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`ui-toast ui-toast--${toast.tone}`} role={toast.tone === 'danger' ? 'alert' : 'status'}>
            <span className="ui-toast__text">{toast.text}</span>
            <Button size="small" variant="ghost" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>×</Button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);

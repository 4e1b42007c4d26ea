// The shared components. Screens import from here; new shared files may be added beside these.
import './tokens.css';
import './ui.css';

export { Badge, type BadgeTone } from './Badge.tsx';
export { Button, ButtonLink, type ButtonProps } from './Button.tsx';
export { Dialog } from './Dialog.tsx';
export { EmptyState } from './EmptyState.tsx';
export { Field, Input, Select, TextArea } from './Field.tsx';
export { Icon, iconNames } from './Icon.tsx';
export { Table, type Column } from './Table.tsx';
export { Tabs, type TabItem } from './Tabs.tsx';
export { ToastProvider, useToast, type ToastTone } from './Toast.tsx';

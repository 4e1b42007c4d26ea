import type { ButtonHTMLAttributes } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  size?: 'normal' | 'small';
}

export function Button({ variant = 'secondary', size = 'normal', className, type = 'button', ...rest }: ButtonProps) {
  const classes = ['ui-button', `ui-button--${variant}`, size === 'small' ? 'ui-button--small' : '', className ?? ''];
  return <button type={type} className={classes.filter(Boolean).join(' ')} {...rest} />;
}

/** A link that looks like a button (downloads, "open in …"). */
export function ButtonLink({ variant = 'secondary', size = 'normal', className, ...rest }: React.AnchorHTMLAttributes<HTMLAnchorElement> & Pick<ButtonProps, 'variant' | 'size'>) {
  const classes = ['ui-button', `ui-button--${variant}`, size === 'small' ? 'ui-button--small' : '', className ?? ''];
  return <a className={classes.filter(Boolean).join(' ')} {...rest} />;
}

import type { ComponentPropsWithRef, ReactNode } from 'react';
import styles from './Link.module.css';

export type LinkVariant = 'default' | 'subtle' | 'standalone';

export interface LinkProps extends Omit<ComponentPropsWithRef<'a'>, 'href'> {
  href: string;
  /** Opens web addresses in a new tab (with `rel="noopener noreferrer"`) and says so to screen readers. */
  external?: boolean;
  variant?: LinkVariant;
  children?: ReactNode;
  /** Text announced after the link text when it opens a new tab. */
  newTabLabel?: string;
}

/** mailto:, tel: and similar hand off to another app: a new tab would stay empty. */
const OPENS_IN_BROWSER = /^(https?:|\/\/|\/|\.|#|\?)/i;

export function Link({
  href,
  external = false,
  variant = 'default',
  newTabLabel = '(opens in a new tab)',
  className,
  children,
  ref,
  ...rest
}: LinkProps) {
  const newTab = external && OPENS_IN_BROWSER.test(href);
  return (
    <a
      {...rest}
      ref={ref}
      href={href}
      target={newTab ? '_blank' : rest.target}
      rel={newTab ? 'noopener noreferrer' : rest.rel}
      data-variant={variant}
      className={[styles.root, styles[variant], className].filter(Boolean).join(' ')}
    >
      {children}
      {newTab ? <span className={styles.visuallyHidden}> {newTabLabel}</span> : null}
    </a>
  );
}
Link.displayName = 'Link';

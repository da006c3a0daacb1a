import type { ComponentPropsWithRef, ReactNode } from 'react';
import styles from './Badge.module.css';

export type BadgeVariant = 'default' | 'brand' | 'success' | 'warning' | 'danger' | 'info' | 'outline';
export type BadgeSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';

export interface BadgeProps extends Omit<ComponentPropsWithRef<'span'>, 'children'> {
  variant?: BadgeVariant;
  size?: BadgeSize;
  /** Text of the badge when no `children` are given. */
  label?: string;
  children?: ReactNode;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

export function Badge({ variant = 'default', size = 'md', label, className, children, ref, ...rest }: BadgeProps) {
  const normalisedSize = SIZE[size];
  return (
    <span
      {...rest}
      ref={ref}
      data-variant={variant}
      data-size={normalisedSize}
      className={[styles.root, styles[variant], styles[normalisedSize], className].filter(Boolean).join(' ')}
    >
      {children ?? label}
    </span>
  );
}
Badge.displayName = 'Badge';

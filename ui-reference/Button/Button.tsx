import type { ComponentPropsWithRef, ReactNode } from 'react';
import styles from './Button.module.css';

export type ButtonVariant = 'primary' | 'secondary' | 'outline' | 'ghost' | 'danger';
/** `small`/`medium`/`large` are accepted as spellings of `sm`/`md`/`lg` (screen definitions use both). */
export type ButtonSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';

export interface ButtonProps extends Omit<ComponentPropsWithRef<'button'>, 'children'> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Text of the button when no `children` are given. */
  label?: string;
  children?: ReactNode;
  /** Stretch to the width of the container. */
  fullWidth?: boolean;
  /** Shows a busy state: the button stays focusable but ignores clicks and announces `aria-busy`. */
  loading?: boolean;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

export function Button({
  variant = 'primary',
  size = 'md',
  type = 'button',
  label,
  children,
  fullWidth = false,
  loading = false,
  disabled = false,
  className,
  onClick,
  ref,
  ...rest
}: ButtonProps) {
  const normalisedSize = SIZE[size];
  return (
    <button
      {...rest}
      ref={ref}
      type={type}
      disabled={disabled}
      aria-busy={loading || undefined}
      data-variant={variant}
      data-size={normalisedSize}
      className={[styles.root, styles[variant], styles[normalisedSize], fullWidth ? styles.fullWidth : undefined, className]
        .filter(Boolean)
        .join(' ')}
      onClick={(event) => {
        if (loading) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
    >
      {children ?? label}
    </button>
  );
}
Button.displayName = 'Button';

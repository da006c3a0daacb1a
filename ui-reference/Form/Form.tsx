import type { ComponentPropsWithRef, FormEvent, ReactNode } from 'react';
import styles from './Form.module.css';

export type FormGap = 'sm' | 'md' | 'lg';

export interface FormProps extends Omit<ComponentPropsWithRef<'form'>, 'onSubmit'> {
  /** Called on submit. The page does not reload unless `nativeSubmit` is set. */
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  /** Accessible name: makes the form a landmark that screen-reader users can jump to. */
  label?: string;
  /** Space between the fields. */
  gap?: FormGap;
  /** Let the browser submit to `action` after `onSubmit` runs. */
  nativeSubmit?: boolean;
  children?: ReactNode;
}

export function Form({ onSubmit, label, gap = 'md', nativeSubmit = false, className, children, ref, ...rest }: FormProps) {
  return (
    <form
      aria-label={label}
      {...rest}
      ref={ref}
      data-gap={gap}
      className={[styles.root, styles[gap], className].filter(Boolean).join(' ')}
      onSubmit={(event) => {
        if (!nativeSubmit) event.preventDefault();
        onSubmit?.(event);
      }}
    >
      {children}
    </form>
  );
}
Form.displayName = 'Form';

import { useId, type ComponentPropsWithRef } from 'react';
import styles from './Input.module.css';

export type InputType = 'text' | 'email' | 'password' | 'tel' | 'url' | 'search' | 'number' | 'date';
export type InputSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';

export interface InputProps extends Omit<ComponentPropsWithRef<'input'>, 'size' | 'type'> {
  type?: InputType;
  size?: InputSize;
  /** Visible label. Without one, the placeholder becomes the accessible name. */
  label?: string;
  /** Help text under the field, linked with `aria-describedby`. */
  hint?: string;
  /** Error message: marks the field `aria-invalid` and is announced with it. */
  error?: string;
  invalid?: boolean;
  fullWidth?: boolean;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

export function Input({
  type = 'text',
  size = 'md',
  label,
  hint,
  error,
  invalid = false,
  fullWidth = true,
  disabled = false,
  id,
  value,
  defaultValue,
  onChange,
  readOnly,
  placeholder,
  className,
  ref,
  ...rest
}: InputProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [rest['aria-describedby'], hintId, errorId].filter(Boolean).join(' ') || undefined;
  const isInvalid = invalid || Boolean(error);
  // A screen definition carries a value but no handler: treat that value as the initial one
  // rather than render a field that cannot be typed in.
  const controlled = value !== undefined && (onChange !== undefined || readOnly === true);
  const normalisedSize = SIZE[size];

  return (
    <div className={[styles.field, fullWidth ? styles.fullWidth : undefined, className].filter(Boolean).join(' ')}>
      {label ? (
        <label className={styles.label} htmlFor={inputId}>
          {label}
        </label>
      ) : null}
      <input
        aria-label={label ? undefined : placeholder}
        {...rest}
        ref={ref}
        id={inputId}
        type={type}
        placeholder={placeholder}
        disabled={disabled}
        readOnly={readOnly}
        aria-invalid={isInvalid || undefined}
        aria-describedby={describedBy}
        data-size={normalisedSize}
        className={[styles.input, styles[normalisedSize]].filter(Boolean).join(' ')}
        {...(controlled ? { value, onChange } : { defaultValue: defaultValue ?? value, onChange })}
      />
      {hint ? (
        <p id={hintId} className={styles.hint}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className={styles.error}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
Input.displayName = 'Input';

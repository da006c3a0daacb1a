import * as CheckboxPrimitive from '@radix-ui/react-checkbox';
import { useId, type ComponentPropsWithRef, type ReactNode } from 'react';
import styles from './Checkbox.module.css';

export type CheckboxSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';
export type CheckedState = boolean | 'indeterminate';

export interface CheckboxProps
  extends Omit<
    ComponentPropsWithRef<'button'>,
    'value' | 'defaultValue' | 'checked' | 'defaultChecked' | 'onChange' | 'children' | 'type'
  > {
  /** Visible label, clickable, and the checkbox's accessible name. */
  label?: ReactNode;
  /** Help text under the label, linked with `aria-describedby`. */
  description?: string;
  /** Controlled state; with no `onCheckedChange` it is the initial state. */
  checked?: CheckedState;
  defaultChecked?: CheckedState;
  onCheckedChange?: (checked: CheckedState) => void;
  invalid?: boolean;
  required?: boolean;
  name?: string;
  value?: string;
  size?: CheckboxSize;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

export function Checkbox({
  label,
  description,
  checked,
  defaultChecked = false,
  onCheckedChange,
  invalid = false,
  disabled = false,
  required = false,
  name,
  value,
  size = 'md',
  id,
  className,
  ref,
  ...rest
}: CheckboxProps) {
  const generatedId = useId();
  const checkboxId = id ?? generatedId;
  const descriptionId = description ? `${checkboxId}-description` : undefined;
  const normalisedSize = SIZE[size];
  const state = checked !== undefined && onCheckedChange !== undefined ? { checked } : { defaultChecked: checked ?? defaultChecked };
  return (
    <div className={[styles.root, className].filter(Boolean).join(' ')} data-size={normalisedSize}>
      <CheckboxPrimitive.Root
        {...rest}
        {...state}
        ref={ref}
        id={checkboxId}
        name={name}
        value={value}
        disabled={disabled}
        required={required}
        onCheckedChange={onCheckedChange}
        aria-invalid={invalid || undefined}
        aria-describedby={descriptionId}
        className={[styles.box, styles[normalisedSize]].filter(Boolean).join(' ')}
      >
        <CheckboxPrimitive.Indicator className={styles.indicator}>
          <svg aria-hidden="true" viewBox="0 0 12 12" fill="none" className={styles.check}>
            <path d="M2.5 6.5l2.5 2.5 4.5-5" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <svg aria-hidden="true" viewBox="0 0 12 12" fill="none" className={styles.dash}>
            <path d="M3 6h6" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" />
          </svg>
        </CheckboxPrimitive.Indicator>
      </CheckboxPrimitive.Root>
      {label || description ? (
        <div className={styles.text}>
          {label ? (
            <label htmlFor={checkboxId} className={styles.label}>
              {label}
            </label>
          ) : null}
          {description ? (
            <p id={descriptionId} className={styles.description}>
              {description}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
Checkbox.displayName = 'Checkbox';

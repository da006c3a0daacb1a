import * as SwitchPrimitive from '@radix-ui/react-switch';
import { useId, type ComponentPropsWithRef, type ReactNode } from 'react';
import styles from './Switch.module.css';

export type SwitchSize = 'sm' | 'md' | 'small' | 'medium';

export interface SwitchProps extends Omit<
    ComponentPropsWithRef<'button'>,
    'value' | 'defaultValue' | 'checked' | 'defaultChecked' | 'onChange' | 'children' | 'type'
  > {
  /** Visible label and accessible name. */
  label?: ReactNode;
  /** Controlled state; with no `onCheckedChange` it is the initial state. */
  checked?: boolean;
  defaultChecked?: boolean;
  onCheckedChange?: (checked: boolean) => void;
  required?: boolean;
  name?: string;
  value?: string;
  size?: SwitchSize;
  /** Put the label before the switch (settings lists) rather than after it. */
  labelPosition?: 'start' | 'end';
}

const SIZE = { sm: 'sm', md: 'md', small: 'sm', medium: 'md' } as const;

export function Switch({
  label,
  checked,
  defaultChecked = false,
  onCheckedChange,
  disabled = false,
  required = false,
  name,
  value,
  size = 'md',
  labelPosition = 'end',
  id,
  className,
  ref,
  ...rest
}: SwitchProps) {
  const generatedId = useId();
  const switchId = id ?? generatedId;
  const normalisedSize = SIZE[size];
  const state = checked !== undefined && onCheckedChange !== undefined ? { checked } : { defaultChecked: checked ?? defaultChecked };
  return (
    <div
      data-size={normalisedSize}
      className={[styles.root, labelPosition === 'start' ? styles.labelStart : undefined, className].filter(Boolean).join(' ')}
    >
      <SwitchPrimitive.Root
        {...rest}
        {...state}
        ref={ref}
        id={switchId}
        name={name}
        value={value}
        disabled={disabled}
        required={required}
        onCheckedChange={onCheckedChange}
        className={[styles.track, styles[normalisedSize]].filter(Boolean).join(' ')}
      >
        <SwitchPrimitive.Thumb className={styles.thumb} />
      </SwitchPrimitive.Root>
      {label ? (
        <label htmlFor={switchId} className={styles.label}>
          {label}
        </label>
      ) : null}
    </div>
  );
}
Switch.displayName = 'Switch';

import * as ProgressPrimitive from '@radix-ui/react-progress';
import { useId, type ComponentPropsWithRef } from 'react';
import styles from './Progress.module.css';

export type ProgressVariant = 'default' | 'success' | 'warning' | 'danger';
export type ProgressSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';

export interface ProgressProps extends Omit<ComponentPropsWithRef<'div'>, 'children'> {
  /** Amount done, from 0 to `max`; `null` for an indeterminate bar. */
  value?: number | null;
  max?: number;
  /** Accessible name; shown above the bar when `showLabel` is set. */
  label?: string;
  showLabel?: boolean;
  /** Show the percentage next to the bar. */
  showValue?: boolean;
  variant?: ProgressVariant;
  size?: ProgressSize;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

export function Progress({
  value,
  max = 100,
  label = 'Progress',
  showLabel = false,
  showValue = false,
  variant = 'default',
  size = 'md',
  className,
  ref,
  ...rest
}: ProgressProps) {
  const labelId = useId();
  const normalisedSize = SIZE[size];
  const clamped = value === null || value === undefined ? null : Math.min(Math.max(value, 0), max);
  const percent = clamped === null ? null : Math.round((clamped / max) * 100);
  return (
    <div className={[styles.root, className].filter(Boolean).join(' ')} data-variant={variant} data-size={normalisedSize}>
      {showLabel || (showValue && percent !== null) ? (
        <div className={styles.header}>
          {showLabel ? (
            <span id={labelId} className={styles.label}>
              {label}
            </span>
          ) : null}
          {showValue && percent !== null ? (
            <span className={styles.value} aria-hidden="true">
              {percent}%
            </span>
          ) : null}
        </div>
      ) : null}
      <ProgressPrimitive.Root
        {...rest}
        ref={ref}
        value={clamped}
        max={max}
        {...(showLabel ? { 'aria-labelledby': labelId } : { 'aria-label': label })}
        className={[styles.track, styles[normalisedSize]].filter(Boolean).join(' ')}
      >
        <ProgressPrimitive.Indicator
          className={[styles.indicator, styles[variant]].filter(Boolean).join(' ')}
          style={percent === null ? undefined : { transform: `translateX(-${100 - percent}%)` }}
        />
      </ProgressPrimitive.Root>
    </div>
  );
}
Progress.displayName = 'Progress';

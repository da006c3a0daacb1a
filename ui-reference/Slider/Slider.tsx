import * as SliderPrimitive from '@radix-ui/react-slider';
import { useId, useState, type ComponentPropsWithRef } from 'react';
import styles from './Slider.module.css';

export type SliderSize = 'sm' | 'md' | 'small' | 'medium';

export interface SliderProps extends Omit<ComponentPropsWithRef<'span'>, 'defaultValue' | 'dir' | 'onChange'> {
  /** Controlled value; with no `onValueChange` it is the initial value. */
  value?: number;
  defaultValue?: number;
  min?: number;
  max?: number;
  step?: number;
  onValueChange?: (value: number) => void;
  /** Called once the user stops dragging or releases the key. */
  onValueCommit?: (value: number) => void;
  /** Accessible name of the thumb, shown above the track when `showLabel` is set. */
  label?: string;
  showLabel?: boolean;
  /** Show the current value next to the label. */
  showValue?: boolean;
  disabled?: boolean;
  name?: string;
  orientation?: 'horizontal' | 'vertical';
  size?: SliderSize;
}

const SIZE = { sm: 'sm', md: 'md', small: 'sm', medium: 'md' } as const;

export function Slider({
  value,
  defaultValue,
  min = 0,
  max = 100,
  step = 1,
  onValueChange,
  onValueCommit,
  label = 'Value',
  showLabel = false,
  showValue = false,
  disabled = false,
  name,
  orientation = 'horizontal',
  size = 'md',
  className,
  ref,
  ...rest
}: SliderProps) {
  const labelId = useId();
  const normalisedSize = SIZE[size];
  const controlled = value !== undefined && onValueChange !== undefined;
  const [uncontrolledValue, setUncontrolledValue] = useState(value ?? defaultValue ?? min);
  const current = controlled ? value : uncontrolledValue;
  return (
    <div className={[styles.root, className].filter(Boolean).join(' ')} data-size={normalisedSize}>
      {showLabel || showValue ? (
        <div className={styles.header}>
          {showLabel ? (
            <span id={labelId} className={styles.label}>
              {label}
            </span>
          ) : null}
          {showValue ? (
            <output className={styles.value} aria-hidden="true">
              {current}
            </output>
          ) : null}
        </div>
      ) : null}
      <SliderPrimitive.Root
        {...rest}
        ref={ref}
        value={[current]}
        min={min}
        max={max}
        step={step}
        name={name}
        disabled={disabled}
        orientation={orientation}
        onValueChange={([next = min]) => {
          if (!controlled) setUncontrolledValue(next);
          onValueChange?.(next);
        }}
        onValueCommit={([next = min]) => onValueCommit?.(next)}
        className={[styles.slider, styles[orientation], styles[normalisedSize]].filter(Boolean).join(' ')}
      >
        <SliderPrimitive.Track className={styles.track}>
          <SliderPrimitive.Range className={styles.range} />
        </SliderPrimitive.Track>
        <SliderPrimitive.Thumb
          className={styles.thumb}
          {...(showLabel ? { 'aria-labelledby': labelId } : { 'aria-label': label })}
        />
      </SliderPrimitive.Root>
    </div>
  );
}
Slider.displayName = 'Slider';

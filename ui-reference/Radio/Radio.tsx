import * as RadioGroup from '@radix-ui/react-radio-group';
import { useId, type ComponentPropsWithRef, type ReactNode } from 'react';
import styles from './Radio.module.css';

export type RadioSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';

export interface RadioOption {
  value: string;
  label: ReactNode;
  disabled?: boolean;
}

export interface RadioProps extends Omit<ComponentPropsWithRef<'div'>, 'defaultValue' | 'dir' | 'onChange'> {
  /**
   * The choices of a group, rendered as one Radix radio group (one tab stop, arrow keys
   * move and select). Without `options` the component is a single radio button: siblings
   * that share a `name` form a native group.
   */
  options?: ReadonlyArray<RadioOption>;
  /** Group: the legend that names the group. Single: the option's label. */
  label?: ReactNode;
  name?: string;
  /** Group: the selected value (controlled with `onValueChange`, otherwise initial). Single: this option's value. */
  value?: string;
  defaultValue?: string;
  onValueChange?: (value: string) => void;
  /** Single radio only: whether it is selected (initial state unless `onCheckedChange` is given). */
  checked?: boolean;
  onCheckedChange?: (checked: boolean) => void;
  disabled?: boolean;
  required?: boolean;
  invalid?: boolean;
  orientation?: 'vertical' | 'horizontal';
  size?: RadioSize;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

export function Radio({
  options,
  label,
  name,
  value,
  defaultValue,
  onValueChange,
  checked,
  onCheckedChange,
  disabled = false,
  required = false,
  invalid = false,
  orientation = 'vertical',
  size = 'md',
  id,
  className,
  ref,
  ...rest
}: RadioProps) {
  const generatedId = useId();
  const baseId = id ?? generatedId;
  const normalisedSize = SIZE[size];

  if (!options) {
    const state = checked !== undefined && onCheckedChange !== undefined ? { checked } : { defaultChecked: checked };
    return (
      // aria-invalid is not supported on role radio (only on the group), so a lone radio shows it visually.
      <div {...rest} ref={ref} data-size={normalisedSize} data-invalid={invalid || undefined} className={[styles.option, className].filter(Boolean).join(' ')}>
        <input
          {...state}
          type="radio"
          id={baseId}
          name={name}
          value={value ?? (typeof label === 'string' ? label : 'on')}
          disabled={disabled}
          required={required}
          onChange={onCheckedChange ? (event) => onCheckedChange(event.currentTarget.checked) : undefined}
          className={[styles.control, styles.native, styles[normalisedSize]].filter(Boolean).join(' ')}
        />
        {label ? (
          <label htmlFor={baseId} className={styles.label}>
            {label}
          </label>
        ) : null}
      </div>
    );
  }

  const labelId = `${baseId}-label`;
  const selection = value !== undefined && onValueChange !== undefined ? { value } : { defaultValue: value ?? defaultValue };
  return (
    <RadioGroup.Root
      {...rest}
      {...selection}
      ref={ref}
      id={id}
      name={name}
      disabled={disabled}
      required={required}
      orientation={orientation}
      onValueChange={onValueChange}
      aria-labelledby={label ? labelId : rest['aria-labelledby']}
      aria-invalid={invalid || undefined}
      data-size={normalisedSize}
      className={[styles.group, styles[orientation], className].filter(Boolean).join(' ')}
    >
      {label ? (
        <span id={labelId} className={styles.legend}>
          {label}
        </span>
      ) : null}
      {options.map((option, index) => {
        const optionId = `${baseId}-${index}`;
        return (
          <div key={option.value} className={styles.option}>
            <RadioGroup.Item
              id={optionId}
              value={option.value}
              disabled={option.disabled}
              className={[styles.control, styles[normalisedSize]].filter(Boolean).join(' ')}
            >
              <RadioGroup.Indicator className={styles.indicator} />
            </RadioGroup.Item>
            <label htmlFor={optionId} className={styles.label}>
              {option.label}
            </label>
          </div>
        );
      })}
    </RadioGroup.Root>
  );
}
Radio.displayName = 'Radio';

import type { ComponentPropsWithRef, ReactNode } from 'react';
import styles from './Text.module.css';

export type TextVariant = 'body' | 'lead' | 'caption' | 'label' | 'code';
export type TextSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';
export type TextColor = 'default' | 'secondary' | 'muted' | 'brand' | 'success' | 'warning' | 'danger' | 'inherit';
export type TextWeight = 'regular' | 'medium' | 'semibold' | 'bold';

export interface TextProps extends Omit<ComponentPropsWithRef<'p'>, 'color'> {
  variant?: TextVariant;
  /** Overrides the variant's own size. */
  size?: TextSize;
  color?: TextColor;
  weight?: TextWeight;
  align?: 'start' | 'center' | 'end';
  /** The element to render; a paragraph unless the text sits inside other text. */
  as?: 'p' | 'span' | 'div' | 'strong' | 'em' | 'small';
  children?: ReactNode;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

export function Text({
  variant = 'body',
  size,
  color = 'default',
  weight,
  align,
  as: Element = 'p',
  className,
  children,
  ref,
  ...rest
}: TextProps) {
  const normalisedSize = size ? SIZE[size] : undefined;
  return (
    <Element
      {...rest}
      ref={ref}
      data-variant={variant}
      data-size={normalisedSize}
      data-color={color}
      className={[
        styles.root,
        styles[variant],
        normalisedSize ? styles[`size-${normalisedSize}`] : undefined,
        styles[`color-${color}`],
        weight ? styles[`weight-${weight}`] : undefined,
        align ? styles[`align-${align}`] : undefined,
        className,
      ]
        .filter(Boolean)
        .join(' ')}
    >
      {children}
    </Element>
  );
}
Text.displayName = 'Text';

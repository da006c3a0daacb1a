import type { ComponentPropsWithRef, ReactNode } from 'react';
import styles from './Card.module.css';

export type CardVariant = 'default' | 'elevated' | 'outlined' | 'filled';
export type CardPadding = 'none' | 'sm' | 'md' | 'lg';

export interface CardProps extends ComponentPropsWithRef<'div'> {
  variant?: CardVariant;
  padding?: CardPadding;
  /** The element to render: `section` or `article` when the card stands alone in the outline. */
  as?: 'div' | 'section' | 'article';
  children?: ReactNode;
}

export function Card({ variant = 'default', padding = 'md', as: Element = 'div', className, children, ref, ...rest }: CardProps) {
  return (
    <Element
      {...rest}
      ref={ref}
      data-variant={variant}
      data-padding={padding}
      className={[styles.root, styles[variant], styles[`padding-${padding}`], className].filter(Boolean).join(' ')}
    >
      {children}
    </Element>
  );
}
Card.displayName = 'Card';

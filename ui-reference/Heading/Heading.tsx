import type { ComponentPropsWithRef, ReactNode } from 'react';
import styles from './Heading.module.css';

export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;
export type HeadingSize = 'xs' | 'sm' | 'md' | 'lg' | 'xl' | '2xl' | '3xl';

export interface HeadingProps extends ComponentPropsWithRef<'h2'> {
  /** The outline level (`h1`…`h6`); independent of the visual size. */
  level?: HeadingLevel;
  /** Visual size; defaults to the usual size of the level. */
  size?: HeadingSize;
  children?: ReactNode;
}

const SIZE_OF_LEVEL: Record<HeadingLevel, HeadingSize> = { 1: '2xl', 2: 'xl', 3: 'lg', 4: 'md', 5: 'sm', 6: 'xs' };

export function Heading({ level = 2, size, className, children, ref, ...rest }: HeadingProps) {
  const Element = `h${level}` as const;
  const visualSize = size ?? SIZE_OF_LEVEL[level];
  return (
    <Element
      {...rest}
      ref={ref}
      data-size={visualSize}
      className={[styles.root, styles[`size-${visualSize}`], className].filter(Boolean).join(' ')}
    >
      {children}
    </Element>
  );
}
Heading.displayName = 'Heading';

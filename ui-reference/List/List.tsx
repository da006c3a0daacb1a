import type { ComponentPropsWithRef, ReactNode } from 'react';
import styles from './List.module.css';

export type ListVariant = 'default' | 'divided' | 'plain';
export type ListSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';

export interface ListProps extends Omit<ComponentPropsWithRef<'ul'>, 'children'> {
  /** The entries, as text; or pass `<li>` elements as `children`. */
  items?: ReadonlyArray<ReactNode>;
  ordered?: boolean;
  variant?: ListVariant;
  size?: ListSize;
  children?: ReactNode;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

export function List({ items, ordered = false, variant = 'default', size = 'md', className, children, ref, ...rest }: ListProps) {
  const normalisedSize = SIZE[size];
  const props = {
    ...rest,
    'data-variant': variant,
    'data-size': normalisedSize,
    // Safari drops list semantics when list-style is none; the role puts them back.
    role: variant === 'default' ? undefined : 'list',
    className: [styles.root, styles[variant], styles[normalisedSize], className].filter(Boolean).join(' '),
  };
  const content = items ? items.map((item, index) => <li key={index} className={styles.item}>{item}</li>) : children;
  return ordered ? (
    <ol {...props} ref={ref as ComponentPropsWithRef<'ol'>['ref']}>
      {content}
    </ol>
  ) : (
    <ul {...props} ref={ref}>
      {content}
    </ul>
  );
}
List.displayName = 'List';

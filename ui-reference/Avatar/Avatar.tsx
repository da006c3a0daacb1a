import * as AvatarPrimitive from '@radix-ui/react-avatar';
import type { ComponentPropsWithRef } from 'react';
import styles from './Avatar.module.css';

export type AvatarSize = 'xs' | 'sm' | 'md' | 'lg' | 'xl' | 'small' | 'medium' | 'large';
export type AvatarShape = 'circle' | 'square';

export interface AvatarProps extends Omit<ComponentPropsWithRef<'span'>, 'children'> {
  src?: string;
  /** Who the avatar shows; its accessible name. */
  alt: string;
  /** Shown while the image loads or when it fails: initials, usually. Derived from `alt` otherwise. */
  fallback?: string;
  size?: AvatarSize;
  shape?: AvatarShape;
  /** Wait this long before showing the fallback, to avoid a flash on fast networks. */
  delayMs?: number;
}

const SIZE = { xs: 'xs', sm: 'sm', md: 'md', lg: 'lg', xl: 'xl', small: 'sm', medium: 'md', large: 'lg' } as const;

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => Array.from(word ?? '')[0] ?? '').join('').toUpperCase();
}

export function Avatar({ src, alt, fallback, size = 'md', shape = 'circle', delayMs, className, ref, ...rest }: AvatarProps) {
  const normalisedSize = SIZE[size];
  return (
    <AvatarPrimitive.Root
      {...rest}
      ref={ref}
      role="img"
      aria-label={alt}
      data-size={normalisedSize}
      data-shape={shape}
      className={[styles.root, styles[normalisedSize], styles[shape], className].filter(Boolean).join(' ')}
    >
      {src ? <AvatarPrimitive.Image className={styles.image} src={src} alt="" /> : null}
      <AvatarPrimitive.Fallback className={styles.fallback} delayMs={delayMs} aria-hidden="true">
        {fallback ?? initialsOf(alt)}
      </AvatarPrimitive.Fallback>
    </AvatarPrimitive.Root>
  );
}
Avatar.displayName = 'Avatar';

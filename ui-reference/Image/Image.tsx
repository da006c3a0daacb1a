import type { ComponentPropsWithRef } from 'react';
import styles from './Image.module.css';

export type ImageFit = 'cover' | 'contain' | 'fill' | 'none';
export type ImageRadius = 'none' | 'sm' | 'md' | 'lg' | 'full';

export interface ImageProps extends Omit<ComponentPropsWithRef<'img'>, 'src' | 'alt' | 'width' | 'height'> {
  src: string;
  /** Required: describe the image, or pass `""` when it is decorative. */
  alt: string;
  width?: number;
  height?: number;
  /** CSS aspect ratio such as `"16 / 9"`; keeps the layout stable while the image loads. */
  aspectRatio?: string;
  fit?: ImageFit;
  radius?: ImageRadius;
  loading?: 'lazy' | 'eager';
}

export function Image({
  src,
  alt,
  width,
  height,
  aspectRatio,
  fit = 'cover',
  radius = 'none',
  loading = 'lazy',
  decoding = 'async',
  className,
  style,
  ref,
  ...rest
}: ImageProps) {
  return (
    <img
      {...rest}
      ref={ref}
      src={src}
      alt={alt}
      width={width}
      height={height}
      loading={loading}
      decoding={decoding}
      data-fit={fit}
      data-radius={radius}
      style={aspectRatio ? { aspectRatio, ...style } : style}
      className={[styles.root, styles[`fit-${fit}`], styles[`radius-${radius}`], className].filter(Boolean).join(' ')}
    />
  );
}
Image.displayName = 'Image';

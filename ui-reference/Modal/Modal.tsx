import * as Dialog from '@radix-ui/react-dialog';
import { isValidElement, type ComponentPropsWithRef, type ReactNode } from 'react';
import styles from './Modal.module.css';

export type ModalSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';

export interface ModalProps extends Omit<ComponentPropsWithRef<'div'>, 'title' | 'children'> {
  /** Names the dialog (`aria-labelledby`). */
  title: string;
  /** Describes the dialog (`aria-describedby`). */
  description?: string;
  /** Controlled open state; with neither `onOpenChange` nor `onClose` it is the initial state. */
  open?: boolean;
  defaultOpen?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Called when the dialog closes (Escape, the close button, a click outside). */
  onClose?: () => void;
  /** The control that opens the dialog: text renders a button, an element is used as is. */
  trigger?: ReactNode;
  /** Actions shown at the bottom, e.g. Cancel and Save buttons. */
  footer?: ReactNode;
  size?: ModalSize;
  /** Accessible name of the close button. */
  closeLabel?: string;
  children?: ReactNode;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

export function Modal({
  title,
  description,
  open,
  defaultOpen = false,
  onOpenChange,
  onClose,
  trigger,
  footer,
  size = 'md',
  closeLabel = 'Close',
  className,
  children,
  ref,
  ...rest
}: ModalProps) {
  const normalisedSize = SIZE[size];
  // A screen definition may give `open` without a handler: use it as the initial state so
  // the dialog can still be opened and closed.
  const controlled = open !== undefined && (onOpenChange !== undefined || onClose !== undefined);
  const rootState = controlled ? { open } : { defaultOpen: open ?? defaultOpen };
  return (
    <Dialog.Root
      {...rootState}
      onOpenChange={(next) => {
        onOpenChange?.(next);
        if (!next) onClose?.();
      }}
    >
      {trigger === undefined ? null : isValidElement(trigger) ? (
        <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      ) : (
        <Dialog.Trigger className={styles.trigger}>{trigger}</Dialog.Trigger>
      )}
      <Dialog.Portal>
        <Dialog.Overlay className={styles.overlay} />
        <Dialog.Content
          {...rest}
          ref={ref}
          data-size={normalisedSize}
          className={[styles.content, styles[normalisedSize], className].filter(Boolean).join(' ')}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <header className={styles.header}>
            <Dialog.Title className={styles.title}>{title}</Dialog.Title>
            <Dialog.Close className={styles.close} aria-label={closeLabel}>
              <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="none">
                <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
              </svg>
            </Dialog.Close>
          </header>
          {description ? <Dialog.Description className={styles.description}>{description}</Dialog.Description> : null}
          <div className={styles.body}>{children}</div>
          {footer ? <footer className={styles.footer}>{footer}</footer> : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
Modal.displayName = 'Modal';

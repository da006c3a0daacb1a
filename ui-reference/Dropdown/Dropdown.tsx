import * as Menu from '@radix-ui/react-dropdown-menu';
import { Fragment, isValidElement, type ComponentPropsWithRef, type ReactNode } from 'react';
import styles from './Dropdown.module.css';

export type DropdownPlacement = 'bottom-start' | 'bottom' | 'bottom-end' | 'top-start' | 'top' | 'top-end' | 'left' | 'right';
export type DropdownSize = 'sm' | 'md' | 'lg' | 'small' | 'medium' | 'large';

export interface DropdownItem {
  id: string;
  label: ReactNode;
  disabled?: boolean;
  /** Renders the item as a link. */
  href?: string;
  /** Marks a destructive action. */
  danger?: boolean;
  /** Draws a separator above this item. */
  separatorBefore?: boolean;
}

export interface DropdownProps extends Omit<ComponentPropsWithRef<'div'>, 'onSelect' | 'dir'> {
  /** The button that opens the menu: text renders a button, an element is used as is. */
  trigger: ReactNode;
  items: ReadonlyArray<DropdownItem>;
  /** Called with the id of the chosen item. */
  onSelect?: (id: string) => void;
  placement?: DropdownPlacement;
  size?: DropdownSize;
  open?: boolean;
  defaultOpen?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Accessible name of the menu; the trigger's text otherwise. */
  label?: string;
}

const SIZE = { sm: 'sm', md: 'md', lg: 'lg', small: 'sm', medium: 'md', large: 'lg' } as const;

function placementToSideAndAlign(placement: DropdownPlacement) {
  const [side, align] = placement.split('-') as ['bottom' | 'top' | 'left' | 'right', 'start' | 'end' | undefined];
  return { side, align: align ?? 'center' } as const;
}

export function Dropdown({
  trigger,
  items,
  onSelect,
  placement = 'bottom-start',
  size = 'md',
  open,
  defaultOpen = false,
  onOpenChange,
  label,
  className,
  ref,
  ...rest
}: DropdownProps) {
  const normalisedSize = SIZE[size];
  const { side, align } = placementToSideAndAlign(placement);
  const openState = open !== undefined && onOpenChange !== undefined ? { open } : { defaultOpen: open ?? defaultOpen };
  return (
    <Menu.Root {...openState} onOpenChange={onOpenChange}>
      {isValidElement(trigger) ? (
        <Menu.Trigger asChild>{trigger}</Menu.Trigger>
      ) : (
        <Menu.Trigger className={[styles.trigger, styles[normalisedSize]].filter(Boolean).join(' ')} data-size={normalisedSize}>
          {trigger}
          <svg aria-hidden="true" width="12" height="12" viewBox="0 0 12 12" fill="none">
            <path d="M3 4.5l3 3 3-3" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </Menu.Trigger>
      )}
      <Menu.Portal>
        <Menu.Content
          {...rest}
          ref={ref}
          aria-label={label}
          side={side}
          align={align}
          sideOffset={4}
          className={[styles.content, className].filter(Boolean).join(' ')}
        >
          {items.map((item) => (
            <Fragment key={item.id}>
              {item.separatorBefore ? <Menu.Separator className={styles.separator} /> : null}
              <Menu.Item
                disabled={item.disabled}
                asChild={item.href !== undefined}
                data-danger={item.danger || undefined}
                className={styles.item}
                onSelect={() => onSelect?.(item.id)}
              >
                {item.href !== undefined ? <a href={item.href}>{item.label}</a> : item.label}
              </Menu.Item>
            </Fragment>
          ))}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
Dropdown.displayName = 'Dropdown';

import * as TabsPrimitive from '@radix-ui/react-tabs';
import type { ComponentPropsWithRef, ReactNode } from 'react';
import styles from './Tabs.module.css';

export type TabsVariant = 'line' | 'pill';

export interface TabItem {
  id: string;
  label: ReactNode;
  /** The panel shown while this tab is selected. */
  content?: ReactNode;
  disabled?: boolean;
}

export interface TabsProps extends Omit<ComponentPropsWithRef<'div'>, 'defaultValue' | 'dir'> {
  tabs: ReadonlyArray<TabItem>;
  /** Id of the tab selected at first; the first enabled tab otherwise. */
  defaultTab?: string;
  /** Controlled selection; pair with `onValueChange`. */
  value?: string;
  onValueChange?: (id: string) => void;
  /** Accessible name of the tab list. */
  label?: string;
  variant?: TabsVariant;
  orientation?: 'horizontal' | 'vertical';
  /** `automatic` selects a tab as focus reaches it; `manual` waits for Enter or Space. */
  activationMode?: 'automatic' | 'manual';
}

export function Tabs({
  tabs,
  defaultTab,
  value,
  onValueChange,
  label,
  variant = 'line',
  orientation = 'horizontal',
  activationMode = 'automatic',
  className,
  ref,
  ...rest
}: TabsProps) {
  const initial = defaultTab ?? tabs.find((tab) => !tab.disabled)?.id;
  const selection = value !== undefined && onValueChange !== undefined ? { value } : { defaultValue: value ?? initial };
  return (
    <TabsPrimitive.Root
      {...rest}
      {...selection}
      ref={ref}
      onValueChange={onValueChange}
      orientation={orientation}
      activationMode={activationMode}
      data-variant={variant}
      className={[styles.root, styles[variant], styles[orientation], className].filter(Boolean).join(' ')}
    >
      <TabsPrimitive.List aria-label={label} className={styles.list}>
        {tabs.map((tab) => (
          <TabsPrimitive.Trigger key={tab.id} value={tab.id} disabled={tab.disabled} className={styles.trigger}>
            {tab.label}
          </TabsPrimitive.Trigger>
        ))}
      </TabsPrimitive.List>
      {tabs.map((tab) => (
        <TabsPrimitive.Content key={tab.id} value={tab.id} className={styles.panel}>
          {tab.content}
        </TabsPrimitive.Content>
      ))}
    </TabsPrimitive.Root>
  );
}
Tabs.displayName = 'Tabs';

import type { Meta, StoryObj } from '@storybook/react';
import { Tabs } from './Tabs';

const meta = {
  title: 'Tier 1/Tabs',
  component: Tabs,
  tags: ['autodocs'],
  args: {
    label: 'Settings sections',
    defaultTab: 'profile',
    tabs: [
      { id: 'profile', label: 'Profile', content: 'Name, email and avatar.' },
      { id: 'security', label: 'Security', content: 'Password and two-factor authentication.' },
      { id: 'notifications', label: 'Notifications', content: 'Email and push preferences.' },
    ],
  },
} satisfies Meta<typeof Tabs>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Line: Story = {};
export const Pill: Story = { args: { variant: 'pill' } };
export const Vertical: Story = { args: { orientation: 'vertical' } };
export const ManualActivation: Story = { args: { activationMode: 'manual' } };

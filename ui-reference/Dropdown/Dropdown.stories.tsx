import type { Meta, StoryObj } from '@storybook/react';
import { Dropdown } from './Dropdown';

const meta = {
  title: 'Tier 1/Dropdown',
  component: Dropdown,
  tags: ['autodocs'],
  args: {
    trigger: 'More options',
    items: [
      { id: 'edit', label: 'Edit profile' },
      { id: 'message', label: 'Send message' },
      { id: 'assign', label: 'Assign task', disabled: true },
      { id: 'delete', label: 'Delete user', danger: true, separatorBefore: true },
    ],
  },
} satisfies Meta<typeof Dropdown>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const Open: Story = { args: { defaultOpen: true } };
export const EndAligned: Story = { args: { placement: 'bottom-end', defaultOpen: true } };
export const Small: Story = { args: { size: 'sm' } };

import type { Meta, StoryObj } from '@storybook/react';
import { Table } from './Table';

const meta = {
  title: 'Tier 1/Table',
  component: Table,
  tags: ['autodocs'],
  args: {
    caption: 'Recent activity',
    columns: [
      { id: 'date', label: 'Date' },
      { id: 'action', label: 'Action' },
      { id: 'status', label: 'Status' },
    ],
    data: [
      { date: '2026-01-28', action: 'Completed Project Alpha', status: 'success' },
      { date: '2026-01-27', action: 'Updated documentation', status: 'info' },
      { date: '2026-01-26', action: 'Code review', status: 'success' },
    ],
  },
} satisfies Meta<typeof Table>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const Striped: Story = { args: { striped: true } };
export const Compact: Story = { args: { size: 'sm' } };
export const Empty: Story = { args: { data: [], emptyMessage: 'No activity yet' } };

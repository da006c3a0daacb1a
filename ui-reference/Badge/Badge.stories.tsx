import type { Meta, StoryObj } from '@storybook/react';
import { Badge } from './Badge';

const meta = {
  title: 'Tier 1/Badge',
  component: Badge,
  tags: ['autodocs'],
  args: { children: 'Active', variant: 'default', size: 'md' },
} satisfies Meta<typeof Badge>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const Brand: Story = { args: { variant: 'brand', children: 'New' } };
export const Success: Story = { args: { variant: 'success', children: '+12.5%' } };
export const Warning: Story = { args: { variant: 'warning', children: '-2.1%' } };
export const Danger: Story = { args: { variant: 'danger', children: 'Failed' } };
export const Info: Story = { args: { variant: 'info', children: 'Live' } };
export const Outline: Story = { args: { variant: 'outline', children: 'TypeScript' } };
export const Small: Story = { args: { size: 'sm' } };

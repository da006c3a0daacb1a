import type { Meta, StoryObj } from '@storybook/react';
import { Card } from './Card';

const meta = {
  title: 'Tier 1/Card',
  component: Card,
  tags: ['autodocs'],
  args: { children: 'Total users: 12,453', variant: 'default', padding: 'md' },
} satisfies Meta<typeof Card>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const Elevated: Story = { args: { variant: 'elevated' } };
export const Outlined: Story = { args: { variant: 'outlined' } };
export const Filled: Story = { args: { variant: 'filled' } };
export const LargePadding: Story = { args: { padding: 'lg' } };

import type { Meta, StoryObj } from '@storybook/react';
import { Progress } from './Progress';

const meta = {
  title: 'Tier 1/Progress',
  component: Progress,
  tags: ['autodocs'],
  args: { value: 78, label: 'Quarterly goals' },
} satisfies Meta<typeof Progress>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const WithLabelAndValue: Story = { args: { showLabel: true, showValue: true } };
export const Success: Story = { args: { variant: 'success', value: 100 } };
export const Warning: Story = { args: { variant: 'warning', value: 40 } };
export const Danger: Story = { args: { variant: 'danger', value: 12 } };
export const Indeterminate: Story = { args: { value: null, label: 'Loading' } };
export const Large: Story = { args: { size: 'lg' } };

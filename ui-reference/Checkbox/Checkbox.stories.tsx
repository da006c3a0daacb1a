import type { Meta, StoryObj } from '@storybook/react';
import { Checkbox } from './Checkbox';

const meta = {
  title: 'Tier 1/Checkbox',
  component: Checkbox,
  tags: ['autodocs'],
  args: { label: 'Enable email notifications' },
} satisfies Meta<typeof Checkbox>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Unchecked: Story = {};
export const Checked: Story = { args: { defaultChecked: true } };
export const Indeterminate: Story = { args: { defaultChecked: 'indeterminate', label: 'Select all' } };
export const WithDescription: Story = { args: { description: 'A weekly digest, never more.' } };
export const Invalid: Story = { args: { invalid: true, required: true, label: 'I accept the terms' } };
export const Disabled: Story = { args: { disabled: true } };
export const Large: Story = { args: { size: 'lg' } };

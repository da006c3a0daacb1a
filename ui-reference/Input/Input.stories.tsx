import type { Meta, StoryObj } from '@storybook/react';
import { Input } from './Input';

const meta = {
  title: 'Tier 1/Input',
  component: Input,
  tags: ['autodocs'],
  args: { label: 'Email address', type: 'email', placeholder: 'you@example.com' },
} satisfies Meta<typeof Input>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const WithHint: Story = { args: { hint: 'We never share your email.' } };
export const Invalid: Story = { args: { error: 'Enter a valid email address.' } };
export const PlaceholderOnly: Story = { args: { label: undefined, placeholder: 'Search', type: 'search' } };
export const Small: Story = { args: { size: 'sm' } };
export const Large: Story = { args: { size: 'lg' } };
export const Disabled: Story = { args: { disabled: true } };

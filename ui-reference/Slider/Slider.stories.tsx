import type { Meta, StoryObj } from '@storybook/react';
import { Slider } from './Slider';

const meta = {
  title: 'Tier 1/Slider',
  component: Slider,
  tags: ['autodocs'],
  args: { label: 'Notification volume', defaultValue: 75, min: 0, max: 100, step: 5 },
} satisfies Meta<typeof Slider>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const WithLabelAndValue: Story = { args: { showLabel: true, showValue: true } };
export const Small: Story = { args: { size: 'sm' } };
export const Disabled: Story = { args: { disabled: true } };

import type { Meta, StoryObj } from '@storybook/react';
import { Switch } from './Switch';

const meta = {
  title: 'Tier 1/Switch',
  component: Switch,
  tags: ['autodocs'],
  args: { label: 'Dark mode' },
} satisfies Meta<typeof Switch>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Off: Story = {};
export const On: Story = { args: { defaultChecked: true } };
export const Small: Story = { args: { size: 'sm' } };
export const LabelFirst: Story = { args: { labelPosition: 'start' } };
export const Disabled: Story = { args: { disabled: true } };

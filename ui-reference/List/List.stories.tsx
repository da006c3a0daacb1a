import type { Meta, StoryObj } from '@storybook/react';
import { List } from './List';

const meta = {
  title: 'Tier 1/List',
  component: List,
  tags: ['autodocs'],
  args: { items: ['User john@example.com signed up', 'Payment processed: $129.99', 'New feature deployed'] },
} satisfies Meta<typeof List>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Bulleted: Story = {};
export const Ordered: Story = { args: { ordered: true } };
export const Divided: Story = { args: { variant: 'divided' } };
export const Plain: Story = { args: { variant: 'plain', size: 'sm' } };

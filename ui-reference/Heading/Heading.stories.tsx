import type { Meta, StoryObj } from '@storybook/react';
import { Heading } from './Heading';

const meta = {
  title: 'Tier 1/Heading',
  component: Heading,
  tags: ['autodocs'],
  args: { children: 'Recent activity', level: 2 },
} satisfies Meta<typeof Heading>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Level2: Story = {};
export const PageTitle: Story = { args: { level: 1, size: '2xl', children: 'Settings' } };
export const SmallSectionTitle: Story = { args: { level: 3, size: 'md', children: 'Total users' } };

import type { Meta, StoryObj } from '@storybook/react';
import { Text } from './Text';

const meta = {
  title: 'Tier 1/Text',
  component: Text,
  tags: ['autodocs'],
  args: { children: 'Manage your account settings and preferences', variant: 'body' },
} satisfies Meta<typeof Text>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Body: Story = {};
export const Lead: Story = { args: { variant: 'lead' } };
export const Caption: Story = { args: { variant: 'caption', color: 'muted' } };
export const Secondary: Story = { args: { color: 'secondary' } };
export const Large: Story = { args: { size: 'lg', weight: 'semibold', children: '12,453' } };
export const Code: Story = { args: { variant: 'code', children: 'npm install dspec' } };

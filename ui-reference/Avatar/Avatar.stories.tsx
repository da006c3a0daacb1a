import type { Meta, StoryObj } from '@storybook/react';
import { Avatar } from './Avatar';

const meta = {
  title: 'Tier 1/Avatar',
  component: Avatar,
  tags: ['autodocs'],
  args: { src: 'https://i.pravatar.cc/150?img=12', alt: 'John Doe', fallback: 'JD' },
} satisfies Meta<typeof Avatar>;
export default meta;

type Story = StoryObj<typeof meta>;

export const WithImage: Story = {};
export const Initials: Story = { args: { src: undefined } };
export const ExtraLarge: Story = { args: { size: 'xl' } };
export const Square: Story = { args: { shape: 'square' } };
export const BrokenImage: Story = { args: { src: '/missing.jpg' } };

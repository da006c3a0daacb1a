import type { Meta, StoryObj } from '@storybook/react';
import { Link } from './Link';

const meta = {
  title: 'Tier 1/Link',
  component: Link,
  tags: ['autodocs'],
  args: { href: '/docs', children: 'Read the documentation' },
} satisfies Meta<typeof Link>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const Subtle: Story = { args: { variant: 'subtle' } };
export const Standalone: Story = { args: { variant: 'standalone', children: 'View all projects' } };
export const External: Story = { args: { href: 'https://example.com', external: true, children: 'example.com' } };
export const Email: Story = { args: { href: 'mailto:john.doe@example.com', external: true, children: 'john.doe@example.com' } };

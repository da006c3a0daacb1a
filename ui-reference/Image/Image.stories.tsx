import type { Meta, StoryObj } from '@storybook/react';
import { Image } from './Image';

const meta = {
  title: 'Tier 1/Image',
  component: Image,
  tags: ['autodocs'],
  args: { src: 'https://picsum.photos/seed/dspec/640/360', alt: 'A mountain lake at dawn', width: 640, height: 360 },
} satisfies Meta<typeof Image>;
export default meta;

type Story = StoryObj<typeof meta>;

export const Default: Story = {};
export const Rounded: Story = { args: { radius: 'lg' } };
export const Contained: Story = { args: { fit: 'contain', aspectRatio: '1 / 1', width: 320, height: 320 } };
export const Circle: Story = { args: { radius: 'full', width: 160, height: 160, aspectRatio: '1 / 1' } };

// A thin bar showing which parts of an item the swarm (this peer or a connected one) holds.
import { useEffect, useRef } from 'react';

/** Props: coverage per segment, 0..1. */
export function AvailabilityBar({ coverage }: { readonly coverage: readonly number[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!canvas.current || !context) return;
    const { width, height } = canvas.current;
    context.clearRect(0, 0, width, height);
    coverage.forEach((value, i) => {
      const x = Math.floor((i * width) / coverage.length);
      const w = Math.ceil(width / coverage.length);
      context.fillStyle = value >= 1 ? '#38a169' : value > 0 ? '#9ae6b4' : '#fed7d7';
      context.fillRect(x, 0, w, height);
    });
  }, [coverage]);
  const whole = coverage.length === 0 || coverage.every((v) => v >= 1);
  return (
    <canvas
      ref={canvas}
      className="item__availability"
      data-testid="item-availability"
      data-complete={String(whole)}
      width={640}
      height={4}
      role="img"
      aria-label={whole ? 'The swarm holds every part' : 'Parts of this item are missing from the swarm'}
    />
  );
}

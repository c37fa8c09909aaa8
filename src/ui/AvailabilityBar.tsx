// A thin bar showing which parts of an item the swarm (this peer or a connected one) holds. It is a
// CSS gradient, not a canvas: with 2,000 items in a list, a canvas per row painted in an effect cost
// ~200 ms of the page's time while they downloaded.

const heldColor = '#38a169';
const partlyColor = '#9ae6b4';
const missingColor = '#fed7d7';

const colorOf = (value: number): string => (value >= 1 ? heldColor : value > 0 ? partlyColor : missingColor);

/** The bar's background: one hard-edged gradient stop pair per run of segments of the same colour. */
export function coverageGradient(coverage: readonly number[]): string {
  if (coverage.length === 0) return heldColor;
  const stops: string[] = [];
  let runStart = 0;
  for (let i = 1; i <= coverage.length; i++) {
    const color = colorOf(coverage[runStart] ?? 0);
    if (i < coverage.length && colorOf(coverage[i] ?? 0) === color) continue;
    const from = ((runStart * 100) / coverage.length).toFixed(2);
    const to = ((i * 100) / coverage.length).toFixed(2);
    stops.push(`${color} ${from}% ${to}%`);
    runStart = i;
  }
  return stops.length === 1 ? colorOf(coverage[0] ?? 0) : `linear-gradient(to right, ${stops.join(', ')})`;
}

/** Props: coverage per segment, 0..1. */
export function AvailabilityBar({ coverage }: { readonly coverage: readonly number[] }) {
  const whole = coverage.every((v) => v >= 1);
  return (
    <div
      className="item__availability"
      data-testid="item-availability"
      data-complete={String(whole)}
      style={{ background: coverageGradient(coverage) }}
      role="img"
      aria-label={whole ? 'The swarm holds every part' : 'Parts of this item are missing from the swarm'}
    />
  );
}

// Drawing the swarm view on canvases: the peers as a graph around this tab, and an item's piece map.
// Pure functions of a 2D context and plain data, so the component only decides when to paint.
import type { PieceMap } from '../core/swarm/piece-map';

/** The theme's colours, read from CSS custom properties so light and dark both apply. */
export interface SwarmColors {
  readonly text: string;
  readonly muted: string;
  readonly line: string;
  readonly accent: string;
  readonly warn: string;
  readonly danger: string;
  readonly surface: string;
}

/** Reads the colours from the element's computed style (custom properties of theme.css). */
export function readColors(element: Element): SwarmColors {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#1a202c'),
    muted: read('--text-muted', '#4a5568'),
    line: read('--line-strong', '#718096'),
    accent: read('--accent', '#2b6cb0'),
    warn: read('--warn', '#9c4221'),
    danger: read('--danger', '#c53030'),
    surface: read('--surface', '#ffffff'),
  };
}

/** One peer linked to this tab, with the current rates each way. */
export interface GraphPeer {
  readonly label: string;
  readonly upBytesPerSecond: number;
  readonly downBytesPerSecond: number;
}

/** Radius of a node, in CSS pixels: big enough for a click target, small enough for 30 around a circle. */
const nodeRadiusPx = 9;

/** Rate at which an edge reaches its thickest: a fast local link; slower links scale down from it. */
const fullEdgeBytesPerSecond = 10 * 1024 * 1024;

/** Thinnest and thickest edge, in CSS pixels. */
const edgeWidthPx = { min: 1, max: 6 } as const;

/** Room kept around the ring for a node's label, in CSS pixels: a short id is about 60 px wide. */
const labelMarginPx = { x: 48, y: 24 } as const;

/** Where each peer sits: evenly around an ellipse filling the canvas, centred on this tab, the first at the top. */
export function peerPositions(count: number, width: number, height: number): { x: number; y: number }[] {
  const radiusX = Math.max(0, width / 2 - labelMarginPx.x);
  const radiusY = Math.max(0, height / 2 - labelMarginPx.y);
  return Array.from({ length: count }, (_, index) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * index) / Math.max(1, count);
    return { x: width / 2 + radiusX * Math.cos(angle), y: height / 2 + radiusY * Math.sin(angle) };
  });
}

/** Where along an edge (0: this tab, 1: the peer) its rates are written: past the middle, clear of the centre. */
const rateLabelAlong = 0.6;

/** The edge's width for a rate: thicker as more flows, on a log scale so a trickle still shows. */
export function edgeWidth(bytesPerSecond: number): number {
  if (bytesPerSecond <= 0) return edgeWidthPx.min;
  const share = Math.min(1, Math.log1p(bytesPerSecond) / Math.log1p(fullEdgeBytesPerSecond));
  return edgeWidthPx.min + share * (edgeWidthPx.max - edgeWidthPx.min);
}

/** Paints this tab in the middle, its peers around it, and an edge to each with its rates. */
export function paintGraph(
  context: CanvasRenderingContext2D,
  size: { readonly width: number; readonly height: number },
  peers: readonly GraphPeer[],
  colors: SwarmColors,
  formatRate: (bytesPerSecond: number) => string,
): void {
  const { width, height } = size;
  context.clearRect(0, 0, width, height);
  const centre = { x: width / 2, y: height / 2 };
  const positions = peerPositions(peers.length, width, height);
  context.font = '12px system-ui, sans-serif';
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  peers.forEach((peer, index) => {
    const at = positions[index];
    if (!at) return;
    const flowing = peer.upBytesPerSecond + peer.downBytesPerSecond;
    context.strokeStyle = flowing > 0 ? colors.accent : colors.line;
    context.lineWidth = edgeWidth(flowing);
    context.beginPath();
    context.moveTo(centre.x, centre.y);
    context.lineTo(at.x, at.y);
    context.stroke();
    if (flowing > 0) {
      const mid = { x: centre.x + (at.x - centre.x) * rateLabelAlong, y: centre.y + (at.y - centre.y) * rateLabelAlong };
      const text = `↓${formatRate(peer.downBytesPerSecond)} ↑${formatRate(peer.upBytesPerSecond)}`;
      context.fillStyle = colors.surface;
      const textWidth = context.measureText(text).width;
      context.fillRect(mid.x - textWidth / 2 - 3, mid.y - 8, textWidth + 6, 16);
      context.fillStyle = colors.text;
      context.fillText(text, mid.x, mid.y);
    }
  });
  peers.forEach((peer, index) => {
    const at = positions[index];
    if (!at) return;
    paintNode(context, at, colors.muted, colors.surface);
    context.fillStyle = colors.text;
    context.fillText(peer.label, at.x, at.y + nodeRadiusPx + 10);
  });
  paintNode(context, centre, colors.accent, colors.surface, nodeRadiusPx * 1.5);
  context.fillStyle = colors.text;
  context.fillText('you', centre.x, centre.y + nodeRadiusPx * 1.5 + 10);
}

function paintNode(context: CanvasRenderingContext2D, at: { x: number; y: number }, fill: string, ring: string, radius = nodeRadiusPx): void {
  context.beginPath();
  context.arc(at.x, at.y, radius, 0, 2 * Math.PI);
  context.fillStyle = fill;
  context.fill();
  context.lineWidth = 2;
  context.strokeStyle = ring;
  context.stroke();
}

/** Mean holders at which a missing piece's colour is at its darkest: "many peers have it". */
const plentifulHolders = 4;

/**
 * Paints a piece map: each bin a vertical stripe, held in the accent colour, on its way in the warning
 * colour, missing in the muted colour faded by how few peers hold it (none: the danger colour).
 */
export function paintPieceMap(context: CanvasRenderingContext2D, size: { readonly width: number; readonly height: number }, map: PieceMap, colors: SwarmColors): void {
  const { width, height } = size;
  context.clearRect(0, 0, width, height);
  const bins = map.held.length;
  if (bins === 0) return;
  const stripe = width / bins;
  for (let bin = 0; bin < bins; bin++) {
    const x = bin * stripe;
    const held = map.held[bin] ?? 0;
    const inFlight = map.inFlight[bin] ?? 0;
    const holders = map.peers[bin] ?? 0;
    // Missing first, as the background of the stripe; then what is held and on its way, bottom up.
    context.globalAlpha = holders <= 0 ? 0.9 : 0.25 + 0.6 * Math.min(1, holders / plentifulHolders);
    context.fillStyle = holders <= 0 ? colors.danger : colors.muted;
    context.fillRect(x, 0, Math.ceil(stripe), height);
    context.globalAlpha = 1;
    context.fillStyle = colors.accent;
    context.fillRect(x, height * (1 - held), Math.ceil(stripe), height * held);
    context.fillStyle = colors.warn;
    context.fillRect(x, height * (1 - held - inFlight), Math.ceil(stripe), height * inFlight);
  }
}

// The live picture of the room: this tab and its peers as a graph with the rate on each link, and
// each item's piece map (held here, on its way, and how many peers hold each piece). Canvases
// repainted a few times a second whatever the item's size: the engine summarises pieces into bins.
import { useEffect, useRef } from 'react';
import { shortId, uiIdChars } from '../core/ids';
import type { PieceMap } from '../core/swarm/piece-map';
import type { ItemView, PeerView } from '../core/swarm/view-types';
import { formatRate } from './format';
import { paintGraph, paintPieceMap, readColors, type SwarmColors } from './swarm-paint';
import './swarm.css';

/** Repaint period: a few times a second is smooth enough for rates and pieces, and costs little. */
export const swarmRepaintMs = 250;

/** Piece maps shown at most: those downloading first; a room of thousands of items shows a few. */
export const maxPieceMaps = 8;

/** Bins per piece map at most: about a pixel per bin on a wide screen. */
const maxPieceBins = 600;

/** Props: what the snapshot says, and the engine's live piece summary. */
export interface SwarmViewProps {
  readonly peers: readonly PeerView[];
  readonly items: readonly ItemView[];
  readonly pieceMap: (itemId: string, bins: number) => PieceMap | null;
}

/** Sizes a canvas's backing store to its CSS box at the screen's pixel ratio; returns the CSS size. */
function fitCanvas(canvas: HTMLCanvasElement): { width: number; height: number; context: CanvasRenderingContext2D | null } {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext('2d');
  context?.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { width, height, context };
}

/** The items whose piece maps are shown: downloading ones first, then the rest, at most `maxPieceMaps`. */
export function mappedItems(items: readonly ItemView[]): ItemView[] {
  const downloading = items.filter((item) => item.status === 'downloading');
  const others = items.filter((item) => item.status !== 'downloading');
  return [...downloading, ...others].slice(0, maxPieceMaps);
}

export function SwarmView({ peers, items, pieceMap }: SwarmViewProps) {
  const section = useRef<HTMLElement>(null);
  const graph = useRef<HTMLCanvasElement>(null);
  const maps = useRef(new Map<string, HTMLCanvasElement>());
  // The painter reads the latest props through a ref (updated after each render), so its timer is set once.
  const latest = useRef({ peers, pieceMap });
  useEffect(() => {
    latest.current = { peers, pieceMap };
  }, [peers, pieceMap]);
  const shown = mappedItems(items);

  useEffect(() => {
    let colors: SwarmColors | null = null;
    const paint = (): void => {
      if (document.hidden || !section.current) return;
      colors ??= readColors(section.current);
      const { peers: nowPeers, pieceMap: summarize } = latest.current;
      if (graph.current) {
        const { width, height, context } = fitCanvas(graph.current);
        const labelled = nowPeers.map((peer) => ({ ...peer, label: shortId(peer.peerId, uiIdChars) }));
        if (context) paintGraph(context, { width, height }, labelled, colors, formatRate);
      }
      for (const [itemId, canvas] of maps.current) {
        const map = summarize(itemId, Math.min(maxPieceBins, Math.max(1, canvas.clientWidth)));
        if (!map) continue;
        canvas.dataset['heldCount'] = String(map.heldChunks);
        canvas.setAttribute('aria-label', `${canvas.dataset['name'] ?? 'Item'}: ${map.heldChunks} of ${map.chunkCount} pieces in this browser`);
        const { width, height, context } = fitCanvas(canvas);
        if (context) paintPieceMap(context, { width, height }, map, colors);
      }
    };
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const recolor = (): void => {
      colors = null;
      paint();
    };
    scheme.addEventListener('change', recolor);
    paint();
    const timer = window.setInterval(paint, swarmRepaintMs);
    return () => {
      window.clearInterval(timer);
      scheme.removeEventListener('change', recolor);
    };
  }, []);

  const receiving = peers.reduce((sum, peer) => sum + peer.downBytesPerSecond, 0);
  const sending = peers.reduce((sum, peer) => sum + peer.upBytesPerSecond, 0);
  const summary = `You and ${peers.length} ${peers.length === 1 ? 'peer' : 'peers'}: receiving ${formatRate(receiving)}, sending ${formatRate(sending)}`;
  return (
    <section className="swarm" data-testid="swarm-view" data-nodes={peers.length + 1} data-edges={peers.length} ref={section}>
      <h2>Swarm</h2>
      <canvas className="swarm__graph" ref={graph} role="img" aria-label={summary} />
      <p className="swarm__summary">{summary}</p>
      {shown.length > 0 && (
        <ul className="swarm__maps">
          {shown.map((item) => (
            <li key={item.itemId} className="swarm__map">
              <span className="swarm__map-name">{item.name}</span>
              <canvas
                className="swarm__map-canvas"
                data-testid="item-piece-map"
                data-item-id={item.itemId}
                data-name={item.name}
                data-chunks={item.chunkCount}
                role="img"
                aria-label={`${item.name}: pieces`}
                ref={(canvas) => {
                  if (canvas) maps.current.set(item.itemId, canvas);
                  else maps.current.delete(item.itemId);
                }}
              />
            </li>
          ))}
        </ul>
      )}
      {items.length > shown.length && <p className="swarm__more">Piece maps of {items.length - shown.length} more items are not drawn.</p>}
      <p className="swarm__legend">
        <span className="swarm__key swarm__key--held" /> in this browser <span className="swarm__key swarm__key--flight" /> on its way{' '}
        <span className="swarm__key swarm__key--peers" /> held by peers (darker: more) <span className="swarm__key swarm__key--none" /> nobody here has it
      </p>
    </section>
  );
}

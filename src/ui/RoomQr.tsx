// A QR code of the room link, so a phone can join by pointing its camera at the screen. Made by the
// `qrcode` library in the page and drawn as inline SVG: nothing is fetched from elsewhere, and the CSP
// needs no change. The library is loaded only once a room is open, so the start page does not carry it.
import { useEffect, useState } from 'react';
import { roomQrUnavailableText } from '../app/messages';
import { qrPathData, qrViewSize } from './qr-path';

/**
 * Medium error correction (15% of the symbol recoverable): a link stays a small, easily scanned code
 * (version 3 or 4), and still reads from a screen with glare or a smudge.
 */
const errorCorrectionLevel = 'M';

/** What is drawn: the path of the dark modules and the side of the code with its quiet zone, in modules. */
interface QrDrawing {
  readonly path: string;
  readonly viewSize: number;
}

/** Draws the link, or null when it is longer than a QR code holds (the library throws past about 2,300 characters). */
async function drawRoomQr(link: string): Promise<QrDrawing | null> {
  const { create } = await import('qrcode');
  try {
    const { modules } = create(link, { errorCorrectionLevel });
    const qr = { size: modules.size, isDark: (row: number, col: number) => modules.get(row, col) !== 0 };
    return { path: qrPathData(qr), viewSize: qrViewSize(qr) };
  } catch {
    return null;
  }
}

/** The room link as a QR code (dark modules on white even in dark mode: not every reader takes inverted codes). */
export function RoomQr({ link }: { readonly link: string }) {
  // undefined while the library loads; null when there is no code to show (too long, or the library did not load).
  const [drawing, setDrawing] = useState<QrDrawing | null | undefined>(undefined);
  useEffect(() => {
    let current = true;
    drawRoomQr(link).then(
      (drawn) => current && setDrawing(drawn),
      () => current && setDrawing(null),
    );
    return () => {
      current = false;
    };
  }, [link]);
  if (drawing === undefined) return <div className="room-qr room-qr--loading" />;
  if (drawing === null) return <p className="room-qr__none">{roomQrUnavailableText}</p>;
  return (
    <figure className="room-qr">
      <svg
        className="room-qr__code"
        data-testid="room-qr"
        data-link={link}
        role="img"
        aria-label="QR code of the room link. Scan it with a phone's camera to open the room there."
        viewBox={`0 0 ${drawing.viewSize} ${drawing.viewSize}`}
        shapeRendering="crispEdges"
      >
        <rect className="room-qr__light" width={drawing.viewSize} height={drawing.viewSize} />
        <path className="room-qr__dark" d={drawing.path} />
      </svg>
      <figcaption className="room-qr__caption">Scan to join on a phone</figcaption>
    </figure>
  );
}

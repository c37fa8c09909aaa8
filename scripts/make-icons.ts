// Draws the app's PNG icons (public/icons/) from the favicon's picture: three peers joined in a
// triangle, white on the brand blue. Chromium renders the SVG and screenshots it, so no image library
// is needed. Run `npm run icons` after changing the picture, and commit the PNGs.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../e2e/browser.js';

/** The brand blue of public/favicon.svg, also the manifest's theme colour. */
const brandBlue = '#2b6cb0';

/** One icon to draw. */
interface IconSpec {
  readonly fileName: string;
  /** Width and height in pixels. */
  readonly size: number;
  /**
   * Maskable: the blue fills the whole square and the picture stays inside the middle 60%, since
   * launchers may crop to a circle as small as the middle 80% (the maskable icon's safe zone).
   */
  readonly maskable: boolean;
}

const icons: readonly IconSpec[] = [
  { fileName: 'icon-192.png', size: 192, maskable: false },
  { fileName: 'icon-512.png', size: 512, maskable: false },
  { fileName: 'icon-maskable-512.png', size: 512, maskable: true },
];

/** The picture on a 100-unit square: the favicon's triangle of peers, scaled to `scale` of the square. */
function iconSvg({ size, maskable }: IconSpec): string {
  const scale = maskable ? 0.6 : 0.78;
  const offset = (100 - 100 * scale) / 2;
  const at = (x: number, y: number): string => `${offset + (x / 32) * 100 * scale} ${offset + (y / 32) * 100 * scale}`;
  const node = (x: number, y: number): string => {
    const [cx, cy] = at(x, y).split(' ');
    return `<circle cx="${cx}" cy="${cy}" r="${(4.2 / 32) * 100 * scale}" fill="#fff"/>`;
  };
  const background = maskable ? `<rect width="100" height="100" fill="${brandBlue}"/>` : `<rect width="100" height="100" rx="22" fill="${brandBlue}"/>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="${size}" height="${size}">${background}` +
    `<path d="M${at(8, 9.3)}L${at(24, 9.3)}L${at(16, 22.7)}Z" fill="none" stroke="#fff" stroke-width="${(2.2 / 32) * 100 * scale}" stroke-linejoin="round"/>` +
    `${node(8, 9.3)}${node(24, 9.3)}${node(16, 22.7)}</svg>`
  );
}

async function main(): Promise<void> {
  // npm runs scripts from the package's root.
  const outDir = resolve('public/icons');
  mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({ args: chromiumArgs, ...(chromiumExecutable ? { executablePath: chromiumExecutable } : {}) });
  try {
    for (const icon of icons) {
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
      await page.setContent(`<style>html,body{margin:0;background:transparent}</style>${iconSvg(icon)}`);
      await page.locator('svg').screenshot({ path: resolve(outDir, icon.fileName), omitBackground: true });
      await page.close();
      console.log(`wrote public/icons/${icon.fileName}`);
    }
  } finally {
    await browser.close();
  }
}

await main();

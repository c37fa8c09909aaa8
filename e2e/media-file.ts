// Test-only: a seekable WebM video made in Chromium itself (WebCodecs VP8, muxed by mediabunny, which
// writes the cues a player seeks by). Noise frames, so the file is large for its length and a test
// can be mid-download while it plays. WebCodecs needs a secure context: a blank page on localhost.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser } from '@playwright/test';

/** What to make: its length, frame rate and bitrate (which sets its size: bitrate × seconds / 8). */
export interface VideoSpec {
  readonly seconds: number;
  readonly framesPerSecond: number;
  readonly bitsPerSecond: number;
}

/** mediabunny's browser bundle, loaded into the page as a module from a Blob URL (beside its Node bundle; the package exports neither path). */
const mediabunnyBundle = join(dirname(createRequire(import.meta.url).resolve('mediabunny')), 'mediabunny.min.mjs');

/** Makes the video in a page of `browser` (its own context, closed after) and returns the file's bytes. */
export async function makeWebmVideo(browser: Browser, spec: VideoSpec): Promise<Uint8Array> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>video maker</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://localhost:${(server.address() as AddressInfo).port}/`);
    const base64 = await page.evaluate(
      async ({ library, seconds, framesPerSecond, bitsPerSecond }) => {
        const mb = (await import(URL.createObjectURL(new Blob([library], { type: 'text/javascript' })))) as typeof import('mediabunny');
        const output = new mb.Output({ format: new mb.WebMOutputFormat(), target: new mb.BufferTarget() });
        const canvas = new OffscreenCanvas(640, 360);
        const draw = canvas.getContext('2d');
        if (!draw) throw new Error('no 2D context');
        const source = new mb.CanvasSource(canvas, { codec: 'vp8', bitrate: bitsPerSecond, keyFrameInterval: 1 });
        output.addVideoTrack(source, { frameRate: framesPerSecond });
        await output.start();
        for (let frame = 0; frame < seconds * framesPerSecond; frame++) {
          const image = draw.createImageData(640, 360);
          for (let at = 0; at < image.data.length; at += 4) {
            const value = (Math.random() * 255) | 0;
            image.data.set([value, (value + frame * 3) & 255, frame & 255, 255], at);
          }
          draw.putImageData(image, 0, 0);
          await source.add(frame / framesPerSecond, 1 / framesPerSecond);
        }
        await output.finalize();
        const { buffer } = output.target;
        if (!buffer) throw new Error('the muxer wrote nothing');
        const bytes = new Uint8Array(buffer);
        let text = '';
        for (let at = 0; at < bytes.length; at += 0x8000) text += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
        return btoa(text);
      },
      { library: readFileSync(mediabunnyBundle, 'utf8'), ...spec },
    );
    return new Uint8Array(Buffer.from(base64, 'base64'));
  } finally {
    await context.close();
    server.close();
  }
}

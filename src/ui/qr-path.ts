// Turns a QR symbol's modules into one SVG path: a rectangle per run of dark modules in a row, so a
// version-4 code is a few hundred short commands instead of hundreds of <rect> elements.

/** The blank margin a reader needs around a symbol, in modules (ISO/IEC 18004 asks for 4). */
export const quietZoneModules = 4;

/** The modules of a QR symbol: its side in modules, and whether the module at (row, col) is dark. */
export interface QrModules {
  readonly size: number;
  isDark(row: number, col: number): boolean;
}

/** The path data drawing every dark module, in module units offset by the quiet zone. */
export function qrPathData(modules: QrModules): string {
  const commands: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.isDark(row, col)) col++;
      commands.push(`M${start + quietZoneModules} ${row + quietZoneModules}h${col - start}v1h-${col - start}z`);
    }
  }
  return commands.join('');
}

/** The side of the drawing with its quiet zone, in modules (the SVG's viewBox). */
export function qrViewSize(modules: Pick<QrModules, 'size'>): number {
  return modules.size + 2 * quietZoneModules;
}

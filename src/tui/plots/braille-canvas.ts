/**
 * A dot canvas drawn with Unicode braille: every character cell holds 2 × 4 dots, so a 30 × 6 cell plot has
 * 60 × 24 dots of resolution. Coordinates are in dots, y = 0 at the top.
 */
const BRAILLE_BASE = 0x2800;
// Bit of each dot inside a cell, indexed [dy][dx] (braille numbering: 1 2 3 7 down the left, 4 5 6 8 right).
const DOT_BITS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];

export class BrailleCanvas {
  readonly dotWidth: number;
  readonly dotHeight: number;
  private readonly cells: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.dotWidth = width * 2;
    this.dotHeight = height * 4;
    this.cells = new Uint8Array(width * height);
  }

  set(x: number, y: number): void {
    if (x < 0 || y < 0 || x >= this.dotWidth || y >= this.dotHeight) return;
    const cell = Math.floor(y / 4) * this.width + Math.floor(x / 2);
    this.cells[cell] |= DOT_BITS[y % 4][x % 2];
  }

  /** Fills the dots of column x between y0 and y1 inclusive (either order). */
  vertical(x: number, y0: number, y1: number): void {
    for (let y = Math.min(y0, y1); y <= Math.max(y0, y1); y++) this.set(x, y);
  }

  lines(): string[] {
    const out: string[] = [];
    for (let row = 0; row < this.height; row++) {
      let line = '';
      for (let col = 0; col < this.width; col++) {
        const bits = this.cells[row * this.width + col];
        // An empty cell is a plain space: it looks the same as the blank braille pattern and ink measures
        // ASCII far faster than other characters (it checks the width of every character of every frame).
        line += bits === 0 ? ' ' : String.fromCharCode(BRAILLE_BASE + bits);
      }
      out.push(line);
    }
    return out;
  }
}

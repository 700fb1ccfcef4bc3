/**
 * GDAL's command-line tools report progress on stdout as `0...10...20...30 … 90...100 - done.`, written
 * a few characters at a time. This reads that stream chunk by chunk (a number may be split across two
 * chunks) and reports each new percentage once, as a fraction.
 */
const MARK = /(\d{1,3})(?=\.|\s-)/g;
/** Enough to hold a number and what tells it is complete, split across chunks ("100" + " - done"). */
const CARRY = 16;

export class GdalProgressParser {
  private carry = '';
  private last = -1;

  constructor(private readonly onFraction: (fraction: number) => void) {}

  push(chunk: string): void {
    const text = this.carry + chunk;
    let consumed = 0;
    for (const match of text.matchAll(MARK)) {
      const end = match.index + match[1]!.length;
      // A number at the very end may still be growing ("1" of "10"): wait for what follows it.
      if (end >= text.length) break;
      consumed = end;
      const percent = Number(match[1]);
      if (percent <= 100 && percent > this.last) {
        this.last = percent;
        this.onFraction(percent / 100);
      }
    }
    this.carry = text.slice(Math.max(consumed, text.length - CARRY));
  }
}

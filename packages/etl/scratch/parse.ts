import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { copyTextLine } from '@meridian/db';
const mode = process.argv[2];
const t0 = performance.now();
let n = 0, bytes = 0;
if (mode === 'buf') {
  let rest = '';
  for await (const chunk of createReadStream('/tmp/vb/dump.sql', { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const text = rest + chunk;
    let start = 0; let out = '';
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      n++;
      out += `${n}\t${text.slice(start, nl)}\t1\n`;
      start = nl + 1;
    }
    bytes += out.length;
    rest = text.slice(start);
  }
} else {
  const rl = createInterface({ input: createReadStream('/tmp/vb/dump.sql'), crlfDelay: Infinity });
  for await (const line of rl) {
    n++;
    if (mode === 'rl') continue;
    const f = line.split('\t');
    if (mode === 'split') continue;
    bytes += copyTextLine([n, ...f, 1]).length;
  }
}
console.log(mode, n, bytes, ((performance.now() - t0) / 1000).toFixed(2));

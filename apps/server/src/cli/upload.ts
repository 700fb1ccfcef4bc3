import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openBlobStore, assertKey, assertContainer } from '@meridian/storage';
import type { Command } from './commands.ts';

export const uploadCommand: Command = {
  summary: 'upload a file to storage: meridian upload FILE CONTAINER/KEY',
  async run(args, { config }) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const [file, target] = positionals;
    const slash = target?.indexOf('/') ?? -1;
    if (!file || !target || slash < 1) {
      process.stderr.write('usage: meridian upload FILE CONTAINER/KEY   (e.g. meridian upload roads.geojson bronze-uploads/roads.geojson)\n');
      return 2;
    }
    const container = target.slice(0, slash);
    const key = target.slice(slash + 1);
    assertContainer(container);
    assertKey(key);
    await stat(file);
    const store = openBlobStore(config.storage);
    const info = await store.put({ container, key }, createReadStream(file), { maxBytes: config.maxUploadBytes });
    process.stdout.write(`uploaded ${info.size} bytes to ${container}/${key}\n`);
    return 0;
  },
};

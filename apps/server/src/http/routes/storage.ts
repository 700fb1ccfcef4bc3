import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Readable } from 'node:stream';
import { MeridianError } from '@meridian/core';
import { assertKey, assertContainer } from '@meridian/storage';
import type { Runtime } from '../../runtime.ts';
import { parseRange } from '../range-header.ts';
import { UPLOAD_STAGING_CONTAINER } from '../upload-sessions.ts';
import { BlobInfoSchema, ErrorSchema, blobJson } from './storage-schemas.ts';
import { storageUploadRoutes } from './storage-uploads.ts';

const BlobParams = Type.Object({ container: Type.String(), '*': Type.String() });

export interface StorageRoutesOptions {
  runtime: Runtime;
  writable: boolean;
  /** Which containers this process may serve at all (public mode: only the external zone). */
  readableContainer: (container: string) => boolean;
}

/** Uploads and downloads over HTTP. Bodies stream straight to and from the BlobStore, never buffered. */
export const storageRoutes: FastifyPluginAsyncTypebox<StorageRoutesOptions> = async (app, { runtime, writable, readableContainer: servable }) => {
  const { store } = runtime;
  // Chunked uploads keep their parts in a staging container that only their own routes may touch.
  const readableContainer = (container: string) => container !== UPLOAD_STAGING_CONTAINER && servable(container);
  // Registered before the raw-body parser below replaces JSON parsing, which the upload sessions need.
  if (writable) await app.register(storageUploadRoutes, { runtime });

  const ref = (container: string, key: string) => {
    assertContainer(container);
    assertKey(key);
    if (!readableContainer(container)) throw new MeridianError('BLOB_NOT_FOUND');
    return { container, key };
  };

  // Upload bodies of any content type arrive as the raw request stream (a .geojson upload must not be
  // parsed as JSON by the framework).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.get('/api/storage', {
    schema: { tags: ['storage'], summary: 'List containers', response: { 200: Type.Object({ containers: Type.Array(Type.String()) }) } },
  }, async () => ({ containers: (await store.listContainers()).filter(readableContainer) }));

  app.get('/api/storage/:container', {
    schema: {
      tags: ['storage'],
      summary: 'List the blobs of a container by prefix, one page at a time',
      params: Type.Object({ container: Type.String() }),
      querystring: Type.Object({
        prefix: Type.Optional(Type.String({ maxLength: 1024 })),
        delimiter: Type.Optional(Type.Literal('/')),
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        token: Type.Optional(Type.String({ maxLength: 2048 })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({ container: Type.String(), items: Type.Array(BlobInfoSchema), prefixes: Type.Array(Type.String()), next_token: Type.Union([Type.String(), Type.Null()]) }),
        400: ErrorSchema,
      },
    },
  }, async (request) => {
    const { container } = request.params;
    assertContainer(container);
    if (!readableContainer(container)) throw new MeridianError('NOT_FOUND', `container ${container} does not exist`);
    const page = await store.list(container, {
      limit: request.query.limit,
      ...(request.query.prefix ? { prefix: request.query.prefix } : {}),
      ...(request.query.delimiter ? { delimiter: request.query.delimiter } : {}),
      ...(request.query.token ? { token: request.query.token } : {}),
    });
    return { container, items: page.items.map(blobJson), prefixes: page.prefixes, next_token: page.nextToken };
  });

  app.get('/api/storage/:container/*', {
    exposeHeadRoute: false,
    schema: {
      tags: ['storage'],
      summary: 'Download a blob (honours Range and If-None-Match)',
      params: BlobParams,
      response: { 200: Type.Any({ description: 'The blob bytes' }), 304: Type.Null({ description: 'Not modified' }), 206: Type.Any({ description: 'The requested byte range' }), 404: ErrorSchema, 416: ErrorSchema },
    },
  }, async (request, reply) => {
    const target = ref(request.params.container, request.params['*']);
    const info = await store.head(target);
    if (!info) throw new MeridianError('BLOB_NOT_FOUND', `${target.container}/${target.key} does not exist`);
    const etag = `"${info.etag}"`;
    reply.header('etag', etag).header('accept-ranges', 'bytes').header('last-modified', info.lastModified.toUTCString());
    reply.header('content-type', info.contentType ?? 'application/octet-stream');
    if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
    let range;
    try {
      range = parseRange(request.headers.range, info.size);
    } catch (error) {
      reply.header('content-range', `bytes */${info.size}`);
      throw error;
    }
    const { body } = await store.get(target, range ?? undefined);
    if (range) {
      reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
      reply.header('content-length', range.end - range.start + 1);
    } else {
      reply.header('content-length', info.size);
    }
    return reply.send(body);
  });

  app.head('/api/storage/:container/*', {
    schema: { tags: ['storage'], summary: 'Blob metadata in headers', params: BlobParams },
  }, async (request, reply) => {
    const target = ref(request.params.container, request.params['*']);
    const info = await store.head(target);
    if (!info) return reply.code(404).send();
    return reply
      .header('content-length', info.size)
      .header('etag', `"${info.etag}"`)
      .header('accept-ranges', 'bytes')
      .header('last-modified', info.lastModified.toUTCString())
      .header('content-type', info.contentType ?? 'application/octet-stream')
      .send();
  });

  if (!writable) return;

  app.put('/api/storage/:container/*', {
    schema: {
      tags: ['storage'],
      summary: 'Upload a blob; the body is streamed to storage and limited to MERIDIAN_MAX_UPLOAD_BYTES',
      params: BlobParams,
      response: { 201: BlobInfoSchema, 400: ErrorSchema, 413: ErrorSchema },
    },
  }, async (request, reply) => {
    const target = ref(request.params.container, request.params['*']);
    const maxBytes = runtime.config.maxUploadBytes;
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      throw new MeridianError('PAYLOAD_TOO_LARGE', `the upload declares ${declared} bytes; the limit is ${maxBytes}`);
    }
    const contentType = request.headers['content-type'];
    const info = await store.put(target, (request.body as Readable | undefined) ?? request.raw, {
      maxBytes,
      ...(contentType ? { contentType } : {}),
    });
    return reply.code(201).send(blobJson(info));
  });

  app.delete('/api/storage/:container/*', {
    schema: { tags: ['storage'], summary: 'Delete a blob', params: BlobParams, response: { 204: Type.Null(), 404: ErrorSchema } },
  }, async (request, reply) => {
    const target = ref(request.params.container, request.params['*']);
    if (!(await store.delete(target))) throw new MeridianError('BLOB_NOT_FOUND', `${target.container}/${target.key} does not exist`);
    return reply.code(204).send(null);
  });
};

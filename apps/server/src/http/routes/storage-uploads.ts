import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Readable } from 'node:stream';
import { MeridianError } from '@meridian/core';
import type { Runtime } from '../../runtime.ts';
import { requireRole } from '../auth/auth-hook.ts';
import { DEFAULT_PART_BYTES, MAX_PART_BYTES, MIN_PART_BYTES, UploadSessions, type UploadSession } from '../upload-sessions.ts';
import { BlobInfoSchema, ErrorSchema, blobJson } from './storage-schemas.ts';

const UploadId = Type.String({ pattern: '^[0-9a-f]{32}$' });
const SessionSchema = Type.Object({
  upload_id: UploadId,
  container: Type.String(),
  key: Type.String(),
  size: Type.Integer(),
  part_size: Type.Integer(),
  part_count: Type.Integer(),
  content_type: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Type.String({ format: 'date-time' }),
  received: Type.Array(Type.Integer(), { description: 'Ordinals of the parts that have arrived' }),
  received_bytes: Type.Integer(),
});
const tags = ['storage'];

function sessionJson(session: UploadSession, received: Map<number, number>) {
  const parts = [...received.keys()].sort((a, b) => a - b);
  return { ...session, received: parts, received_bytes: [...received.values()].reduce((sum, size) => sum + size, 0) };
}

/**
 * Resumable chunked uploads for files too large for one request: create a session, PUT its parts in
 * any order (a failed part is simply sent again), GET the session to resume, then complete it.
 */
export const storageUploadRoutes: FastifyPluginAsyncTypebox<{ runtime: Runtime }> = async (app, { runtime }) => {
  const sessions = new UploadSessions(runtime.store, { maxUploadBytes: runtime.config.maxUploadBytes, ttlSeconds: runtime.config.uploadSessionTtlSeconds });
  app.addHook('preHandler', requireRole('admin'));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
  // Parts arrive as raw streams (JSON bodies are still parsed for the other routes).
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  app.post('/api/storage/uploads', {
    schema: {
      tags, summary: 'Start a chunked upload of `size` bytes to container/key',
      body: Type.Object({
        container: Type.String({ maxLength: 63 }),
        key: Type.String({ maxLength: 1024 }),
        size: Type.Integer({ minimum: 1, description: 'The whole file; at most MERIDIAN_MAX_UPLOAD_BYTES' }),
        part_size: Type.Optional(Type.Integer({ minimum: MIN_PART_BYTES, maximum: MAX_PART_BYTES, default: DEFAULT_PART_BYTES })),
        content_type: Type.Optional(Type.String({ maxLength: 255 })),
      }, { additionalProperties: false }),
      response: { 201: SessionSchema, 400: ErrorSchema, 413: ErrorSchema },
    },
  }, async (request, reply) => {
    const { container, key, size, part_size: partSize, content_type: contentType } = request.body;
    const session = await sessions.create({ container, key, size, ...(partSize ? { partSize } : {}), ...(contentType ? { contentType } : {}) });
    return reply.code(201).send(sessionJson(session, new Map()));
  });

  app.get('/api/storage/uploads/:upload_id', {
    schema: { tags, summary: 'A chunked upload and the parts that have arrived (to resume it)', params: Type.Object({ upload_id: Type.String() }), response: { 200: SessionSchema, 404: ErrorSchema } },
  }, async (request) => {
    const session = await sessions.get(request.params.upload_id);
    return sessionJson(session, await sessions.received(session.upload_id));
  });

  app.put('/api/storage/uploads/:upload_id/parts/:part', {
    schema: {
      tags, summary: 'Send part n (0-based) as application/octet-stream: exactly part_size bytes, the last part the rest',
      params: Type.Object({ upload_id: Type.String(), part: Type.Integer({ minimum: 0 }) }),
      response: { 200: Type.Object({ part: Type.Integer(), size: Type.Integer() }), 400: ErrorSchema, 404: ErrorSchema },
    },
  }, async (request) => {
    const body = request.body ?? request.raw;
    if (!(body instanceof Readable)) throw new MeridianError('UPLOAD_PART_INVALID', 'send the part as application/octet-stream');
    const declared = Number(request.headers['content-length']);
    return sessions.putPart(request.params.upload_id, request.params.part, body, Number.isFinite(declared) ? declared : null);
  });

  app.post('/api/storage/uploads/:upload_id/complete', {
    schema: {
      tags, summary: 'Assemble the parts into the blob (it appears whole or not at all) and end the session',
      params: Type.Object({ upload_id: Type.String() }),
      response: { 201: BlobInfoSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (request, reply) => reply.code(201).send(blobJson(await sessions.complete(request.params.upload_id))));

  app.delete('/api/storage/uploads/:upload_id', {
    schema: { tags, summary: 'Abort a chunked upload: its parts are removed', params: Type.Object({ upload_id: Type.String() }), response: { 204: Type.Null(), 404: ErrorSchema } },
  }, async (request, reply) => {
    if (!(await sessions.abort(request.params.upload_id))) throw new MeridianError('UPLOAD_NOT_FOUND', `no upload ${request.params.upload_id}`);
    return reply.code(204).send(null);
  });
};

/** Shapes the storage routes (single-request and chunked uploads) share. */
import { Type } from 'typebox';
import type { BlobInfo } from '@meridian/storage';

export const BlobInfoSchema = Type.Object({
  container: Type.String(),
  key: Type.String(),
  size: Type.Integer(),
  last_modified: Type.String({ format: 'date-time' }),
  etag: Type.String(),
  content_type: Type.Optional(Type.String()),
});

export const ErrorSchema = Type.Object({ code: Type.String(), message: Type.String(), remedy: Type.String() }, { additionalProperties: true });

export function blobJson(info: BlobInfo) {
  return {
    container: info.container,
    key: info.key,
    size: info.size,
    last_modified: info.lastModified.toISOString(),
    etag: info.etag,
    ...(info.contentType ? { content_type: info.contentType } : {}),
  };
}

/** The parts the STAC API is made of: each registers its routes and declares the conformance classes they implement. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Visibility } from '@meridian/stac';
import type { Runtime } from '../../runtime.ts';

export interface StacRouteOptions {
  runtime: Runtime;
  /** What the caller may see of the catalog. */
  visibility(request: FastifyRequest): Visibility;
}

export interface StacModule {
  /** The conformance URIs, exactly as the STAC API specification and its extensions spell them. */
  conformance: readonly string[];
  routes: FastifyPluginAsyncTypebox<StacRouteOptions>;
}

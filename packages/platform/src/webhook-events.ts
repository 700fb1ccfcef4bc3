/** The events partners can receive (contract, "Also": webhooks). */
export const PLATFORM_EVENT_TYPES = ['job.completed', 'job.failed', 'release.approved', 'release.rejected', 'release.revoked', 'release.unpublished'] as const;
export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];

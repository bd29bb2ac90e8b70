/** What jobs/ and test/ may use of expiry, rotation, archival, notifications and the jobs admin. */
export { NotificationService, notificationTopic, type NotifyInput, type NotificationPage } from './notifications/notification.service';
export { NotificationKind, notificationModel, type NotificationDoc } from './notifications/notification.model';
export { ExpiryService, type ExpiryScanResult } from './expiry/expiry.service';
export { expiryNoticeModel, type ExpiryNoticeDoc } from './expiry/expiry.model';
export { RotationService, type RotationRunResult } from './rotation/rotation.service';
export { rotationRunModel, rotationMarkerModel } from './rotation/rotation.model';
export { KeySystemTransitions, EXPIRY_ACTOR, SCHEDULED_ROTATION_ACTOR } from './keys/key-system-transitions';
export { ArchivalService, retentionTargets, type ArchivalRunResult, type RetentionTarget } from './archival/archival.service';
export { archiveModel, type ArchiveDoc, type ArchiveState } from './archival/archive.model';
export type { ArchiveManifest, AuditRange } from './archival/archive-manifest';
export { readLines as readArchiveLines } from './archival/archive-files';
export { JobsAdminService, type QueueOverview } from './jobs-admin/jobs-admin.service';

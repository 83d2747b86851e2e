// The queue (BullMQ on Redis): class gradings and study trials on workers on any number of machines.
// Built as its own bundle (dist/queue.js) and loaded only when a Redis URL is given, so that neither
// the extension nor a local run carries BullMQ.
export { checkRedis, maskUrl, queueTarget, QueueConnectionError, type QueueTarget } from './connection';
export { DEFAULT_QUEUE, KEY_FILE_ENV, REDIS_URL_ENV } from './names';
export { JobCoordinator, JOB_ATTEMPTS, type JobEnd } from './coordinator';
export { QueueGrader } from './grader';
export { gradeJobId, trialJobId, type GradeJobData, type TrialJobData } from './jobs';
export { loadQueueKey, QueueKeyError, type QueueKey } from './signing';
export { openQueueStudy, QueueSetupError, type QueueStudy } from './study';
export { QueueTrialScheduler } from './trialScheduler';
export { DEFAULT_LOCK_MS, MAX_STALLS, QueueWorker, type QueueWorkerOptions } from './worker';

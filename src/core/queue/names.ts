// Names shared by the queue's bundle and the commands that load it (kept apart so that knowing them
// does not load BullMQ).
export const REDIS_URL_ENV = 'MLLABS_REDIS_URL';
export const KEY_FILE_ENV = 'MLLABS_QUEUE_KEY_FILE';
/** Every key ML Labs writes in Redis starts with this (BullMQ's own "bull" prefix is not used). */
export const KEY_PREFIX = 'mllabs';
export const DEFAULT_QUEUE = 'jobs';

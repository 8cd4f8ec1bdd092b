export { type CopyOptions, type CopyResult, copyImage, tagImage } from './copy.js';
export { DockerArchive, indexTar } from './docker-archive.js';
export { type DownloadOptions, downloadBlob } from './download.js';
export {
  DEFAULT_CONCURRENCY,
  type ProgressListener,
  type TransferEvent,
  type TransferOptions,
} from './events.js';
export { blobPath, OciLayoutReader } from './layout.js';
export { createLimiter, type Limiter, runEach } from './limit.js';
export { planFromRegistry, type TransferPlan } from './plan.js';
export { type PullResult, pullImage } from './pull.js';
export { type PushResult, planFromLayout, pushImage, splitLayoutArg } from './push.js';

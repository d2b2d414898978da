export { parseAutoScaleProfile } from './profile.js';
export type { AutoScaleProfile } from './profile.js';
export { AutoScaler } from './scaler.js';
export type { ScaleDecision } from './scaler.js';
export { WorkerPool } from './worker-pool.js';
export type { WorkerPoolOptions, WorkerPoolStats } from './worker-pool.js';
export { AUTO_SCALING_GROUP, PoolScaling } from './pool-scaling.js';

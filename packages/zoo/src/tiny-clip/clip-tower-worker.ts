/**
 * Worker-thread entry of the tower-parallel tiny-clip trainer (built to `dist/clip-tower-worker.js`):
 * trains the tower named in `workerData` (`ClipTowerJob`) and posts its events, then
 * `{ type: 'done', result, params }` or `{ type: 'failed', code, message }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VlpError } from '@vlp/core';
import { type ClipTowerJob, trainClipTower } from './train-clip-tower.js';

const port = parentPort;
if (!port) throw new Error('clip-tower-worker must run in a worker thread.');
try {
  const { result, params } = await trainClipTower(workerData as ClipTowerJob, (event) => port.postMessage({ type: 'event', event }));
  port.postMessage({ type: 'done', result, params });
} catch (error) {
  port.postMessage({
    type: 'failed',
    code: VlpError.isInstance(error) ? error.code : undefined,
    message: error instanceof Error ? error.message : String(error),
    path: VlpError.isInstance(error) ? error.path : undefined,
    tensor: VlpError.isInstance(error) ? error.tensor : undefined,
  });
}

// The entry point of the capture worker thread (see capture-worker.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { CaptureWorker, type WorkerConfig } from './capture-worker.js';

if (parentPort) new CaptureWorker(parentPort, workerData as WorkerConfig).start();

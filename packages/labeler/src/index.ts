/** @tessera/labeler: AI-assisted image and video labeling — server, storage, media, exports, detector. */
export { startServer, type ServerOptions, type RunningServer } from './server.js';
export { createApp } from './api/app.js';
export type { AppConfig } from './api/context.js';
export { openDb } from './storage/open.js';
export type { Db } from './storage/db.js';
export { exportStream, EXPORT_FORMATS, type ExportFormat } from './export/index.js';
export { writeWebDataset } from './export/webdataset.js';
export { parseCoco } from './import/coco.js';
export { parseYoloTar } from './import/yolo.js';
export { VideoFrameSource } from './media/frame-source.js';
export { ingestMedia } from './media/ingest.js';
export { CocoDetector, type Detection } from './detect/coco-human.js';
export { linkDetections, iou } from './detect/link.js';
export { TrackJobs } from './jobs/track-jobs.js';
export type { Annotation, Track, TrackBox, LabelSchema } from './annotations/types.js';

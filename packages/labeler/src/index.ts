/** @tessera/labeler: AI-assisted image and video labeling — server, storage, media, exports, detector. */

export type { Annotation, LabelSchema, Track, TrackBox } from './annotations/types.js';
export { createApp } from './api/app.js';
export type { AppConfig } from './api/context.js';
export { CocoDetector, type Detection } from './detect/coco-human.js';
export { iou, linkDetections } from './detect/link.js';
export { EXPORT_FORMATS, type ExportFormat, exportStream } from './export/index.js';
export { writeWebDataset } from './export/webdataset.js';
export { parseCoco } from './import/coco.js';
export { parseYoloTar } from './import/yolo.js';
export { TrackJobs } from './jobs/track-jobs.js';
export { VideoFrameSource } from './media/frame-source.js';
export { ingestMedia } from './media/ingest.js';
export { type RunningServer, type ServerOptions, startServer } from './server.js';
export type { Db } from './storage/db.js';
export { openDb } from './storage/open.js';

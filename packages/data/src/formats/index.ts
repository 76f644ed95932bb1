export {
  exportKarpathyJson,
  loadKarpathyJson,
  karpathyTokens,
  type KarpathyExportOptions,
  type KarpathyExport,
  type CaptionedImageRecord,
  type KarpathyDataset,
  type LoadKarpathyOptions,
} from './karpathy.js';
export {
  exportImageFolders,
  loadImageFolders,
  shapesVLClassFolder,
  type ImageFolderExport,
  type ImageFolderRecord,
  type ImageFolderDataset,
  type LoadImageFoldersOptions,
} from './image-folders.js';
export {
  exportVqaV2,
  loadVqaV2,
  cocoImageFileName,
  VQA_ANSWERS_PER_QUESTION,
  type VqaV2SplitFiles,
  type VqaV2Export,
  type VqaRecord,
  type VqaV2Dataset,
  type LoadVqaV2Options,
} from './vqa-v2.js';

/** The data pipeline: datasets, splits, fingerprints, multi-crop augmentation and the worker loader. */
export { Rng, derive, hashInts, hashString, type RngState } from "./rng.js";
export { DataError, DataReport, type DataErrorCode, type Problem, type ProblemReason } from "./errors.js";
export { decodeImage, probeImage, encodePng, isImageFile, IMAGE_EXTENSIONS, type DecodeSize, type RgbImage } from "./image.js";
export { SyntheticDataset, syntheticParams, syntheticSample, syntheticLabel, syntheticGroup, type SyntheticParams, type SyntheticSample } from "./synthetic.js";
export { className, shapeClass, MAX_CLASSES, BASE_SHAPES } from "./synthetic-shapes.js";
export { scanImageFolder, type ImageFolderOptions } from "./image-folder.js";
export { scanManifest, type ManifestOptions } from "./manifest.js";
export { scanCopyDetection, type CopyDetectionOptions, type CopyDetectionSet } from "./copy-detection.js";
export { labelsOf, type FileDataset, type ImageItem } from "./dataset.js";
export { codeAttribute, fileAttributes, groupAttribute, type AttributeColumn, type Attributes } from "./attributes.js";
export { fingerprintDataset, fingerprintEntries, fingerprintFolder, fingerprintCopyDetection, fingerprintSynthetic, type Fingerprint, type FingerprintOptions } from "./fingerprint.js";
export { splitByCount, splitByHash, splitSpec, type RecipeSplits, type SplitSpec, type Splits } from "./splits.js";
export { Augmenter, SWAV_AUGMENT, PROBE_AUGMENT, randomResizedCropBox, cropsPerImage, type AugmentParams, type CropSpec, type CropBox } from "./augment.js";
export { DataLoader, defaultWorkers, type Batch, type LoaderOptions, type LoaderStats, type TransformOptions } from "./loader.js";
export { syntheticSource, filesSource, copyDetectionSources, type SourceSpec } from "./source.js";
export { openDataset, splitIndices, cropsFromSpec, type OpenedDataset, type OpenOptions } from "./open.js";

"""The torch engine's data: images from the files a job names, multi-crop augmentation, per-step batches."""

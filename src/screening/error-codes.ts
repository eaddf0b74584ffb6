/** Every error code the screening module emits, with its meaning (rendered into docs/errors.md). */
export const screeningErrorCodes: Readonly<Record<string, string>> = {
  'screening.image-empty': 'The request carries no image bytes (400).',
  'screening.image-too-large': 'The image file exceeds the size limit (413); details.limitBytes gives it.',
  'screening.image-unsupported-type':
    'The bytes are not a PNG or JPEG image (415); details.detected names what they look like (GIF, TIFF, DICOM...).',
  'screening.image-type-mismatch':
    'The Content-Type names one image type but the bytes are another (415); details give both.',
  'screening.image-dimensions':
    'The image is smaller or larger than the accepted dimensions (422); details give the limits.',
  'screening.image-corrupt':
    'The image header or data cannot be decoded (422): truncated, bad checksum, unsupported coding; detail says where.',
  'screening.image-not-found': 'No scanner image has this id (404).',
  'screening.detection-not-found': 'The image has no detection with this id (404).',
  'screening.label-invalid':
    'A review label is inconsistent (400): a confirmation or rejection needs a detection id, an added object needs a class and a box inside the image.',
  'screening.not-configured': 'Image screening is not configured on this server (503).',
  'screening.model-invalid':
    'The model description file is missing, malformed or does not match its ONNX file (details name the field).',
  'screening.model-failed':
    'The ONNX model failed to run on the image (500); the detail gives the runtime message.',
};

// Written by `pnpm --filter @vlp/zoo eval:tiny-clip`; do not edit by hand.
import type { ShapesVLClipMetrics } from './evaluate-tiny-clip.js';

/** tiny-clip on the Shapes-VL test split as measured by `eval:tiny-clip` (percent), and the engine used. */
export const TINY_CLIP_METRICS: { readonly engine: string; readonly full: ShapesVLClipMetrics; readonly subset: ShapesVLClipMetrics } = {
  "engine": "onnx",
  "full": {
    "split": "test",
    "start": 0,
    "count": 1000,
    "templates": [
      "a photo of a {}."
    ],
    "zeroShot": {
      "top1": 45.7,
      "top5": 94.5
    },
    "retrieval": {
      "i2t": {
        "r1": 51.6,
        "r5": 82,
        "r10": 90.8
      },
      "t2i": {
        "r1": 49.74,
        "r5": 91.4,
        "r10": 98.18
      }
    }
  },
  "subset": {
    "split": "test",
    "start": 0,
    "count": 100,
    "templates": [
      "a photo of a {}."
    ],
    "zeroShot": {
      "top1": 49,
      "top5": 92
    },
    "retrieval": {
      "i2t": {
        "r1": 87,
        "r5": 99,
        "r10": 100
      },
      "t2i": {
        "r1": 87.8,
        "r5": 100,
        "r10": 100
      }
    }
  }
};

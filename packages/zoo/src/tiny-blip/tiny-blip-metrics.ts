// Written by `pnpm --filter @vlp/zoo eval:tiny-blip`; do not edit by hand.
import type { ShapesVLBlipMetrics } from './evaluate-tiny-blip.js';

/** The tiny BLIP checkpoints on the Shapes-VL test split as measured by `eval:tiny-blip`, and the engine used. */
export const TINY_BLIP_METRICS: { readonly engine: string; readonly full: ShapesVLBlipMetrics; readonly subset: ShapesVLBlipMetrics } = {
  "engine": "onnx",
  "full": {
    "split": "test",
    "start": 0,
    "count": 1000,
    "retrieval": {
      "rerankK": 16,
      "i2t": {
        "r1": 67.6,
        "r5": 86.6,
        "r10": 94.6
      },
      "t2i": {
        "r1": 62.08,
        "r5": 96.98,
        "r10": 99.86
      },
      "itcOnly": {
        "i2t": {
          "r1": 66.7,
          "r5": 83.7,
          "r10": 92.5
        },
        "t2i": {
          "r1": 64.32,
          "r5": 96.86,
          "r10": 99.36
        }
      }
    },
    "captioning": {
      "bleu4": 0.7465468412083601,
      "ciderD": 4.132415722723415
    },
    "vqa": {
      "accuracy": 76.61111111111111,
      "questions": 9000
    }
  },
  "subset": {
    "split": "test",
    "start": 0,
    "count": 50,
    "retrieval": {
      "rerankK": 16,
      "i2t": {
        "r1": 92,
        "r5": 98,
        "r10": 100
      },
      "t2i": {
        "r1": 93.6,
        "r5": 100,
        "r10": 100
      },
      "itcOnly": {
        "i2t": {
          "r1": 92,
          "r5": 98,
          "r10": 100
        },
        "t2i": {
          "r1": 96,
          "r5": 100,
          "r10": 100
        }
      }
    },
    "captioning": {
      "bleu4": 0.7285910924820096,
      "ciderD": 3.9796296137663245
    },
    "vqa": {
      "accuracy": 76.66666666666667,
      "questions": 450
    }
  }
};

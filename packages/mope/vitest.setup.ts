import * as tf from '@tensorflow/tfjs';

// Kernel and conformance tests run on the plain CPU backend, without tfjs' Node.js banner.
// (The tiny-checkpoint tests run their forwards on ONNX Runtime or on this tfjs backend.)
tf.env().set('PROD', true);
await tf.setBackend('cpu');

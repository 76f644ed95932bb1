import * as tf from '@tensorflow/tfjs';

// Kernel and conformance tests run on the plain CPU backend, without tfjs' Node.js banner.
// (The clip-tiny parity test switches to the backend initBackend() picks.)
tf.env().set('PROD', true);
await tf.setBackend('cpu');

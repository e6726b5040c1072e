import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../init-engine.js';
import { patchedKernels, patchWasmKernels, restoreKernels } from '../kernel-patches.js';
import { liveCounts, maxError, randomValues, runOn } from '../testing/parity-testing.js';
import { productPlan, swapsOperands } from './matmul-operands.js';
import { smallProductForm } from './wasm-small-batched-product.js';

const FLAGS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** Operand shapes for `matMul(a, b, transposeA, transposeB)` giving a product [...batch, m, n]. */
function operandShapes(
  aBatch: number[],
  bBatch: number[],
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
): [number[], number[]] {
  return [
    [...aBatch, ...(tA ? [k, m] : [m, k])],
    [...bBatch, ...(tB ? [n, k] : [k, n])],
  ];
}

/**
 * Product and gradients of `sum(matMul(a, b) · w)` with respect to a and b. tfjs's BatchMatMul gradient does
 * not reduce over broadcast batch dimensions (on any backend), so broadcasting products go without gradients.
 */
function matMulAndGrads(aShape: number[], bShape: number[], tA: boolean, tB: boolean, seed: number, withGrads = true): () => tf.Tensor[] {
  const k = tA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  const aValues = randomValues(tf.util.sizeFromShape(aShape), seed, 1 / Math.sqrt(k));
  const bValues = randomValues(tf.util.sizeFromShape(bShape), seed + 1);
  return () => {
    const a = tf.tensor(aValues, aShape);
    const b = tf.tensor(bValues, bShape);
    const product = tf.matMul(a, b, tA, tB);
    if (!withGrads) return [product];
    const w = tf.tensor(randomValues(product.size, seed + 2), product.shape);
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, tA, tB), w)))([a, b]);
    return [product, da, db];
  };
}

/** `tolerance`: relative, float32 rounding of sums over k terms in another order (grows with k). */
async function expectParity(compute: () => tf.Tensor[], tolerance = 1e-5): Promise<void> {
  const expected = await runOn('cpu', compute);
  const actual = await runOn('wasm', compute);
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, i) => expect(maxError(values, expected[i]), `output ${i}`).toBeLessThan(tolerance));
}

// The wasm backend with its patches, whatever EKTM_BACKEND made the engine pick; back to the engine after.
beforeAll(async () => {
  await tf.setBackend('wasm');
  patchWasmKernels();
});

afterAll(async () => {
  await initEngine();
});

describe('BatchMatMul on wasm', () => {
  for (const [tA, tB] of FLAGS) {
    it(`2-D [64×40]·[40×24] transposeA=${tA} transposeB=${tB}: product and gradients match cpu`, async () => {
      const [aShape, bShape] = operandShapes([], [], 64, 40, 24, tA, tB);
      await expectParity(matMulAndGrads(aShape, bShape, tA, tB, 10));
    });

    it(`batched 3-D [4,16,8]·[4,8,12] transposeA=${tA} transposeB=${tB}: product and gradients match cpu`, async () => {
      const [aShape, bShape] = operandShapes([4], [4], 16, 8, 12, tA, tB);
      await expectParity(matMulAndGrads(aShape, bShape, tA, tB, 20));
    });
  }

  const broadcasts: [number[], number[]][] = [
    [[4], []],
    [[4], [1]],
    [[1], [4]],
    [[], [4]],
    [[2, 3], [3]],
    [
      [2, 3],
      [1, 1],
    ],
  ];
  for (const [aBatch, bBatch] of broadcasts) {
    it(`broadcast batch [${aBatch}]·[${bBatch}] matches cpu for every transpose`, async () => {
      for (const [tA, tB] of FLAGS) {
        const [aShape, bShape] = operandShapes(aBatch, bBatch, 6, 5, 7, tA, tB);
        await expectParity(matMulAndGrads(aShape, bShape, tA, tB, 30, false));
      }
    });
  }

  // m·k·n = 38,400: large enough for one XNNPACK product per batch entry.
  for (const [tA, tB] of FLAGS) {
    it(`both batched, per-batch products [3,40,32]·[3,32,30] transposeA=${tA} transposeB=${tB}: product and gradients match cpu`, async () => {
      const [aShape, bShape] = operandShapes([3], [3], 40, 32, 30, tA, tB);
      await expectParity(matMulAndGrads(aShape, bShape, tA, tB, 25));
    });
  }

  it('both batched with two batch axes [2,2,40,32]·[2,2,32,30] matches cpu, gradients included', async () => {
    await expectParity(matMulAndGrads([2, 2, 40, 32], [2, 2, 32, 30], false, false, 27));
    await expectParity(matMulAndGrads([2, 2, 32, 40], [2, 2, 30, 32], true, true, 28));
  });

  // k·n = 2^20 and n ≥ 2m: computed as (op(B)ᵀ·op(A)ᵀ)ᵀ.
  for (const [tA, tB] of FLAGS) {
    it(`a wide B, swapped operands, [8,1024]·[1024,1024] transposeA=${tA} transposeB=${tB}: product and gradients match cpu`, async () => {
      const [aShape, bShape] = operandShapes([], [], 8, 1024, 1024, tA, tB);
      await expectParity(matMulAndGrads(aShape, bShape, tA, tB, 35), 1e-4);
    });
  }

  it('swaps the operands only for a large B much wider than A is tall', () => {
    expect(swapsOperands(160, 2048, 1024)).toBe(true); // the weight gradient Xᵀ·dY of the benchmark's first layer
    expect(swapsOperands(2048, 160, 1024)).toBe(false); // its forward product
    expect(swapsOperands(1, 160, 1024)).toBe(false); // serving one row: B small, its packing cached
    expect(swapsOperands(600, 2048, 1024)).toBe(false);
  });

  it('the gate mixing of a mixture of experts ([64,2,4]·[64,4,128]) and its gradients match cpu', async () => {
    await expectParity(matMulAndGrads([64, 2, 4], [64, 4, 128], false, false, 37));
  });

  // Tiny products as element-wise kernels: the axpy form (long n) and the dot form (long k), every flag.
  for (const [tA, tB] of FLAGS) {
    it(`tiny products, axpy form [64,3,3]·[64,3,40] and dot form [64,3,40]·[64,40,2], transposeA=${tA} transposeB=${tB}: products and gradients match cpu`, async () => {
      const [aShape, bShape] = operandShapes([64], [64], 3, 3, 40, tA, tB);
      await expectParity(matMulAndGrads(aShape, bShape, tA, tB, 41));
      const [dotA, dotB] = operandShapes([64], [64], 3, 40, 2, tA, tB);
      await expectParity(matMulAndGrads(dotA, dotB, tA, tB, 42));
    });
  }

  it('tiny products with two batch axes, one row (m = 1) and one column (n = 1) match cpu', async () => {
    await expectParity(matMulAndGrads([2, 32, 3, 3], [2, 32, 3, 40], false, false, 43));
    await expectParity(matMulAndGrads([16, 1, 4], [16, 4, 32], false, false, 44));
    await expectParity(matMulAndGrads([16, 2, 32], [16, 32, 1], false, false, 45));
  });

  it('picks the axpy form for long rows, the dot form for long inner products, neither when the work is too fine', () => {
    expect(smallProductForm(3, 3, 128)).toBe('axpy');
    expect(smallProductForm(2, 128, 4)).toBe('dot');
    expect(smallProductForm(8, 8, 8)).toBeUndefined();
    expect(smallProductForm(8, 8, 128)).toBeUndefined(); // 64 products
  });

  it('plans one XNNPACK product, one per batch entry, or the loop, by the operand shapes', () => {
    expect(productPlan([4, 2048, 160], [160, 256])).toBe('single');
    expect(productPlan([4, 2048, 160], [1, 160, 256])).toBe('single');
    expect(productPlan([4, 2048, 256], [4, 256, 128])).toBe('perBatch');
    expect(productPlan([2, 2, 40, 32], [2, 2, 32, 30])).toBe('perBatch');
    expect(productPlan([2048, 2, 4], [2048, 4, 128])).toBe('small'); // many tiny products: element-wise kernels
    expect(productPlan([2048, 2, 128], [2048, 128, 4])).toBe('small');
    expect(productPlan([2048, 8, 8], [2048, 8, 8])).toBe('loop'); // tiny all round
    expect(productPlan([1, 40, 32], [3, 32, 30])).toBe('loop'); // broadcast A
  });

  it('[2048×160]·[160×256] gradient (the dense layer of the benchmark model) matches cpu', async () => {
    await expectParity(matMulAndGrads([2048, 160], [160, 256], false, false, 40));
  });

  it('leaks no tensors and no wasm buffers', () => {
    const a = tf.tensor(randomValues(3 * 5 * 4, 1), [3, 5, 4]);
    const b = tf.tensor(randomValues(4 * 6, 2), [4, 6]);
    const bt = tf.tensor(randomValues(3 * 6 * 4, 3), [3, 6, 4]);
    const big = tf.tensor(randomValues(3 * 40 * 32, 4), [3, 40, 32]);
    const gates = tf.tensor(randomValues(16 * 2 * 4, 6), [16, 2, 4]);
    const experts = tf.tensor(randomValues(16 * 4 * 32, 7), [16, 4, 32]);
    const bigB = tf.tensor(randomValues(3 * 30 * 32, 5), [3, 30, 32]);
    const run = (): void => {
      for (const [tA, tB] of FLAGS) {
        tf.tidy(() => {
          tf.matMul(tA ? tf.transpose(a, [0, 2, 1]) : a, tB ? tf.transpose(b) : b, tA, tB);
          tf.matMul(a, bt, false, true);
          tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, false, true)))([a, bt]);
          tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, false, true)))([big, bigB]);
          tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)))([gates, experts]);
        });
      }
    };
    run();
    const before = liveCounts();
    run();
    expect(liveCounts()).toEqual(before);
    tf.dispose([a, b, bt, big, bigB, gates, experts]);
  });
});

/** Fused product `activation(matMul(a, b) + bias)` and gradients of `sum(· w)` with respect to a, b and bias. */
function fusedAndGrads(
  aShape: number[],
  bShape: number[],
  biasShape: number[],
  tA: boolean,
  tB: boolean,
  activation: tf.fused.Activation,
  seed: number,
  withGrads = true,
): () => tf.Tensor[] {
  const k = tA ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  const aValues = randomValues(tf.util.sizeFromShape(aShape), seed, 1 / Math.sqrt(k));
  const bValues = randomValues(tf.util.sizeFromShape(bShape), seed + 1);
  const biasValues = randomValues(tf.util.sizeFromShape(biasShape), seed + 2, 0.5);
  return () => {
    const a = tf.tensor(aValues, aShape);
    const b = tf.tensor(bValues, bShape);
    const bias = tf.tensor(biasValues, biasShape);
    const alpha = activation === 'prelu' ? tf.scalar(0.1) : undefined;
    const f = (x: tf.Tensor, y: tf.Tensor, c: tf.Tensor): tf.Tensor =>
      tf.fused.matMul({
        a: x,
        b: y,
        transposeA: tA,
        transposeB: tB,
        bias: c,
        activation,
        preluActivationWeights: alpha,
        leakyreluAlpha: 0.3,
      });
    const product = f(a, b, bias);
    if (!withGrads) return [product];
    const w = tf.tensor(randomValues(product.size, seed + 3), product.shape);
    return [product, ...tf.grads((x: tf.Tensor, y: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(x, y, c), w)))([a, b, bias])];
  };
}

describe('_FusedMatMul on wasm (tf.fused.matMul)', () => {
  for (const [tA, tB] of FLAGS) {
    it(`2-D with bias and relu, transposeA=${tA} transposeB=${tB}: forward and gradients match cpu`, async () => {
      const [aShape, bShape] = operandShapes([], [], 32, 20, 12, tA, tB);
      await expectParity(fusedAndGrads(aShape, bShape, [12], tA, tB, 'relu', 50));
    });

    it(`batched 3-D with bias and relu, transposeA=${tA} transposeB=${tB}: forward and gradients match cpu`, async () => {
      const [aShape, bShape] = operandShapes([3], [3], 10, 6, 9, tA, tB);
      await expectParity(fusedAndGrads(aShape, bShape, [9], tA, tB, 'relu', 60));
    });
  }

  for (const [tA, tB] of FLAGS) {
    it(`both batched, per-batch products, with bias and relu, transposeA=${tA} transposeB=${tB}: forward and gradients match cpu`, async () => {
      const [aShape, bShape] = operandShapes([3], [3], 40, 32, 30, tA, tB);
      await expectParity(fusedAndGrads(aShape, bShape, [30], tA, tB, 'relu', 65));
    });
  }

  it('both batched, per-batch products: every activation, a per-expert bias [3,1,n], a rank-2 bias, and no bias match cpu', async () => {
    for (const activation of ['linear', 'sigmoid', 'leakyrelu', 'prelu'] as tf.fused.Activation[]) {
      await expectParity(fusedAndGrads([3, 40, 32], [3, 32, 30], [30], false, false, activation, 66, false));
    }
    await expectParity(fusedAndGrads([3, 40, 32], [3, 32, 30], [3, 1, 30], false, false, 'relu', 67));
    await expectParity(fusedAndGrads([3, 40, 32], [3, 32, 30], [40, 30], false, false, 'elu', 68, false));
    await expectParity(() => {
      const a = tf.tensor(randomValues(3 * 40 * 32, 69), [3, 40, 32]);
      const b = tf.tensor(randomValues(3 * 32 * 30, 70), [3, 32, 30]);
      return [tf.fused.matMul({ a, b, activation: 'relu' })];
    });
  });

  it('tiny products with bias and relu, transposed or not, match cpu', async () => {
    await expectParity(fusedAndGrads([64, 3, 3], [64, 3, 40], [40], false, false, 'relu', 77));
    await expectParity(fusedAndGrads([64, 40, 3], [64, 2, 40], [2], true, true, 'sigmoid', 78, false));
  });

  it('a wide B, swapped operands, with bias and relu, transposed or not, matches cpu', async () => {
    await expectParity(fusedAndGrads([8, 1024], [1024, 1024], [1024], false, false, 'relu', 75, false), 1e-4);
    await expectParity(fusedAndGrads([1024, 8], [1024, 1024], [1024], true, true, 'sigmoid', 76, false), 1e-4);
  });

  it('a batch against a shared matrix, with bias and relu, matches cpu', async () => {
    await expectParity(fusedAndGrads([5, 10, 6], [1, 6, 9], [9], false, false, 'relu', 70, false));
    await expectParity(fusedAndGrads([5, 6, 10], [1, 9, 6], [9], true, true, 'relu', 71, false));
  });

  for (const activation of ['linear', 'relu6', 'sigmoid', 'elu', 'leakyrelu', 'prelu'] as tf.fused.Activation[]) {
    it(`activation ${activation} with bias matches cpu, batched and transposed`, async () => {
      await expectParity(fusedAndGrads([3, 7, 5], [3, 5, 4], [4], false, false, activation, 80, false));
      await expectParity(fusedAndGrads([7, 5], [4, 5], [4], false, true, activation, 81, false));
    });
  }

  it('a bias of rank 2 ([1, n] or [m, n]) works and matches cpu', async () => {
    await expectParity(fusedAndGrads([8, 5], [5, 4], [1, 4], false, false, 'relu', 90));
    await expectParity(fusedAndGrads([8, 5], [5, 4], [8, 4], false, false, 'linear', 91));
  });

  it('leaks no tensors and no wasm buffers', () => {
    const a = tf.tensor(randomValues(2 * 5 * 4, 1), [2, 5, 4]);
    const b = tf.tensor(randomValues(2 * 4 * 6, 2), [2, 4, 6]);
    const bias = tf.tensor1d(randomValues(6, 3));
    const run = (): void => {
      for (const [tA, tB] of FLAGS) {
        const x = tA ? tf.transpose(a, [0, 2, 1]) : a;
        const y = tB ? tf.transpose(b, [0, 2, 1]) : b;
        tf.tidy(() => {
          tf.fused.matMul({ a: x, b: y, transposeA: tA, transposeB: tB, bias, activation: 'relu' });
          tf.grads((p: tf.Tensor, q: tf.Tensor, c: tf.Tensor) =>
            tf.sum(tf.fused.matMul({ a: p, b: q, transposeA: tA, transposeB: tB, bias: c, activation: 'relu' })),
          )([x, y, bias]);
        });
        if (x !== a) x.dispose();
        if (y !== b) y.dispose();
      }
    };
    run();
    const before = liveCounts();
    run();
    expect(liveCounts()).toEqual(before);
    tf.dispose([a, b, bias]);
  });
});

describe('patch installation', () => {
  it('is idempotent and can be undone', () => {
    expect(patchWasmKernels()).toEqual([]);
    const restored = restoreKernels('wasm');
    expect(restored).toEqual([
      'wasm/UnsortedSegmentSum',
      'wasm/BatchMatMul',
      'wasm/_FusedMatMul',
      'wasm/Identity',
      'wasm/Unpack',
      'wasm/Sum',
      'wasm/GatherV2',
      'wasm/SplitV',
      'wasm/Transpose',
      'wasm/Cast',
      'wasm/Neg',
      'wasm/Square',
      'wasm/Step',
      'wasm/ClipByValue',
      'wasm/Relu',
      'wasm/Sigmoid',
      'wasm/Add',
      'wasm/Sub',
      'wasm/Multiply',
      'wasm/RealDiv',
    ]);
    expect(patchedKernels('wasm')).toEqual([]);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeUndefined();
    expect(patchWasmKernels()).toEqual([
      'UnsortedSegmentSum',
      'BatchMatMul',
      '_FusedMatMul',
      'Identity',
      'Unpack',
      'Sum',
      'GatherV2',
      'SplitV',
      'Transpose',
      'Cast',
      'Neg',
      'Square',
      'Step',
      'ClipByValue',
      'Relu',
      'Sigmoid',
      'Add',
      'Sub',
      'Multiply',
      'RealDiv',
    ]);
  });
});

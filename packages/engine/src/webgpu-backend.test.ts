import { describe, expect, it } from 'vitest';
import { describeAdapter, isSoftwareAdapter } from './webgpu-backend.js';

const swiftShader = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: 'swiftshader-device-subzero-',
  description: 'SwiftShader driver 5.0.0',
};
const nvidia = { vendor: 'nvidia', architecture: 'ampere', device: 'NVIDIA GeForce RTX 3080', description: 'NVIDIA: 535.104.05' };

describe('webgpu adapters', () => {
  it('tells software renderers from GPUs: SwiftShader, llvmpipe, lavapipe and fallback adapters are software', () => {
    expect(isSoftwareAdapter(swiftShader, false)).toBe(true);
    expect(isSoftwareAdapter({ ...nvidia, vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, false)).toBe(true);
    expect(isSoftwareAdapter({ ...nvidia, description: 'lavapipe' }, false)).toBe(true);
    expect(isSoftwareAdapter(nvidia, true)).toBe(true);
    expect(isSoftwareAdapter(nvidia, false)).toBe(false);
  });

  it('names an adapter in one line, saying whether it is software', () => {
    expect(describeAdapter({ ...swiftShader, software: true })).toBe('SwiftShader driver 5.0.0 (google swiftshader, software)');
    expect(describeAdapter({ ...nvidia, software: false })).toBe('NVIDIA: 535.104.05 (nvidia ampere, hardware)');
    expect(describeAdapter({ vendor: '', architecture: '', device: '', description: '', software: false })).toBe(
      'unnamed adapter (hardware)',
    );
  });
});

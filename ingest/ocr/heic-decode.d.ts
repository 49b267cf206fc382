// Types for heic-decode 2.1 (the package ships none): only the part the archive uses.
declare module 'heic-decode' {
  interface DecodedImage {
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }
  interface HeifImage {
    width: number;
    height: number;
    decode(): Promise<DecodedImage>;
  }
  interface DecodeHeif {
    (input: { buffer: ArrayBufferLike | Uint8Array }): Promise<DecodedImage>;
    /** Every top-level image, undecoded until asked; `dispose` frees them all. */
    all(input: { buffer: ArrayBufferLike | Uint8Array }): Promise<HeifImage[] & { dispose(): void }>;
  }
  const decodeHeif: DecodeHeif;
  export default decodeHeif;
}

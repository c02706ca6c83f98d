//! How large an image glyph agrees to decode, shared by every decoder (`process` and
//! `heic`).

/// Decoding refuses anything that would need more than this, which stops decompression
/// bombs (a small PNG that declares 30000×30000 pixels) before they allocate. It is
/// enough for a 200-megapixel photo.
pub(crate) const MAX_DECODE_BYTES: u64 = 768 * 1024 * 1024;
/// Nor more pixels than this on either side, whatever the memory.
pub(crate) const MAX_SIDE: u32 = 40_000;

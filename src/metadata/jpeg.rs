//! JPEG structure: whether a file is whole, and whether its image data is damaged.
//!
//! The decoders glyph uses are lenient: jpeg-decoder and zune-jpeg fill a block they
//! cannot read with grey and carry on, so a photo whose bytes were damaged in a copy is
//! published with a smear and no word said. libjpeg warns ("Corrupt JPEG data: bad
//! Huffman code", "premature end of data segment", "extraneous bytes before marker");
//! `damage` finds the same things by walking the entropy-coded data of a baseline JPEG
//! block by block, without the inverse DCT: a few milliseconds for a 12-MP photo, once
//! per photo (the result is cached with its facts). Progressive files are not walked.

/// A JPEG whose entropy-coded data was cut off has no end-of-image marker after its
/// first scan. (Some decoders quietly fill the missing part with grey; we refuse instead.)
pub(crate) fn is_complete(bytes: &[u8]) -> bool {
    let mut i = 2; // after SOI
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return false;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        if marker == 0xDA {
            // Start of scan: the image data follows; it must end with EOI somewhere.
            return bytes[i..].windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        if (0xD0..=0xD9).contains(&marker) || marker == 0x01 {
            i += 2;
            continue;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        i += 2 + len;
    }
    false
}

/// What is wrong with a baseline JPEG's image data, if anything. `None` also for
/// files it does not walk (progressive, arithmetic-coded, malformed headers: the
/// decoder speaks for those).
pub(crate) fn damage(bytes: &[u8]) -> Option<String> {
    let mut frame: Option<Frame> = None;
    let mut tables: [Option<Huffman>; 8] = Default::default();
    let mut interval = 0usize;
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        if marker == 0xD9 {
            return None;
        }
        let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
        let body = bytes.get(i + 4..i + 2 + len)?;
        match marker {
            0xC0 | 0xC1 => frame = Some(Frame::parse(body)?),
            // Progressive, lossless, arithmetic: not walked.
            0xC2..=0xCF if marker != 0xC4 && marker != 0xC8 && marker != 0xCC => return None,
            0xC4 => define_tables(body, &mut tables)?,
            0xDD => interval = u16::from_be_bytes([*body.first()?, *body.get(1)?]) as usize,
            0xDA => {
                let scan = Scan::parse(body, frame.as_ref()?, &tables)?;
                let data = &bytes[i + 2 + len..];
                match scan.walk(data, interval) {
                    Ok(end) => {
                        i += 2 + len + end;
                        continue;
                    }
                    Err(why) => return Some(why.to_string()),
                }
            }
            _ => {}
        }
        i += 2 + len;
    }
    None
}

struct Component {
    id: u8,
    h: usize,
    v: usize,
}

struct Frame {
    width: usize,
    height: usize,
    components: Vec<Component>,
}

impl Frame {
    fn parse(b: &[u8]) -> Option<Frame> {
        let height = u16::from_be_bytes([*b.get(1)?, *b.get(2)?]) as usize;
        let width = u16::from_be_bytes([*b.get(3)?, *b.get(4)?]) as usize;
        let n = *b.get(5)? as usize;
        let components = (0..n)
            .map(|k| {
                let c = b.get(6 + 3 * k..9 + 3 * k)?;
                let (h, v) = ((c[1] >> 4) as usize, (c[1] & 15) as usize);
                (h > 0 && v > 0).then_some(Component { id: c[0], h, v })
            })
            .collect::<Option<Vec<_>>>()?;
        (width > 0 && height > 0 && !components.is_empty()).then_some(Frame {
            width,
            height,
            components,
        })
    }

    fn max(&self) -> (usize, usize) {
        let h = self.components.iter().map(|c| c.h).max().unwrap_or(1);
        let v = self.components.iter().map(|c| c.v).max().unwrap_or(1);
        (h, v)
    }
}

/// Bits of the lookup that decodes most codes at once.
const FAST: usize = 10;

/// A Huffman table as the decoder reads it: the longest codes of each length, and a
/// lookup of the codes of up to 8 bits.
#[derive(Clone)]
struct Huffman {
    /// Per length 1..=16: (largest code + 1, index of its first symbol − first code).
    limits: [(u32, i32); 17],
    symbols: Vec<u8>,
    /// 10-bit prefix → (length, symbol, length with the value's bits that follow the
    /// code, or 0 when they do not fit); length 0 when the code is longer.
    fast: Box<[(u8, u8, u8); 1 << FAST]>,
    /// Whether the symbols are AC ones (run and size) rather than DC sizes.
    ac: bool,
}

impl Huffman {
    /// How many value bits follow the code of `sym`.
    fn extra(&self, sym: u8) -> u32 {
        u32::from(if self.ac { sym & 15 } else { sym })
    }

    fn new(counts: &[u8], symbols: &[u8], ac: bool) -> Option<Huffman> {
        let mut limits = [(0u32, 0i32); 17];
        let mut fast = Box::new([(0u8, 0u8, 0u8); 1 << FAST]);
        let (mut code, mut k) = (0u32, 0usize);
        for len in 1..=16 {
            let n = counts[len - 1] as usize;
            limits[len] = (code + n as u32, k as i32 - code as i32);
            for _ in 0..n {
                if len <= FAST {
                    let first = (code << (FAST - len)) as usize;
                    let sym = *symbols.get(k)?;
                    let extra = usize::from(if ac { sym & 15 } else { sym });
                    let total = if len + extra <= FAST { len + extra } else { 0 };
                    for slot in &mut fast[first..first + (1 << (FAST - len))] {
                        *slot = (len as u8, sym, total as u8);
                    }
                }
                code += 1;
                k += 1;
            }
            if code > 1 << len {
                return None;
            }
            code <<= 1;
        }
        Some(Huffman {
            limits,
            symbols: symbols.to_vec(),
            fast,
            ac,
        })
    }
}

fn define_tables(mut b: &[u8], tables: &mut [Option<Huffman>; 8]) -> Option<()> {
    while !b.is_empty() {
        let (class, id) = ((b[0] >> 4) as usize, (b[0] & 15) as usize);
        let counts = b.get(1..17)?;
        let n: usize = counts.iter().map(|&c| c as usize).sum();
        let symbols = b.get(17..17 + n)?;
        if class > 1 || id > 3 {
            return None;
        }
        tables[class * 4 + id] = Some(Huffman::new(counts, symbols, class == 1)?);
        b = &b[17 + n..];
    }
    Some(())
}

/// One scan: its components' block layout and tables.
struct Scan<'a> {
    /// Per component in the scan: (blocks across, blocks down per MCU, DC, AC table).
    parts: Vec<(usize, usize, &'a Huffman, &'a Huffman)>,
    mcus: usize,
}

impl<'a> Scan<'a> {
    fn parse(b: &[u8], frame: &Frame, tables: &'a [Option<Huffman>; 8]) -> Option<Scan<'a>> {
        let n = *b.first()? as usize;
        let tail = b.get(1 + 2 * n..4 + 2 * n)?;
        // Spectral selection or successive approximation: not a baseline scan.
        if tail != [0, 63, 0] {
            return None;
        }
        let (hmax, vmax) = frame.max();
        let mut parts = Vec::with_capacity(n);
        for k in 0..n {
            let (id, t) = (*b.get(1 + 2 * k)?, *b.get(2 + 2 * k)?);
            let c = frame.components.iter().find(|c| c.id == id)?;
            let dc = tables[(t >> 4) as usize & 3].as_ref()?;
            let ac = tables[4 + (t & 3) as usize].as_ref()?;
            parts.push((c.h, c.v, dc, ac));
        }
        let mcus = if n == 1 {
            // A scan of one component goes block by block over that component alone.
            let c = frame.components.iter().find(|c| c.id == b[1])?;
            parts[0].0 = 1;
            parts[0].1 = 1;
            let w = (frame.width * c.h).div_ceil(hmax);
            let h = (frame.height * c.v).div_ceil(vmax);
            w.div_ceil(8) * h.div_ceil(8)
        } else {
            frame.width.div_ceil(8 * hmax) * frame.height.div_ceil(8 * vmax)
        };
        Some(Scan { parts, mcus })
    }

    /// Read every block; `Ok` with the offset of the marker that ends the scan.
    fn walk(&self, data: &[u8], interval: usize) -> Result<usize, Damage> {
        let mut bits = Bits::new(data);
        let mut next_rst = 0u8;
        for m in 0..self.mcus {
            if interval > 0 && m > 0 && m % interval == 0 {
                bits.restart(0xD0 + next_rst)?;
                next_rst = (next_rst + 1) % 8;
            }
            for &(h, v, dc, ac) in &self.parts {
                for _ in 0..h * v {
                    block(&mut bits, dc, ac)?;
                }
            }
        }
        bits.finish()
    }
}

/// What `damage` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Damage {
    BadCode,
    Cut,
    LongBlock,
    Restart,
    Extra(usize),
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Damage::BadCode => write!(
                f,
                "a code in its image data means nothing (bad Huffman code)"
            ),
            Damage::Cut => write!(
                f,
                "its image data ends before the last block (premature end of data)"
            ),
            Damage::LongBlock => write!(f, "a block of its image data runs past its 64 values"),
            Damage::Restart => write!(
                f,
                "a restart marker of its image data is missing or out of order"
            ),
            Damage::Extra(n) => write!(
                f,
                "{n} bytes of its image data come after the last block (extraneous data)"
            ),
        }
    }
}

fn block(bits: &mut Bits, dc: &Huffman, ac: &Huffman) -> Result<(), Damage> {
    if bits.symbol(dc)? > 11 {
        return Err(Damage::BadCode);
    }
    let mut k = 1;
    while k < 64 {
        let rs = bits.symbol(ac)?;
        let (r, s) = ((rs >> 4) as usize, rs & 15);
        if s == 0 {
            if r != 15 {
                return Ok(()); // end of block
            }
            k += 16;
            continue;
        }
        k += r + 1;
    }
    if k > 64 {
        return Err(Damage::LongBlock);
    }
    Ok(())
}

/// The entropy-coded bits of a scan: stuffed `FF 00` bytes read as `FF`, and a marker
/// ends them.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    acc: u64,
    /// Bits in `acc`, counted from its top.
    have: u32,
    /// The offset of the marker reached, once reached.
    marker: Option<usize>,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Bits<'a> {
        Bits {
            data,
            pos: 0,
            acc: 0,
            have: 0,
            marker: None,
        }
    }

    fn fill(&mut self) {
        // Eight bytes at a time while none is FF (almost all of them).
        if let Some(word) = self.data.get(self.pos..self.pos + 8) {
            let word = u64::from_be_bytes(word.try_into().expect("eight bytes"));
            let x = !word;
            let has_ff = x.wrapping_sub(0x0101_0101_0101_0101) & !x & 0x8080_8080_8080_8080 != 0;
            if !has_ff && self.have <= 56 {
                let take = (64 - self.have) / 8;
                self.acc |= (word >> (64 - 8 * take)) << (64 - self.have - 8 * take);
                self.pos += take as usize;
                self.have += 8 * take;
                return;
            }
        }
        while self.have <= 56 && self.marker.is_none() {
            let Some(&b) = self.data.get(self.pos) else {
                self.marker = Some(self.pos);
                break;
            };
            if b == 0xFF {
                match self.data.get(self.pos + 1) {
                    Some(0x00) => self.pos += 1,
                    _ => {
                        self.marker = Some(self.pos);
                        break;
                    }
                }
            }
            self.pos += 1;
            self.acc |= u64::from(b) << (56 - self.have);
            self.have += 8;
        }
    }

    fn peek(&mut self, n: u32) -> Result<u32, Damage> {
        if self.have < n {
            self.fill();
            if self.have < n {
                return Err(Damage::Cut);
            }
        }
        Ok((self.acc >> (64 - n)) as u32)
    }

    fn skip(&mut self, n: u32) -> Result<(), Damage> {
        if n > self.have {
            self.peek(n)?;
        }
        // n is at most 16 here, so the shift never overflows.
        self.acc <<= n;
        self.have -= n;
        Ok(())
    }

    /// A symbol and the value bits after it, skipped. Most codes and their value bits
    /// fit the 10-bit lookup together; the rest are read code by code.
    fn symbol(&mut self, t: &Huffman) -> Result<u8, Damage> {
        if self.have < 32 {
            self.fill();
        }
        let (len, sym, total) = t.fast[(self.acc >> (64 - FAST)) as usize];
        if total > 0 && u32::from(total) <= self.have {
            self.acc <<= total;
            self.have -= u32::from(total);
            return Ok(sym);
        }
        let sym = if len > 0 && u32::from(len) <= self.have {
            self.acc <<= len;
            self.have -= u32::from(len);
            sym
        } else {
            self.slow_code(t)?
        };
        self.skip(t.extra(sym).min(16))?;
        Ok(sym)
    }

    /// A code longer than the lookup, bit by bit from the canonical limits.
    fn slow_code(&mut self, t: &Huffman) -> Result<u8, Damage> {
        for len in 1..=16u32 {
            let code = self.peek(len)?;
            let (limit, offset) = t.limits[len as usize];
            if code < limit {
                self.skip(len)?;
                let at = (code as i32 + offset) as usize;
                return t.symbols.get(at).copied().ok_or(Damage::BadCode);
            }
        }
        Err(Damage::BadCode)
    }

    /// The padding to the byte boundary dropped, then every byte up to the marker
    /// loaded: how many whole bytes were left unread before it.
    fn skip_to_marker(&mut self) -> usize {
        let pad = self.have % 8;
        self.acc <<= pad;
        self.have -= pad;
        let mut left = 0;
        loop {
            self.fill();
            left += (self.have / 8) as usize;
            self.acc = 0;
            self.have = 0;
            if self.marker.is_some() {
                return left;
            }
        }
    }

    /// At a restart interval: the rest of the byte is padding, then `RSTn` must follow.
    fn restart(&mut self, want: u8) -> Result<(), Damage> {
        let left = self.skip_to_marker();
        let at = self.marker.unwrap_or(self.data.len());
        if left > 0 || self.data.get(at + 1) != Some(&want) {
            return Err(Damage::Restart);
        }
        *self = Bits::new(self.data);
        self.pos = at + 2;
        Ok(())
    }

    /// Every block is read: what follows must be the marker that ends the scan.
    fn finish(mut self) -> Result<usize, Damage> {
        let left = self.skip_to_marker();
        // A byte of padding is usual; more is data the image does not use.
        if left > 1 {
            return Err(Damage::Extra(left));
        }
        Ok(self.marker.unwrap_or(self.data.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/photos")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn whole_camera_photos_are_not_damaged() {
        for name in [
            "Canon_40D.jpg",
            "Kodak_CX7530.jpg",
            "Landscape_1.jpg",
            "issue-exifr-59.jpg",
            "noexif.jpg",
            "testorig.jpg",
        ] {
            assert_eq!(damage(&fixture(name)), None, "{name}");
        }
    }

    #[test]
    fn overwritten_image_data_is_found() {
        let good = fixture("Landscape_1.jpg");
        let at = good.len() * 3 / 5;
        // Bytes without FF: the blocks decode to something, but not to the end.
        let mut bad = good.clone();
        let mut x = 7u32;
        for b in &mut bad[at..at + 64] {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            *b = (x >> 16) as u8 % 0xFF;
        }
        assert!(damage(&bad).is_some());
        // A run of zeros.
        let mut zeros = good.clone();
        zeros[at..at + 4000].fill(0);
        assert!(damage(&zeros).is_some());
    }
}

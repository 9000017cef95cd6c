//! How the runtime's wasm module is packed into `didact-runtime.js`: LZMA (the `.lzma` format:
//! a 13-byte header, then the stream, with its size known and no end marker), read back in the
//! browser by `unpack.js`. Shared by the build script and the tests (`#[path]` modules), so both
//! use the same options.
//!
//! Why LZMA: the module gzips to 282.6 kB, LZMA takes it to 218.8 kB (−23 %, BENCHMARKS.md), and
//! a page opened from `file://` reads the script from disk with no transfer compression at all:
//! 298 kB of base64 instead of 998 kB of text. The decoder is 150 lines of JS (no dictionary,
//! unlike Brotli); the browsers' own `DecompressionStream` only knows deflate, no smaller than gzip.

use std::io::Write;

use lzma_rust2::{LzmaOptions, LzmaWriter};

/// `bytes` packed as a `.lzma` stream.
pub fn pack(bytes: &[u8]) -> Vec<u8> {
    let mut options = LzmaOptions::with_preset(9);
    // wasm code is not aligned: no position bits (measured: 218 760 bytes against 219 233 with the
    // default of 2). The longest matches, a dictionary that holds the whole module.
    options.pb = 0;
    options.nice_len = LzmaOptions::NICE_LEN_MAX;
    options.dict_size = u32::try_from(bytes.len().next_power_of_two())
        .expect("a module under 4 GB")
        .max(4096);
    let mut writer = LzmaWriter::new_use_header(Vec::new(), &options, Some(bytes.len() as u64))
        .expect("LZMA options are valid");
    writer.write_all(bytes).expect("writing to memory");
    writer.finish().expect("writing to memory")
}

/// Inputs that reach every path of a decoder: empty, one byte, incompressible bytes (literals
/// only), one long run (the longest matches, repeated distances), and text whose phrases repeat
/// near and far (short and long distances, the direct bits of distances over 128 kB).
#[cfg(test)]
pub fn samples() -> Vec<Vec<u8>> {
    // xorshift64: deterministic, no dependency.
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let random: Vec<u8> = (0..65_536).map(|_| next() as u8).collect();
    let words = [
        "facture",
        "Chorus",
        "Pro",
        "SIRET",
        "code",
        "service",
        "engagement",
        "montant",
        "TVA",
        "déposer",
        "structure",
        "maître",
        "d’ouvrage",
        "état",
        "d’acompte",
        "€",
        "\n",
    ];
    let mut text = Vec::new();
    while text.len() < 400_000 {
        let pick = next();
        if pick % 7 == 0 && text.len() > 200_000 {
            // A phrase copied from at least 200 kB back.
            let from = (next() as usize) % (text.len() - 200_000);
            text.extend_from_within(from..from + 40);
        } else {
            text.extend_from_slice(words[(pick % words.len() as u64) as usize].as_bytes());
            text.push(b' ');
        }
    }
    vec![Vec::new(), vec![42], random, vec![0xab; 300_000], text]
}

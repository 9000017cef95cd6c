//! How the runtime's wasm module is packed into `didact-runtime.js`: LZMA (the `.lzma` format:
//! a 13-byte header, then the stream, with its size known and no end marker), written as base64
//! and read back in the browser by `unpack.js`. Shared through `#[path]` modules by the build
//! script (which packs), the site and browser tests (which pack and unpack) and the benchmark
//! (which unpacks), so all of them agree on the format.
//!
//! Why LZMA: the module gzips to 282.6 kB, LZMA takes it to 218.8 kB (−23 %, BENCHMARKS.md), and
//! a page opened from `file://` reads the script from disk with no transfer compression at all:
//! 292 kB of base64 instead of 998 kB of text. The decoder is 150 lines of JS (no dictionary,
//! unlike Brotli); the browsers' own `DecompressionStream` only knows deflate, no smaller than gzip.

// Each user takes what it needs.
#![allow(dead_code)]

use std::io::{Read as _, Write as _};

use base64::Engine as _;
use lzma_rust2::{LzmaOptions, LzmaReader, LzmaWriter};

/// What opens the packed module's base64 literal in the bootstrap (`BOOTSTRAP` in build.rs).
pub const LITERAL_START: &str = "var packed = \"";

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

/// `packed` read back.
pub fn unpack(packed: &[u8]) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    LzmaReader::new_mem_limit(packed, u32::MAX, None)
        .and_then(|mut reader| reader.read_to_end(&mut bytes))
        .map_err(|error| format!("not an LZMA stream: {error}"))?;
    Ok(bytes)
}

/// The wasm module inside a `didact-runtime.js`, unpacked as its bootstrap does.
pub fn module_of_runtime(runtime: &str) -> Result<Vec<u8>, String> {
    let literal = runtime
        .split_once(LITERAL_START)
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(literal, _)| literal)
        .ok_or("no packed module in the runtime")?;
    let packed = base64::engine::general_purpose::STANDARD
        .decode(literal)
        .map_err(|error| format!("the packed module is not base64: {error}"))?;
    unpack(&packed)
}

/// Inputs that reach every path of a decoder: empty, one byte, incompressible bytes (literals
/// only), one long run (the longest matches, repeated distances), and text whose phrases repeat
/// near and far (short distances, and distances over 200 kB: the largest slots, with direct and
/// align bits).
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

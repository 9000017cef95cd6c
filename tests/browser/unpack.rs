//! The runtime's unpacker (`crates/site/runtime/unpack.js`) in both browsers: it reads back
//! every sample that `runtime/pack.rs` packs, byte for byte, and rejects a stream it cannot
//! read instead of hanging. Every other test runs it on the real module.

use std::fs;

use base64::Engine as _;
use serde_json::json;

use crate::harness::{file_url, repo_root, run, Session, BROWSERS};
use crate::pack;

const ROUND_TRIP: &str = "var text = atob(arguments[0]), packed = new Uint8Array(text.length);
for (var i = 0; i < text.length; i++) packed[i] = text.charCodeAt(i);
var bytes = didactUnpack(packed), parts = [];
for (var at = 0; at < bytes.length; at += 8192)
  parts.push(String.fromCharCode.apply(null, bytes.subarray(at, at + 8192)));
return btoa(parts.join(''));";

#[test]
fn the_unpacker_reads_back_what_the_build_packs() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::copy(
        repo_root().join("crates/site/runtime/unpack.js"),
        dir.path().join("unpack.js"),
    )
    .unwrap();
    fs::write(
        dir.path().join("index.html"),
        "<!DOCTYPE html><html><head><script src=\"unpack.js\"></script></head><body></body></html>",
    )
    .unwrap();
    let base64 = base64::engine::general_purpose::STANDARD;
    let samples = pack::samples();
    for browser in BROWSERS {
        run(async {
            let session = Session::start(browser).await;
            session.goto(&file_url(dir.path(), "index.html")).await;
            for sample in &samples {
                let packed = base64.encode(pack::pack(sample));
                let back = session
                    .client
                    .execute(ROUND_TRIP, vec![json!(packed)])
                    .await
                    .unwrap_or_else(|e| panic!("{browser:?}: {} bytes: {e}", sample.len()));
                let back = base64.decode(back.as_str().expect("a string")).unwrap();
                assert!(
                    back == *sample,
                    "{browser:?}: {} bytes came back as {} different bytes",
                    sample.len(),
                    back.len()
                );
            }
            // Bad properties, a stream cut short, a garbled one: an exception of the decoder,
            // never a hang or silently wrong bytes.
            let text = pack::pack(&samples[4]);
            let mut garbled = text.clone();
            for byte in garbled.iter_mut().skip(20).step_by(97) {
                *byte ^= 0x5a;
            }
            for (what, stream) in [
                ("bad properties", [&[225u8][..], &text[1..]].concat()),
                ("cut in half", text[..text.len() / 2].to_vec()),
                ("one byte short", text[..text.len() - 1].to_vec()),
                ("garbled", garbled),
            ] {
                let outcome = session
                    .client
                    .execute(
                        &format!("try {{ {ROUND_TRIP} }} catch (error) {{ return 'threw: ' + error.message; }}"),
                        vec![json!(base64.encode(&stream))],
                    )
                    .await
                    .unwrap();
                let outcome = outcome.as_str().unwrap_or_default();
                assert!(
                    outcome.starts_with("threw: lzma:"),
                    "{browser:?}: {what}: {}",
                    outcome.chars().take(80).collect::<String>()
                );
            }
            session.finish().await;
        });
    }
}

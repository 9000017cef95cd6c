//! The browser runtime: WebAssembly entry points that make the static pages interactive.
//!
//! `web` only translates: it reads specs from the page (`data-*` attributes), calls the pure
//! `quiz` (and later `sim`) crates, and updates the DOM. It decides nothing about answers or
//! money. The theme's `didact.js` loads the module from bytes inlined in `didact-runtime.js`
//! (no fetch, no ES modules, so it works from `file://`) and calls [`mount`].

use wasm_bindgen::prelude::*;

mod json;
pub mod progress;
mod quiz;
mod search;
mod sim;
mod storage;

/// Wire every widget found in the page. Called once by the bootstrap after instantiation.
#[wasm_bindgen]
pub fn mount() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    quiz::mount_all(&document);
    sim::mount_all(&document);
    Ok(())
}

/// The runtime's version, for diagnostics in the browser console.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

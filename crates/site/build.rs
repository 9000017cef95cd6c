//! Compiles `crates/web` to WebAssembly and packages it as one classic script.
//!
//! Steps (see `notes/wasm-pipeline.md` in the shared notes and ARCHITECTURE.md):
//! 1. find the outer target folder and use `<target>/wasm-build` for the inner cargo (sharing
//!    the outer one deadlocks on its lock),
//! 2. make sure the pinned toolchain [`WASM_TOOLCHAIN`] and its `rust-src` are installed
//!    (install them with rustup; when that fails, fall back to the current toolchain and its
//!    wasm32 std, with a warning),
//! 3. `cargo build -p didact-web --target wasm32-unknown-unknown --profile wasm-release` with
//!    that toolchain, rebuilding the standard library for size (see [`WASM_TOOLCHAIN`]); if that
//!    fails, with the current toolchain,
//! 4. run wasm-bindgen (as a library, no-modules output, name and producers sections removed),
//! 5. optionally run `wasm-opt` from `DIDACT_WASM_OPT` (binaryen ≥ 109 only),
//! 6. write `$OUT_DIR/didact-runtime.js`: glue + unpacker + bootstrap with the packed bytes. The
//!    module is packed with LZMA (`runtime/pack.rs`) and written as base64; the bootstrap
//!    unpacks it with `runtime/unpack.js` before instantiating it.
//!
//! `DIDACT_SKIP_WASM=1` writes a stub runtime instead (for quick `cargo check` only; the
//! browser tests fail loudly with it).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;

#[path = "runtime/pack.rs"]
mod pack;

/// The toolchain that compiles the runtime (the host tool itself builds with stable).
///
/// A nightly, because two unstable options make the gzipped module 11 % smaller (measured on
/// this module, BENCHMARKS.md): `-Zbuild-std` with the `optimize_for_size` feature (the standard
/// library rebuilt at `opt-level = "z"` with its size-minded code paths: −8 %) and
/// `-Cpanic=immediate-abort` (a panic traps without formatting a message: −3 %), plus
/// `-Zlocation-detail=none`, which drops the source paths, so the bytes do not depend on where
/// the toolchain is installed. Pinned, so every machine builds the same runtime. Changing it:
/// install the new one (`rustup toolchain install <name> --profile minimal -c rust-src`), update
/// this constant, `.ci/run` (a test compares them), README.md and ARCHITECTURE.md, run `cargo
/// xtask ci` and the size profile of BENCHMARKS.md.
const WASM_TOOLCHAIN: &str = "nightly-2026-10-29";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.join("../..").canonicalize().unwrap();
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-env-changed=DIDACT_SKIP_WASM");
    println!("cargo:rerun-if-env-changed=DIDACT_WASM_OPT");
    for path in [root.join("Cargo.toml"), root.join("Cargo.lock")] {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    // Every crate of ours that `crates/web` depends on.
    for krate in ["web", "quiz", "sim", "search", "map"] {
        let dir = root.join("crates").join(krate);
        println!(
            "cargo:rerun-if-changed={}",
            dir.join("Cargo.toml").display()
        );
        println!("cargo:rerun-if-changed={}", dir.join("src").display());
        watch_dir(&dir.join("src"));
    }

    println!(
        "cargo:rerun-if-changed={}",
        manifest_dir.join("runtime").display()
    );
    embed_default_theme(&root.join("themes/default"), &out_dir);

    let target = out_dir.join("didact-runtime.js");
    if env::var_os("DIDACT_SKIP_WASM").is_some() {
        write_if_changed(
            &target,
            "console.error('didact: built with DIDACT_SKIP_WASM, no runtime');\n",
        );
        println!("cargo:rustc-env=DIDACT_RUNTIME_TOOLCHAIN=none");
        return;
    }

    // 1. Inner target dir next to the outer one.
    let outer_target = out_dir
        .ancestors()
        .find(|p| p.file_name().is_some_and(|n| n == "build"))
        .and_then(|build| build.parent()) // profile dir
        .and_then(|profile| profile.parent())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("target"));
    let inner_target = outer_target.join("wasm-build");

    // 2. The pinned toolchain and the standard library's sources, or the stable wasm32 std.
    let mut toolchain = wasm_toolchain(&out_dir);

    // 3. Inner cargo; when the pinned toolchain fails (say, offline on a first build, since
    //    `-Zbuild-std` fetches the standard library's own dependencies), the current one.
    if !build_wasm(toolchain, &root, &inner_target) {
        if toolchain == Toolchain::Stable {
            panic!("building crates/web for wasm32-unknown-unknown failed (see the errors above)");
        }
        println!(
            "cargo:warning=building the wasm runtime with {WASM_TOOLCHAIN} failed: building it with the current toolchain instead (about 11 % larger)"
        );
        toolchain = Toolchain::Stable;
        ensure_wasm_target();
        if !build_wasm(toolchain, &root, &inner_target) {
            panic!("building crates/web for wasm32-unknown-unknown failed (see the errors above)");
        }
    }
    println!(
        "cargo:rustc-env=DIDACT_RUNTIME_TOOLCHAIN={}",
        toolchain.name()
    );
    let wasm = inner_target.join("wasm32-unknown-unknown/wasm-release/didact_web.wasm");

    // 4. wasm-bindgen as a library.
    let bindgen_out = out_dir.join("bindgen");
    fs::create_dir_all(&bindgen_out).unwrap();
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&wasm)
        .no_modules(true)
        .unwrap()
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .out_name("didact_web");
    bindgen.generate(&bindgen_out).expect("wasm-bindgen failed");
    let glue = fs::read_to_string(bindgen_out.join("didact_web.js")).unwrap();
    let mut wasm_bytes = fs::read(bindgen_out.join("didact_web_bg.wasm")).unwrap();

    // 5. Optional wasm-opt.
    if let Ok(wasm_opt) = env::var("DIDACT_WASM_OPT") {
        wasm_bytes = run_wasm_opt(&wasm_opt, &bindgen_out, wasm_bytes);
    }

    // 6. One classic script.
    // The BOM makes browsers read the file as UTF-8 whatever the page's encoding (the glue and
    // the unpacker are ASCII today; the BOM keeps it safe if one of them ever is not).
    let script = format!(
        "\u{feff}/* didact runtime {version} ({toolchain}): wasm-bindgen glue, the unpacker, then the bootstrap with the packed module. Generated by crates/site/build.rs. */\n{glue}\n{unpack}\n{bootstrap}",
        version = env::var("CARGO_PKG_VERSION").unwrap(),
        toolchain = toolchain.name(),
        unpack = fs::read_to_string(manifest_dir.join("runtime/unpack.js")).unwrap(),
        bootstrap = BOOTSTRAP.replace(
            "__PACKED__",
            &base64::engine::general_purpose::STANDARD.encode(pack::pack(&wasm_bytes)),
        ),
    );
    write_if_changed(&target, &script);
}

/// Unpack the inlined bytes and instantiate them (never fetch), then tell the page the runtime
/// is ready. The unpacking (about 45 ms in Chromium, BENCHMARKS.md) runs in a task of its own,
/// after the page's scripts, which gives the browser a chance to show the page first. A module
/// that cannot be unpacked rejects `didactRuntime`: `didact.js` then marks the runtime failed
/// (`data-runtime="failed"`) and logs the error, as for any other failure to start.
/// `didactRuntimeUnpackMs` is read by the benchmark.
const BOOTSTRAP: &str = r#"(function () {
  var packed = "__PACKED__";
  window.didactRuntime = new Promise(function (resolve) {
    setTimeout(resolve, 0);
  }).then(function () {
    var started = performance.now(), text = atob(packed), bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    bytes = didactUnpack(bytes);
    window.didactRuntimeUnpackMs = performance.now() - started;
    return wasm_bindgen({ module_or_path: bytes });
  }).then(function () {
    return wasm_bindgen;
  });
})();
"#;

/// Runs the inner cargo that compiles `crates/web` to wasm with `toolchain`; false when it fails.
fn build_wasm(toolchain: Toolchain, root: &Path, inner_target: &Path) -> bool {
    let mut inner = match toolchain {
        // Through rustup, so that it runs the pinned toolchain.
        Toolchain::Pinned => {
            let mut inner = Command::new("rustup");
            inner
                .args(["run", WASM_TOOLCHAIN, "cargo", "build"])
                .args([
                    "-Zbuild-std=std,panic_abort",
                    "-Zbuild-std-features=optimize_for_size",
                ])
                // Set by the outer cargo to the stable compiler, they would override the
                // toolchain.
                .env_remove("RUSTC")
                .env_remove("RUSTDOC")
                .env_remove("RUSTUP_TOOLCHAIN")
                .env_remove("CARGO");
            inner
        }
        Toolchain::Stable => {
            let mut inner = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
            inner.arg("build");
            inner
        }
    };
    inner
        .current_dir(root)
        .args([
            "-p",
            "didact-web",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ])
        .arg("--target-dir")
        .arg(inner_target)
        // Note that `CARGO_ENCODED_RUSTFLAGS` replaces any `rustflags` of a cargo config file:
        // a flag the wasm build needs belongs in `wasm_rustflags`, not in `.cargo/config.toml`.
        .env(
            "CARGO_ENCODED_RUSTFLAGS",
            wasm_rustflags(toolchain).join("\x1f"),
        )
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("CARGO_PRIMARY_PACKAGE")
        .status()
        .expect("failed to run cargo for the wasm runtime")
        .success()
}

/// Which toolchain compiles the runtime.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Toolchain {
    /// [`WASM_TOOLCHAIN`], with the size options.
    Pinned,
    /// The toolchain that runs this build, when the pinned one cannot be installed: the same
    /// runtime, 11 % larger.
    Stable,
}

impl Toolchain {
    fn name(self) -> &'static str {
        match self {
            Toolchain::Pinned => WASM_TOOLCHAIN,
            Toolchain::Stable => "stable",
        }
    }
}

/// [`WASM_TOOLCHAIN`] with its `rust-src`, installed with rustup when missing. When it cannot
/// be (no rustup, or no access to its download server), the runtime is built with the current
/// toolchain and its wasm32 std instead, with a warning: a working site matters more than its
/// size. `DIDACT_WASM_TOOLCHAIN=stable` asks for the current toolchain (panics then keep their
/// message in the browser console).
fn wasm_toolchain(out_dir: &Path) -> Toolchain {
    println!("cargo:rerun-if-env-changed=DIDACT_WASM_TOOLCHAIN");
    // rustup writes a file there per installed toolchain: an install or removal reruns this.
    println!("cargo:rerun-if-env-changed=RUSTUP_HOME");
    let rustup_home = env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".rustup")));
    if let Some(hashes) = rustup_home
        .map(|home| home.join("update-hashes"))
        .filter(|hashes| hashes.is_dir())
    {
        println!("cargo:rerun-if-changed={}", hashes.display());
    }
    if env::var("DIDACT_WASM_TOOLCHAIN").is_ok_and(|name| name == "stable") {
        ensure_wasm_target();
        return Toolchain::Stable;
    }
    if pinned_toolchain_ready() {
        return Toolchain::Pinned;
    }
    // One attempt per build folder: offline, each rebuild would wait on rustup's timeouts.
    let attempted = out_dir.join("pinned-toolchain-install-failed");
    if !attempted.exists() {
        println!(
            "cargo:warning=installing the {WASM_TOOLCHAIN} toolchain and its rust-src with rustup (for the wasm runtime; once per machine)"
        );
        let status = Command::new("rustup")
            .args(["toolchain", "install", WASM_TOOLCHAIN])
            .args(["--profile", "minimal", "--component", "rust-src"])
            .env_remove("RUSTUP_TOOLCHAIN")
            .status();
        if matches!(status, Ok(status) if status.success()) && pinned_toolchain_ready() {
            return Toolchain::Pinned;
        }
        let _ = fs::write(&attempted, "");
    }
    println!(
        "cargo:warning=could not install {WASM_TOOLCHAIN}: the wasm runtime is built with the current toolchain, about 11 % larger. \
         To get the smaller one: rustup toolchain install {WASM_TOOLCHAIN} --profile minimal --component rust-src"
    );
    ensure_wasm_target();
    Toolchain::Stable
}

/// Whether [`WASM_TOOLCHAIN`] runs and has the standard library's sources.
fn pinned_toolchain_ready() -> bool {
    Command::new("rustup")
        .args(["run", WASM_TOOLCHAIN, "rustc", "--print", "sysroot"])
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .is_some_and(|output| {
            Path::new(String::from_utf8_lossy(&output.stdout).trim())
                .join("lib/rustlib/src/rust/library/Cargo.lock")
                .is_file()
        })
}

/// The stable fallback's wasm32 std: installed with rustup when missing, or fail saying how.
fn ensure_wasm_target() {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if let Some(sysroot) = &sysroot {
        if Path::new(sysroot)
            .join("lib/rustlib/wasm32-unknown-unknown/lib")
            .is_dir()
        {
            return;
        }
    }
    println!("cargo:warning=installing the wasm32-unknown-unknown target with rustup");
    let mut rustup = Command::new("rustup");
    rustup.args(["target", "add", "wasm32-unknown-unknown"]);
    if let Ok(toolchain) = env::var("RUSTUP_TOOLCHAIN") {
        rustup.args(["--toolchain", &toolchain]);
    }
    match rustup.status() {
        Ok(status) if status.success() => {}
        _ => panic!(
            "the wasm runtime needs either the {WASM_TOOLCHAIN} toolchain with its rust-src, or the \
             wasm32-unknown-unknown standard library of the current one, and rustup could install \
             neither.\n\
             Install one with: rustup toolchain install {WASM_TOOLCHAIN} --profile minimal --component rust-src\n\
             or: rustup target add wasm32-unknown-unknown"
        ),
    }
}

/// The flags of the wasm build (see [`WASM_TOOLCHAIN`]).
fn wasm_rustflags(toolchain: Toolchain) -> Vec<String> {
    let mut flags = Vec::new();
    if toolchain == Toolchain::Pinned {
        flags.extend(
            [
                "-Zunstable-options",
                "-Cpanic=immediate-abort",
                "-Zlocation-detail=none",
            ]
            .map(String::from),
        );
    }
    // Panic locations of the stable fallback, and any `file!()` of a registry crate, name files
    // under this machine's cargo home: write them without it.
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    if let Some(cargo_home) = cargo_home {
        // Through components, so that a trailing `/` does not end up in the prefix.
        let cargo_home: PathBuf = cargo_home.components().collect();
        flags.push(format!(
            "--remap-path-prefix={}=/cargo",
            cargo_home.display()
        ));
    }
    flags
}

fn run_wasm_opt(wasm_opt: &str, dir: &Path, bytes: Vec<u8>) -> Vec<u8> {
    let version = Command::new(wasm_opt)
        .arg("--version")
        .output()
        .expect("DIDACT_WASM_OPT does not run");
    let version_text = String::from_utf8_lossy(&version.stdout);
    let major: u32 = version_text
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or(0);
    if major < 109 {
        panic!("wasm-opt {major} corrupts wasm-bindgen's externref table (binaryen #4711); use binaryen 109 or later, or unset DIDACT_WASM_OPT");
    }
    let input = dir.join("pre-opt.wasm");
    let output = dir.join("post-opt.wasm");
    fs::write(&input, bytes).unwrap();
    // `-O1`, not `-Oz`: on this module (Nov 2026, binaryen 132) `-O1` shrinks the gzipped
    // wasm by 0.5 % in 9 s, while `-Oz`, `-Os` and `-O2` shrink the raw bytes but grow the
    // gzipped ones by 10 % (and take 30–90 s).
    let status = Command::new(wasm_opt)
        .arg("-O1")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success(), "wasm-opt failed");
    fs::read(output).unwrap()
}

/// Write `default_theme.rs`: every file of `themes/default/` as `(path, bytes)`, so the binary
/// builds any course without the repository at hand.
fn embed_default_theme(theme: &Path, out_dir: &Path) {
    let mut files = Vec::new();
    collect_files(theme, theme, &mut files);
    files.sort();
    let mut code = String::from("/// Files of `themes/default/`, embedded at compile time.\npub const DEFAULT_THEME: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in files {
        println!("cargo:rerun-if-changed={}", abs.display());
        code.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    code.push_str("];\n");
    println!("cargo:rerun-if-changed={}", theme.display());
    write_if_changed(&out_dir.join("default_theme.rs"), &code);
}

fn collect_files(base: &Path, dir: &Path, res: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect_files(base, &path, res);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            res.push((rel, path));
        }
    }
}

fn watch_dir(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            watch_dir(&path);
        } else {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::write(path, text).unwrap();
    }
}

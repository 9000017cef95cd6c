//! The offline rules of the output (DEVELOPERS.md): the site opens from file:// with no server
//! and no network. Checked over every file of the bundled course.

use crate::support::*;

#[test]
fn bundled_course_follows_the_offline_rules() {
    let files = build_ok(&repo_root());
    let mut problems = Vec::new();
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            if text.contains("type=\"module\"") || text.contains("type='module'") {
                problems.push(format!("{path}: ES module script"));
            }
            for attr in ["src=\"", "href=\""] {
                for (i, _) in text.match_indices(attr) {
                    let value: String = text[i + attr.len()..]
                        .chars()
                        .take_while(|c| *c != '"')
                        .collect();
                    let tag_start = text[..i].rfind('<').unwrap_or(0);
                    let tag: String = text[tag_start..]
                        .chars()
                        .take_while(|c| !c.is_whitespace())
                        .collect();
                    let is_link_to_elsewhere = tag == "<a"
                        && (value.starts_with("https://")
                            || value.starts_with("http://")
                            || value.starts_with("mailto:"));
                    // An inline `data:` URL (the favicon) makes no request.
                    let inline = value.starts_with("data:");
                    if !inline
                        && (value.starts_with('/')
                            || (value.contains("://") && !is_link_to_elsewhere))
                    {
                        problems.push(format!(
                            "{path}: {tag} loads `{value}`, not a relative resource"
                        ));
                    }
                }
            }
            // Every script is a classic script of the site itself.
            for (i, _) in text.match_indices("<script") {
                let tag: String = text[i..].chars().take_while(|c| *c != '>').collect();
                if tag.contains("src=") && !tag.contains("assets/") {
                    problems.push(format!("{path}: unexpected script {tag}"));
                }
            }
        }
        if path.ends_with(".css")
            && (text.contains("@import")
                || text.contains("url(http")
                || text.contains("@font-face"))
        {
            problems.push(format!("{path}: CSS loads something"));
        }
        if path.ends_with(".js") && path != "assets/didact-runtime.js" && text.contains("fetch(") {
            problems.push(format!("{path}: uses fetch()"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn wasm_bytes_are_inlined_and_never_fetched() {
    let files = build_ok(&repo_root());
    let runtime = String::from_utf8_lossy(&files["assets/didact-runtime.js"]);
    // The wasm magic number `\0asm`, one character per byte.
    assert!(
        runtime.contains("var s = \"\0asm"),
        "wasm bytes are not inlined"
    );
    assert!(
        runtime.contains("wasm_bindgen({ module_or_path: bytes })"),
        "the bootstrap must pass bytes (the glue's fetch path stays dead)"
    );
    assert!(
        !files.keys().any(|p| p.ends_with(".wasm")),
        "no separate .wasm file may be loaded"
    );
}

#[test]
fn storage_keys_are_namespaced_per_course() {
    let files = build_ok(&repo_root());
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".js") || p.ends_with(".html"))
    {
        let text = String::from_utf8_lossy(bytes);
        for (i, _) in text.match_indices("localStorage.") {
            let call: String = text[i..].chars().take(60).collect();
            if let Some(arg) = call.split_once('(').map(|(_, a)| a) {
                let literal = arg.starts_with('"') || arg.starts_with('\'');
                assert!(
                    !literal || arg[1..].starts_with("didact:"),
                    "{path}: storage key not namespaced: {call}"
                );
            }
        }
    }
}

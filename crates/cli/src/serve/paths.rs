//! Request paths → output files. The server answers only with files of the build it holds in
//! memory, so nothing outside the output can be read; these rules also refuse, rather than
//! normalise, any path that tries (`..`, encoded or not), and never list a folder.

/// What a request path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// An output file, relative to the site root (`m/p.html`, `index.html`).
    File(String),
    /// A folder without its trailing slash: redirect to `Location` so relative links work.
    Redirect(String),
}

/// Why a path is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// It climbs out of the output folder or hides a separator: 403.
    Forbidden,
    /// It is not a path at all: 400.
    BadRequest,
}

/// Resolve the request target `url` (raw, as received) against the output `exists`.
pub fn resolve(url: &str, exists: impl Fn(&str) -> bool) -> Result<Lookup, Refusal> {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return Err(Refusal::BadRequest);
    }
    let decoded = percent_decode(raw).ok_or(Refusal::BadRequest)?;
    // An encoded `%` surviving one decoding is double encoding: refuse instead of guessing.
    if decoded.contains('%') || decoded.contains('\\') || decoded.contains('\0') {
        return Err(Refusal::Forbidden);
    }
    let segments: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| *s == ".." || *s == "." || s.contains(':'))
    {
        return Err(Refusal::Forbidden);
    }
    let key = segments.join("/");
    if key.is_empty() || decoded.ends_with('/') {
        let index = if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        };
        return Ok(Lookup::File(index));
    }
    if !exists(&key) && exists(&format!("{key}/index.html")) {
        return Ok(Lookup::Redirect(format!("/{key}/")));
    }
    Ok(Lookup::File(key))
}

/// The `Content-Type` of an output file.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit('.').next().unwrap_or("");
    match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Decode `%XX` escapes; `None` when malformed or not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut res = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            res.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            res.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(res).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(url: &str, expected: Result<Lookup, Refusal>) {
        let files = [
            "index.html",
            "m/index.html",
            "m/p.html",
            "assets/didact.css",
        ];
        assert_eq!(resolve(url, |p| files.contains(&p)), expected, "{url}");
    }

    fn file(path: &str) -> Result<Lookup, Refusal> {
        Ok(Lookup::File(path.into()))
    }

    #[test]
    fn pages_folders_and_the_root_resolve_to_files() {
        check("/", file("index.html"));
        check("/m/p.html", file("m/p.html"));
        check("/m/p.html?x=1#top", file("m/p.html"));
        check("/m/", file("m/index.html"));
        check("/m", Ok(Lookup::Redirect("/m/".into())));
        check("/caf%C3%A9.html", file("café.html"));
        check("/missing.html", file("missing.html"));
    }

    #[test]
    fn climbing_out_of_the_output_is_refused_in_every_spelling() {
        for url in [
            "/../book.toml",
            "/m/../../book.toml",
            "/%2e%2e/book.toml",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/..%2fbook.toml",
            "/..%5cbook.toml",
            "/m/%252e%252e/book.toml",
            "/./index.html",
            "/C:/Windows/win.ini",
            "/index.html%00.css",
        ] {
            check(url, Err(Refusal::Forbidden));
        }
    }

    #[test]
    fn malformed_targets_are_bad_requests() {
        check("index.html", Err(Refusal::BadRequest));
        check("/%zz", Err(Refusal::BadRequest));
        check("/%e9", Err(Refusal::BadRequest));
    }
}
